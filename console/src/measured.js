// Measured network load over time from the meter values' Power.Active.Import readings: per connector the latest
// reading (phases added up) holds until the next one, for at most STALE_SECONDS, and connectors add up.
const STALE_SECONDS = 15 * 60;

function kilowatts(reading) {
  const unit = (reading.unit ?? 'W').toLowerCase();
  return unit === 'kw' ? reading.value : reading.value / 1000;
}

/** readings: GET /v2/meter_values rows; times: ascending seconds. Returns kW at each time. */
export function measuredLoad(readings, times) {
  const perConnector = new Map(); // connector -> [{t, kw}] ascending
  const byKey = new Map();
  for (const r of readings) {
    if (r.measurand !== 'Power.Active.Import' || typeof r.value !== 'number') continue;
    const t = Date.parse(r.timestamp) / 1000;
    const key = `${r.connector}|${t}`;
    const entry = byKey.get(key) ?? { connector: r.connector, t, total: null, phases: 0 };
    if (r.phase) entry.phases += kilowatts(r);
    else entry.total = kilowatts(r);
    byKey.set(key, entry);
  }
  for (const e of byKey.values()) {
    const list = perConnector.get(e.connector) ?? [];
    list.push({ t: e.t, kw: e.total ?? e.phases });
    perConnector.set(e.connector, list);
  }
  const series = [...perConnector.values()].map((list) => list.sort((a, b) => a.t - b.t));
  const cursors = series.map(() => -1);
  return times.map((t) => {
    let sum = 0;
    series.forEach((list, i) => {
      while (cursors[i] + 1 < list.length && list[cursors[i] + 1].t <= t) cursors[i]++;
      const last = list[cursors[i]];
      if (last && t - last.t <= STALE_SECONDS) sum += last.kw;
    });
    return sum;
  });
}

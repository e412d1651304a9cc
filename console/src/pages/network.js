// Network page: live load chart, then chargers and connectors, sessions, alerts (when the API has them) and events.
import { api, list, query } from '../api.js';
import { html, render } from '../html.js';
import { kw, kwh, percent, statusClass, text, time } from '../format.js';
import { createLoadChart } from '../loadchart.js';
import { measuredLoad } from '../measured.js';
import { poll } from '../poll.js';

const REFRESH_MS = 3000;
const PAST_MS = 60 * 60 * 1000;
const AHEAD_MS = 6 * 60 * 60 * 1000;
let alertsAvailable = null; // /v2/alerts is probed once per page load

export function networkPage(id) {
  let stop = null;
  let chart = null;
  return {
    mount(el) {
      render(el, html`
        <p class="crumbs"><a href="#/">Networks</a> ›</p>
        <h1 id="network-name">Network</h1>
        <div id="tiles" class="tiles"></div>
        <section class="card"><h2>Load against the grid limit</h2><div id="chart" class="chart"></div>
          <p class="hint">From one hour ago to six hours ahead; the dashed vertical line is now. Refreshed every ${REFRESH_MS / 1000} s.</p></section>
        <section class="card"><h2>Chargers and connectors</h2><div id="chargers"></div></section>
        <section class="card"><h2>Open sessions</h2><div id="sessions"></div></section>
        <section class="card" id="alerts-card" hidden><h2>Alerts</h2><div id="alerts"></div></section>
        <section class="card"><h2>Events</h2><div id="events"></div></section>
        <p id="network-error" class="error" role="alert"></p>`);
      chart = createLoadChart(el.querySelector('#chart'));
      stop = poll(() => refresh(el, id, chart), REFRESH_MS);
    },
    dispose() { stop?.(); chart?.destroy(); },
  };
}

async function refresh(el, id, chart) {
  const nowMs = Date.now();
  const startMs = Math.floor((nowMs - PAST_MS) / 60000) * 60000;
  const span = { network: id, start: new Date(startMs).toISOString(), end: new Date(startMs + PAST_MS + AHEAD_MS).toISOString() };
  try {
    const [network, planned, capacity, dr, readings, chargers, connectors, sessions, events, alerts] = await Promise.all([
      api(`/v2/networks/${id}`).then((r) => r.data[0]),
      api(`/v2/profiles/optimizations?${query({ ...span, resolution: '1m' })}`).then((r) => r.data),
      api(`/v2/profiles/capacities?${query({ ...span, resolution: '1m' })}`).then((r) => r.data),
      api(`/v2/profiles/dr_events?${query({ ...span, type: 'Load Amount', intervalLength: 1, limit: 1000 })}`).then((r) => r.data),
      list('/v2/meter_values/', { network: id, start: new Date(startMs - 15 * 60000).toISOString(), end: new Date(nowMs).toISOString(), sort: 'timestamp:asc' }),
      list('/v2/charge_points/', { network: id }),
      list('/v2/connectors/', { network: id }),
      list('/v2/charging_sessions/', { network: id }),
      api(`/v2/events/?${query({ network: id, sort: 'eventTime:desc', limit: 15 })}`).then((r) => r.data),
      loadAlerts(id),
    ]);
    const nowSeconds = nowMs / 1000;
    const series = chartSeries(network, planned, capacity, dr, readings, nowSeconds);
    chart.update(series.data, nowSeconds);
    el.querySelector('#network-name').textContent = network.name;
    render(el.querySelector('#tiles'), tiles(network, series.at, sessions.length));
    render(el.querySelector('#chargers'), chargerTable(chargers, connectors));
    render(el.querySelector('#sessions'), sessionTable(sessions, chargers, connectors, readings));
    render(el.querySelector('#events'), eventList(events));
    el.querySelector('#alerts-card').hidden = alerts === null;
    if (alerts) render(el.querySelector('#alerts'), alertList(alerts));
    el.querySelector('#network-error').textContent = '';
  } catch (e) {
    el.querySelector('#network-error').textContent = `Could not refresh: ${e.message}`;
  }
}

async function loadAlerts(network) {
  if (alertsAvailable === false) return null;
  try {
    const alerts = (await api(`/v2/alerts/?${query({ network, limit: 15 })}`)).data;
    alertsAvailable = true;
    return alerts;
  } catch (e) {
    if (e.status === 404 || e.status === 405) alertsAvailable = false;
    return null;
  }
}

/** One time axis (the capacity profile's minutes); the other series are looked up by timestamp. */
function chartSeries(network, planned, capacity, dr, readings, nowSeconds) {
  const seconds = (iso) => Math.round(Date.parse(iso) / 1000);
  const byTime = (profile) => new Map((profile.timestamps ?? []).map((t, i) => [seconds(t), profile.values[i]]));
  const x = capacity.timestamps.map(seconds);
  const plannedAt = byTime(planned);
  const drAt = byTime(dr);
  const measured = measuredLoad(readings, x).map((v, i) => (x[i] <= nowSeconds ? v : null));
  const current = x.findLastIndex((t) => t <= nowSeconds);
  if (current >= 0) measured[current] = network.currentChargingLoad ?? 0; // the API's figure for now is authoritative
  const cap = capacity.values;
  const drCapacity = x.map((t, i) => ((drAt.get(t) ?? 0) > 0 ? Math.max(0, cap[i] - drAt.get(t)) : null));
  const plannedSeries = x.map((t) => plannedAt.get(t) ?? null);
  return {
    data: [x, measured, plannedSeries, cap, drCapacity],
    at: { capacity: cap[current], planned: plannedSeries[current], dr: drCapacity[current] },
  };
}

function tiles(network, at, openSessions) {
  const tile = (label, value, cls) => html`<div class="tile ${cls}"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  return [
    tile('Grid capacity', kw(at.capacity ?? network.maxCapacity), 'capacity'),
    at.dr !== null && at.dr !== undefined ? tile('Capacity during DR event', kw(at.dr), 'dr') : '',
    tile('Measured load', kw(network.currentChargingLoad ?? 0), 'measured'),
    tile('Planned limit now', kw(at.planned), 'planned'),
    tile('Limit in force', kw(network.currentLimit), ''),
    tile('Open sessions', String(openSessions), ''),
  ];
}

function chargerTable(chargers, connectors) {
  if (chargers.length === 0) return html`<p class="muted">No charger in this network.</p>`;
  const rows = chargers.flatMap((c) => {
    const mine = connectors.filter((k) => k.chargePointId === c.id).sort((a, b) => a.connectorId - b.connectorId);
    const head = html`<td rowspan="${Math.max(mine.length, 1)}"><a href="#/chargers/${c.id}">${c.name}</a><div class="muted small">${text(c.ocppId)}</div></td>
      <td rowspan="${Math.max(mine.length, 1)}"><span class="pill ${statusClass(c.onlineStatus ?? 'offline')}">${c.onlineStatus ?? 'OFFLINE'}</span></td>`;
    if (mine.length === 0) return [html`<tr>${head}<td colspan="4" class="muted">no connector reported yet</td></tr>`];
    return mine.map((k, i) => html`<tr>${i === 0 ? head : ''}
      <td class="num">${k.connectorId}</td>
      <td><span class="pill ${statusClass(k.ocppStatus)}" data-connector-status="${c.ocppId}-${k.connectorId}">${k.ocppStatus ?? 'Unknown'}</span></td>
      <td class="num">${kw(k.currentChargingLoad ?? 0)}</td>
      <td class="num">${kw(k.currentLimit)}</td></tr>`);
  });
  return html`<table class="grid"><thead><tr><th>Charger</th><th>Online</th><th class="num">Connector</th><th>Status</th><th class="num">Power</th><th class="num">Limit</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function sessionTable(sessions, chargers, connectors, readings) {
  if (sessions.length === 0) return html`<p class="muted">No open session.</p>`;
  const soc = new Map();
  for (const r of readings) if (r.measurand === 'SoC' && r.chargingSessionId) soc.set(r.chargingSessionId, r.value); // ascending: last wins
  const rows = sessions.map((s) => {
    const connector = connectors.find((k) => k.id === s.connectorId);
    return html`<tr>
      <td>${s.chargerName ?? chargers.find((c) => c.id === s.chargePointId)?.name ?? '–'} / ${connector?.connectorId ?? '–'}</td>
      <td>${text(s.idTag)}</td>
      <td>${time(s.sessionStart)}</td>
      <td class="num">${kwh(s.energyConsumption)}</td>
      <td class="num">${kw(s.currentChargingLoad)}</td>
      <td class="num">${percent(soc.get(s.id) ?? s.startSoC)}</td>
      <td>${time(s.maximumChargingTimeDate)}</td></tr>`;
  });
  return html`<table class="grid"><thead><tr><th>Charger / connector</th><th>Id tag</th><th>Started</th><th class="num">Energy</th><th class="num">Power</th><th class="num">SoC</th><th>Departure</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function eventList(events) {
  if (events.length === 0) return html`<p class="muted">No event yet.</p>`;
  return html`<table class="grid compact"><thead><tr><th>Time</th><th>Category</th><th>Urgency</th><th>What happened</th></tr></thead><tbody>${events.map((e) => html`<tr>
    <td>${time(e.eventTime ?? e.created)}</td><td>${text(e.category)}</td><td>${text(e.urgency)}</td><td>${text(e.description)}</td></tr>`)}</tbody></table>`;
}

function alertList(alerts) {
  if (alerts.length === 0) return html`<p class="muted">No alert in the last 24 hours.</p>`;
  return html`<table class="grid compact"><thead><tr><th>Start</th><th>Alert</th><th>Urgency</th><th>Status</th><th>Details</th></tr></thead><tbody>${alerts.map((a) => html`<tr>
    <td>${time(a.start ?? a.created)}</td><td>${text(a.name)}</td><td>${text(a.urgency)}</td><td>${text(a.status)}</td><td>${text(a.description ?? a.message)}</td></tr>`)}</tbody></table>`;
}

// The network's load chart (uPlot): measured load, the optimizer's planned limit, grid capacity and the capacity left
// during DR events, on one time axis from the past hour into the planned horizon, with a line at "now".
import uPlot from './vendor/uPlot.esm.js';

const COLORS = { measured: '#1f77b4', planned: '#2ca02c', capacity: '#d62728', dr: '#ff7f0e', now: '#8a8f98' };

/** The index of the series' last non-null value (uPlot's points.filter). */
function lastPoint(u, seriesIndex) {
  const values = u.data[seriesIndex];
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return [i];
  return null;
}

export function createLoadChart(container) {
  let now = Date.now() / 1000;
  const nowLine = {
    hooks: {
      draw: [(u) => {
        const x = u.valToPos(now, 'x', true);
        const { top, height } = u.bbox;
        u.ctx.save();
        u.ctx.strokeStyle = COLORS.now;
        u.ctx.setLineDash([4, 4]);
        u.ctx.beginPath();
        u.ctx.moveTo(x, top);
        u.ctx.lineTo(x, top + height);
        u.ctx.stroke();
        u.ctx.restore();
      }],
    },
  };
  const stepped = uPlot.paths.stepped({ align: 1 });
  const options = {
    width: Math.max(container.clientWidth, 320),
    height: 320,
    plugins: [nowLine],
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [{}, { label: 'kW', values: (u, ticks) => ticks.map((t) => `${t} kW`), size: 60 }],
    legend: { live: false },
    series: [
      {},
      // The latest measurement gets a dot, so load that began a minute ago is visible on a 7-hour axis.
      { label: 'Measured load', stroke: COLORS.measured, width: 2, fill: 'rgba(31,119,180,0.15)', spanGaps: false,
        points: { show: true, size: 9, fill: COLORS.measured, filter: lastPoint } },
      { label: 'Planned limit', stroke: COLORS.planned, width: 2, dash: [6, 3], paths: stepped },
      { label: 'Grid capacity', stroke: COLORS.capacity, width: 2, paths: stepped },
      { label: 'Capacity during DR events', stroke: COLORS.dr, width: 2, paths: stepped, spanGaps: false },
    ],
  };
  const plot = new uPlot(options, [[], [], [], [], []], container);
  const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(container.clientWidth, 320), height: 320 }));
  resize.observe(container);
  return {
    /** data: [x seconds, measured, planned, capacity, dr] (null where a series has no value). */
    update(data, nowSeconds) {
      now = nowSeconds;
      plot.setData(data);
    },
    destroy() { resize.disconnect(); plot.destroy(); },
  };
}

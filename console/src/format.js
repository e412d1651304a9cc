// How figures are shown: kW with at most one decimal, times in the browser's locale.
const number = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export const kw = (value) => (value === null || value === undefined ? '–' : `${number.format(value)} kW`);
export const kwh = (value) => (value === null || value === undefined ? '–' : `${number.format(value)} kWh`);
export const percent = (value) => (value === null || value === undefined ? '–' : `${number.format(value)} %`);
export const text = (value) => (value === null || value === undefined || value === '' ? '–' : String(value));

export function time(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A CSS class per OCPP or online status, so a glance tells charging from faulted. */
export function statusClass(status) {
  const s = String(status ?? '').toLowerCase();
  if (s === 'charging' || s === 'online') return 'ok';
  if (s === 'faulted' || s === 'offline' || s === 'unavailable') return 'bad';
  if (s.startsWith('suspended') || s === 'preparing' || s === 'finishing') return 'warn';
  return 'idle';
}

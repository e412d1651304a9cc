// The console's only back end: the public REST API under /v2, with the operator's bearer token.
// The token lives in sessionStorage: it is gone when the browser tab closes.
const TOKEN_KEY = 'ampcms.token';

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  set token(value) { sessionStorage.setItem(TOKEN_KEY, value); },
  clear() { sessionStorage.removeItem(TOKEN_KEY); },
};

export class ApiError extends Error {
  constructor(status, body) {
    super(describe(status, body));
    this.status = status;
    this.body = body;
  }
}

function describe(status, body) {
  if (body?.status === 'fail' && body.data && typeof body.data === 'object')
    return Object.entries(body.data).map(([field, why]) => `${field}: ${typeof why === 'string' ? why : JSON.stringify(why)}`).join('; ');
  if (body?.message) return body.message;
  return `HTTP ${status}`;
}

/** Calls the API; resolves with the JSend body, rejects with ApiError. A 401 signs the operator out. */
export async function api(path, { method = 'GET', body, token = session.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  let json = null;
  try { json = await response.json(); } catch { /* an empty or non-JSON answer */ }
  if (response.status === 401 && token === session.token && token) {
    session.clear();
    window.dispatchEvent(new Event('ampcms:signed-out'));
  }
  if (!response.ok || json?.status !== 'success') throw new ApiError(response.status, json);
  return json;
}

/** The first 1000 rows of a list (the API's largest page). */
export async function list(path, params = {}) {
  const query = new URLSearchParams({ limit: '1000', ...params });
  return (await api(`${path}?${query}`)).data;
}

/** The URL query of a record, dropping empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null) q.append(key, value);
  return q.toString();
}

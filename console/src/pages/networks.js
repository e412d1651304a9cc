// Networks overview: capacity, measured load and limit in force, open sessions, chargers online and offline.
import { api, list } from '../api.js';
import { html, render } from '../html.js';
import { kw } from '../format.js';
import { poll } from '../poll.js';

export function networksPage() {
  let stop = null;
  return {
    mount(el) {
      render(el, html`<h1>Networks</h1><section class="card"><div id="networks"><p class="muted">Loading…</p></div></section><p id="networks-error" class="error" role="alert"></p>`);
      stop = poll(async () => {
        try {
          const [networks, chargers] = await Promise.all([list('/v2/networks/'), list('/v2/charge_points/')]);
          const sessions = await Promise.all(networks.map((n) =>
            api(`/v2/charging_sessions/?network=${n.id}&limit=1`).then((r) => r.total)));
          render(el.querySelector('#networks'), table(networks, chargers, sessions));
          el.querySelector('#networks-error').textContent = '';
        } catch (e) {
          el.querySelector('#networks-error').textContent = `Could not load the networks: ${e.message}`;
        }
      }, 5000);
    },
    dispose() { stop?.(); },
  };
}

function table(networks, chargers, sessions) {
  if (networks.length === 0)
    return html`<p class="muted">No network yet. Create one with <code>POST /v2/networks/</code> (see the README).</p>`;
  const rows = networks.map((n, i) => {
    const mine = chargers.filter((c) => c.networkId === n.id);
    const online = mine.filter((c) => c.onlineStatus === 'ONLINE').length;
    return html`<tr>
      <td><a href="#/networks/${n.id}">${n.name}</a></td>
      <td class="num">${kw(n.maxCapacity)}</td>
      <td class="num">${kw(n.currentChargingLoad ?? 0)}</td>
      <td class="num">${kw(n.currentLimit)}</td>
      <td class="num">${sessions[i]}</td>
      <td class="num"><span class="pill ok">${online} online</span> <span class="pill ${mine.length - online ? 'bad' : 'idle'}">${mine.length - online} offline</span></td>
    </tr>`;
  });
  return html`<table class="grid">
    <thead><tr><th>Network</th><th class="num">Capacity</th><th class="num">Measured load</th><th class="num">Limit in force</th><th class="num">Open sessions</th><th class="num">Chargers</th></tr></thead>
    <tbody>${rows}</tbody>
  </table>`;
}

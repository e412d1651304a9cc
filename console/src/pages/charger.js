// Charger page: status, connectors, recent OCPP messages, and common OCPP 1.6 commands sent through
// POST /v2/ocpp_messages (sendToCharger), each showing the charger's answer.
import { api, list, query } from '../api.js';
import { html, render } from '../html.js';
import { kw, statusClass, text, time } from '../format.js';
import { poll } from '../poll.js';

const REFRESH_MS = 3000;

const commands = [
  { action: 'Reset', title: 'Reset', button: 'Reset', fields: html`
      <label for="reset-type">Type</label>
      <select id="reset-type" name="type"><option>Soft</option><option>Hard</option></select>`,
    payload: (f) => ({ type: f.type }) },
  { action: 'UnlockConnector', title: 'Unlock connector', button: 'Unlock', fields: html`
      <label for="unlock-connector">Connector</label>
      <input id="unlock-connector" name="connectorId" type="number" min="1" value="1" required>`,
    payload: (f) => ({ connectorId: Number(f.connectorId) }) },
  { action: 'RemoteStartTransaction', title: 'Remote start', button: 'Start', fields: html`
      <label for="start-connector">Connector</label>
      <input id="start-connector" name="connectorId" type="number" min="1" value="1" required>
      <label for="start-idtag">Id tag</label>
      <input id="start-idtag" name="idTag" maxlength="20" required>`,
    payload: (f) => ({ connectorId: Number(f.connectorId), idTag: f.idTag }) },
  { action: 'RemoteStopTransaction', title: 'Remote stop', button: 'Stop', fields: html`
      <label for="stop-transaction">Transaction id</label>
      <input id="stop-transaction" name="transactionId" type="number" min="0" required>`,
    payload: (f) => ({ transactionId: Number(f.transactionId) }) },
  { action: 'GetConfiguration', title: 'Get configuration', button: 'Get configuration', fields: html`
      <label for="config-keys">Keys (comma-separated, empty for all)</label>
      <input id="config-keys" name="keys" placeholder="HeartbeatInterval, MeterValueSampleInterval">`,
    payload: (f) => {
      const key = f.keys.split(',').map((k) => k.trim()).filter(Boolean);
      return key.length ? { key } : {};
    } },
];

export function chargerPage(id) {
  let stop = null;
  return {
    mount(el) {
      render(el, html`
        <p class="crumbs"><a href="#/">Networks</a> › <a id="network-link" href="#/">network</a> ›</p>
        <h1 id="charger-name">Charger</h1>
        <div id="charger-status" class="tiles"></div>
        <section class="card"><h2>Connectors</h2><div id="connectors"></div></section>
        <section class="card"><h2>Commands</h2>
          <p class="hint">Sent to the charger as OCPP calls; the charger's answer is shown under each command.</p>
          <div class="commands">${commands.map((c) => html`
            <form class="command" data-action="${c.action}" aria-label="${c.title}">
              <h3>${c.title}</h3>${c.fields}
              <button type="submit" title="Sends ${c.action}">${c.button}</button>
              <output class="answer" data-answer="${c.action}" aria-live="polite"></output>
            </form>`)}</div></section>
        <section class="card"><h2>Recent OCPP messages</h2><div id="messages"></div></section>
        <p id="charger-error" class="error" role="alert"></p>`);
      for (const form of el.querySelectorAll('form.command')) {
        const command = commands.find((c) => c.action === form.dataset.action);
        form.addEventListener('submit', (event) => { event.preventDefault(); send(id, command, form); });
      }
      stop = poll(() => refresh(el, id), REFRESH_MS);
    },
    dispose() { stop?.(); },
  };
}

async function refresh(el, id) {
  try {
    const [charger, connectors, messages] = await Promise.all([
      api(`/v2/charge_points/${id}`).then((r) => r.data[0]),
      list('/v2/connectors/', { chargepoint: id }),
      api(`/v2/ocpp_messages/?${query({ chargepoint: id, sort: 'timestamp:desc', limit: 20 })}`).then((r) => r.data),
    ]);
    const [network, sessions] = await Promise.all([
      api(`/v2/networks/${charger.networkId}`).then((r) => r.data[0]),
      list('/v2/charging_sessions/', { network: charger.networkId }),
    ]);
    el.querySelector('#charger-name').textContent = charger.name;
    const link = el.querySelector('#network-link');
    link.href = `#/networks/${network.id}`;
    link.textContent = network.name;
    // Remote stop needs a transaction id: offer the charger's open session unless the operator typed one.
    const stop = el.querySelector('#stop-transaction');
    const open = sessions.find((s) => s.chargePointId === id && s.transactionId !== null);
    if (open && stop.value === '' && document.activeElement !== stop) stop.value = open.transactionId;
    render(el.querySelector('#charger-status'), statusTiles(charger));
    render(el.querySelector('#connectors'), connectorTable(charger, connectors));
    render(el.querySelector('#messages'), messageTable(messages));
    el.querySelector('#charger-error').textContent = '';
  } catch (e) {
    el.querySelector('#charger-error').textContent = `Could not refresh: ${e.message}`;
  }
}

async function send(id, command, form) {
  const output = form.querySelector('output');
  const button = form.querySelector('button');
  const fields = Object.fromEntries(new FormData(form));
  const messageId = `ui-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  button.disabled = true;
  output.className = 'answer pending';
  output.textContent = `Sent ${command.action}, waiting for the charger…`;
  try {
    const result = await api('/v2/ocpp_messages/', {
      method: 'POST',
      body: { chargePointId: id, sendToCharger: true, body: [2, messageId, command.action, command.payload(fields)] },
    });
    const answer = result.data[0]?.messages?.[0] ?? result.data[0];
    const ok = answer?.status === 'Answered';
    output.className = `answer ${ok ? 'ok' : 'bad'}`;
    output.textContent = describeAnswer(answer);
  } catch (e) {
    output.className = 'answer bad';
    output.textContent = `Not sent: ${e.message}`;
  } finally {
    button.disabled = false;
  }
}

function describeAnswer(answer) {
  if (!answer) return 'No answer.';
  if (answer.status === 'Answered') return `Answered: ${JSON.stringify(answer.response, null, 2)}`;
  if (answer.status === 'CallError') return `CallError ${answer.errorCode ?? ''}: ${answer.errorDescription ?? ''}`.trim();
  return `${answer.status}${answer.error ? `: ${answer.error}` : ''}`;
}

function statusTiles(c) {
  const tile = (label, value, cls = '') => html`<div class="tile ${cls}"><div class="label">${label}</div><div class="value">${value}</div></div>`;
  return [
    tile('Online', c.onlineStatus ?? 'OFFLINE', statusClass(c.onlineStatus ?? 'offline')),
    tile('Power', kw(c.currentChargingLoad ?? 0), 'measured'),
    tile('Limit', kw(c.currentLimit)),
    tile('Max capacity', kw(c.maxCapacity)),
    tile('OCPP id', text(c.ocppId)),
    tile('Model', `${text(c.vendor)} ${c.modelName ?? ''}`.trim()),
    tile('Protocol', text(c.protocol)),
    tile('Last seen', time(c.onlineStatusUpdate)),
  ];
}

function connectorTable(charger, connectors) {
  if (connectors.length === 0) return html`<p class="muted">No connector reported yet.</p>`;
  return html`<table class="grid"><thead><tr><th class="num">Connector</th><th>Status</th><th>Since</th><th class="num">Power</th><th class="num">Limit</th><th class="num">Max</th></tr></thead><tbody>${
    connectors.sort((a, b) => a.connectorId - b.connectorId).map((k) => html`<tr>
      <td class="num">${k.connectorId}</td>
      <td><span class="pill ${statusClass(k.ocppStatus)}" data-connector-status="${charger.ocppId}-${k.connectorId}">${k.ocppStatus ?? 'Unknown'}</span></td>
      <td>${time(k.ocppStatusUpdate)}</td>
      <td class="num">${kw(k.currentChargingLoad ?? 0)}</td><td class="num">${kw(k.currentLimit)}</td><td class="num">${kw(k.maxCapacity)}</td></tr>`)}</tbody></table>`;
}

function messageTable(messages) {
  if (messages.length === 0) return html`<p class="muted">No message yet.</p>`;
  return html`<table class="grid compact messages"><thead><tr><th>Time</th><th>From</th><th>Type</th><th>Action</th><th>Body</th></tr></thead><tbody>${
    messages.map((m) => html`<tr><td>${time(m.timestamp)}</td><td>${text(m.source)}</td><td>${text(m.messageType)}</td><td>${text(m.operationType)}</td>
      <td><code class="body" title="${JSON.stringify(m.body)}">${JSON.stringify(m.body)}</code></td></tr>`)}</tbody></table>`;
}

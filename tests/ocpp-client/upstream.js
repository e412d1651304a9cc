#!/usr/bin/env node
// A third-party CMS for proxy-mode tests: an ocpp-rpc RPCServer in strict mode with its own transaction ids.
//
//   node upstream.js [--tx-start 5000] [--port 0]
//
// stdin, one JSON object per line:
//   {"call":"GetConfiguration","identity":"cp-1","payload":{...},"tag":"t"}  send a CALL to a connected charger
//   {"stop":true}      close every client and stop listening (an outage)
//   {"start":true}     listen again on the same port
//   {"refuse":"StartTransaction","code":"SecurityError","count":1}  answer the next `count` calls of that action with a CALLERROR (acknowledged: refusing)
// stdout, one JSON object per line, always with "event":
//   listening (port), connected (identity, protocol, username, password), received (a charger CALL: identity, action,
//   payload, messageId, answer), refused (a charger CALL answered with a CALLERROR: identity, action, payload, code),
//   result / error (answer to our call), disconnected (identity), strictValidationFailure, fatal.
'use strict';

const readline = require('node:readline');
const { RPCServer, createRPCError } = require('ocpp-rpc');

function emit(event, fields) {
    process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

const args = { txStart: 5000, port: 0 };
for (let i = 2; i < process.argv.length; i++) {
    if (process.argv[i] === '--tx-start') args.txStart = Number(process.argv[++i]);
    else if (process.argv[i] === '--port') args.port = Number(process.argv[++i]);
}

let nextTx = args.txStart;
const now = () => new Date().toISOString();

// The upstream's own answers: its boot interval (777) and its transaction ids tell the test who answered.
const answers = {
    'ocpp1.6': {
        BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 777 }),
        Heartbeat: () => ({ currentTime: now() }),
        StatusNotification: () => ({}),
        Authorize: () => ({ idTagInfo: { status: 'Accepted' } }),
        StartTransaction: () => ({ transactionId: nextTx++, idTagInfo: { status: 'Accepted' } }),
        StopTransaction: () => ({ idTagInfo: { status: 'Accepted' } }),
        MeterValues: () => ({}),
        DataTransfer: () => ({ status: 'Accepted' }),
    },
    'ocpp2.0.1': {
        BootNotification: () => ({ status: 'Accepted', currentTime: now(), interval: 777 }),
        Heartbeat: () => ({ currentTime: now() }),
        StatusNotification: () => ({}),
        Authorize: () => ({ idTokenInfo: { status: 'Accepted' } }),
        TransactionEvent: () => ({}),
        MeterValues: () => ({}),
        NotifyEvent: () => ({}),
        ReportChargingProfiles: () => ({}),
    },
};

const clients = new Map();
const refusals = new Map(); // action -> { code, count }
let server = null;
let port = args.port;

async function start() {
    server = new RPCServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true });
    server.on('client', (client) => {
        const { identity, protocol } = client;
        clients.set(identity, client);
        emit('connected', { identity, protocol, password: client.handshake?.password?.toString() ?? null });
        client.on('strictValidationFailure', (e) =>
            emit('strictValidationFailure', { identity, action: e.method, outbound: e.outbound, isCall: e.isCall, message: e.error?.message }));
        client.on('close', () => {
            if (clients.get(identity) === client) clients.delete(identity);
            emit('disconnected', { identity });
        });
        client.handle(({ method, params, messageId }) => {
            const refusal = refusals.get(method);
            if (refusal && refusal.count > 0) {
                refusal.count--;
                emit('refused', { identity, action: method, payload: params, messageId, code: refusal.code });
                throw createRPCError(refusal.code, `upstream.js refuses ${method}`);
            }
            const make = answers[protocol][method];
            if (!make) throw createRPCError('NotImplemented', `upstream.js has no answer for ${method}`);
            const answer = make();
            emit('received', { identity, action: method, payload: params, messageId, answer });
            return answer;
        });
    });
    const http = await server.listen(port, '127.0.0.1');
    port = http.address().port;
    emit('listening', { port });
}

async function main() {
    await start();
    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', async (line) => {
        if (!line.trim()) return;
        let cmd;
        try { cmd = JSON.parse(line); } catch (err) { emit('fatal', { message: `bad command: ${err.message}` }); return; }
        if (cmd.call) {
            const client = clients.get(cmd.identity);
            if (!client) { emit('error', { tag: cmd.tag ?? null, action: cmd.call, code: 'NoClient', message: cmd.identity }); return; }
            client.call(cmd.call, cmd.payload ?? {}).then(
                (payload) => emit('result', { action: cmd.call, tag: cmd.tag ?? null, payload }),
                (err) => emit('error', { action: cmd.call, tag: cmd.tag ?? null, code: err.rpcErrorCode ?? err.name, message: err.message }));
        } else if (cmd.refuse) {
            refusals.set(cmd.refuse, { code: cmd.code ?? 'GenericError', count: cmd.count ?? 1 });
            emit('refusing', { action: cmd.refuse });
        } else if (cmd.stop) {
            await server.close({ code: 1001, reason: 'upstream.js outage', force: true });
            emit('stopped', {});
        } else if (cmd.start) {
            await start();
        }
    });
    lines.on('close', async () => { await server.close({ force: true }); process.exit(0); });
}

main().catch((err) => { emit('fatal', { message: err.message }); process.exit(1); });

#!/usr/bin/env node
// A scripted OCPP charger for integration tests. ocpp-rpc in strict mode checks every message we
// send and receive against the official schemas, so it is an independent judge of the server.
//
//   node charger.js <ws-url ending in /{ocppId}> [--protocol ocpp1.6|ocpp2.0.1] [--password secret]
//
// stdin, one JSON object per line:
//   {"call":"BootNotification","payload":{...},"tag":"optional"}  send a CALL to the server
//   {"handle":"SetChargingProfile","reply":{...}}                  canned CALLRESULT for server calls
//   {"handle":"Reset","error":{"code":"NotSupported","message":"..."}}  canned CALLERROR
//   {"handle":"SetChargingProfile","silent":true}                  never answer (a charger that times out)
//   {"upload":"http://…","method":"PUT","body":"…","tag":"t"}      HTTP upload (diagnostics), answered by "uploaded"
//   {"close":true}                                                 close and exit
// stdout, one JSON object per line, always with "event":
//   open, result, error (our call failed), received (a server CALL, with payload), replied,
//   strictValidationFailure, badMessage, close, fatal.
'use strict';

const readline = require('node:readline');
const { RPCClient, createRPCError } = require('ocpp-rpc');

function emit(event, fields) {
    process.stdout.write(JSON.stringify({ event, ...fields }) + '\n');
}

function parseArgs(argv) {
    const args = { url: null, protocol: 'ocpp1.6', password: undefined };
    for (let i = 0; i < argv.length; i++) {
        if (argv[i] === '--protocol') args.protocol = argv[++i];
        else if (argv[i] === '--password') args.password = argv[++i];
        else args.url = argv[i];
    }
    if (!args.url) throw new Error('usage: node charger.js <ws-url>/<ocppId> [--protocol p] [--password s]');
    return args;
}

function errorFields(err) {
    return { code: err.rpcErrorCode ?? err.code ?? err.name, message: err.message, details: err.details ?? null };
}

async function main() {
    const args = parseArgs(process.argv.slice(2));
    // ocpp-rpc wants endpoint and identity apart; it joins them back as endpoint/identity.
    const cut = args.url.lastIndexOf('/');
    const client = new RPCClient({
        endpoint: args.url.slice(0, cut),
        identity: decodeURIComponent(args.url.slice(cut + 1)),
        protocols: [args.protocol],
        password: args.password,
        strictMode: true,
        reconnect: false,
    });

    const canned = new Map();
    client.handle(({ method, params, messageId }) => {
        emit('received', { action: method, payload: params, messageId });
        const answer = canned.get(method);
        if (!answer) throw createRPCError('NotImplemented', `charger.js has no reply for ${method}`);
        if (answer.silent) return new Promise(() => {});
        if (answer.error) throw createRPCError(answer.error.code, answer.error.message ?? '');
        emit('replied', { action: method, payload: answer.reply, messageId });
        return answer.reply;
    });
    client.on('strictValidationFailure', (e) =>
        emit('strictValidationFailure', { action: e.method, outbound: e.outbound, isCall: e.isCall, message: e.error?.message }));
    client.on('badMessage', (e) =>
        emit('badMessage', { message: e.error?.message, raw: e.buffer?.toString() }));
    let opened = false;
    client.on('close', (e) => {
        emit('close', { code: e.code, reason: e.reason?.toString() });
        // Before open, connect() rejects next and main() reports it as fatal.
        if (opened) process.exit(0);
    });

    await client.connect();
    opened = true;
    emit('open', { protocol: client.protocol });

    const lines = readline.createInterface({ input: process.stdin });
    lines.on('line', (line) => {
        if (!line.trim()) return;
        let cmd;
        try {
            cmd = JSON.parse(line);
        } catch (err) {
            emit('fatal', { message: `bad command: ${err.message}` });
            return;
        }
        if (cmd.handle) {
            canned.set(cmd.handle, { reply: cmd.reply ?? {}, error: cmd.error, silent: cmd.silent === true });
            emit('handling', { action: cmd.handle });
        } else if (cmd.call) {
            client.call(cmd.call, cmd.payload ?? {}).then(
                (payload) => emit('result', { action: cmd.call, tag: cmd.tag ?? null, payload }),
                (err) => emit('error', { action: cmd.call, tag: cmd.tag ?? null, ...errorFields(err) }));
        } else if (cmd.upload) {
            // What a charger does with a GetDiagnostics/GetLog location: send the file there over HTTP.
            fetch(cmd.upload, { method: cmd.method ?? 'PUT', body: cmd.body ?? '' }).then(
                async (res) => emit('uploaded', { tag: cmd.tag ?? null, status: res.status, body: await res.text() }),
                (err) => emit('uploaded', { tag: cmd.tag ?? null, status: null, error: err.message }));
        } else if (cmd.close) {
            client.close({ code: 1000, reason: 'charger.js done' });
        }
    });
    // The test harness closing stdin means we are done.
    lines.on('close', () => client.close({ code: 1000, reason: 'stdin closed' }));
}

main().catch((err) => {
    emit('fatal', { message: err.message, code: err.code ?? null, status: err.response?.statusCode ?? null });
    process.exit(1);
});

#!/usr/bin/env node
// ocpp-rpc's own RPCServer (strict mode, in memory): the reference the issue compares AmpCMS with.
// Prints "listening <port>" once ready. Answers what the bench client sends; stores meter values in memory only.
'use strict';
const { RPCServer } = require('ocpp-rpc');

async function main() {
    const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
    let nextTransaction = 1;
    const readings = [];
    server.on('client', (client) => {
        client.handle('BootNotification', () => ({ status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 }));
        client.handle('StartTransaction', () => ({ transactionId: nextTransaction++, idTagInfo: { status: 'Accepted' } }));
        client.handle('MeterValues', ({ params }) => { readings.push(params); if (readings.length > 100000) readings.length = 0; return {}; });
        client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    });
    const http = await server.listen(0, '127.0.0.1');
    process.stdout.write(`listening ${http.address().port}\n`);
}
main().catch((e) => { console.error(e); process.exit(1); });

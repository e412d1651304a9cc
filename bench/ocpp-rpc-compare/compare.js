#!/usr/bin/env node
// The same ocpp-rpc client (strict mode, N chargers in this process) against AmpCMS and against ocpp-rpc's own
// in-memory RPCServer, each server in its own process, one after the other in one run. Each charger boots, starts a
// transaction, then sends MeterValues back to back (one CALL outstanding, as OCPP-J wants) for the measured window.
// Prints msgs/s, p50/p99 and the server's CPU µs per message (/proc/<pid>/stat, window only), and the ratios; then
// each server's CPU per message by kind of thread (/proc/<pid>/task), which shows where a change moved the work, and
// the bytes the server wrote per message (files and sockets) and, for AmpCMS, allocated on its heap (its /metrics);
// and the client's own CPU meanwhile, its main thread's (the one that runs every charger) busy and waiting for a CPU
// (busy + waiting near 100 %: the client bounds the throughput), and the CPU the rest of the machine spent.
//   node compare.js <path to Cms.Host.dll> [--chargers 100] [--seconds 8] [--warmup 2] [--rounds 1] [--against <other Cms.Host.dll>] [--max-steal 5]
// --rounds N runs the pair N times, interleaved, and prints the median ratio: on a shared box one pair's ratio moves by
// ±10 % from run to run; every other round runs the second server first. --against runs a second AmpCMS build instead
// of ocpp-rpc (a change against its baseline). A round in which the hypervisor stole more than --max-steal % (5) of the
// CPU in either window runs again, up to 3 times (this box's neighbours took up to 20 % in some windows).
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const net = require('node:net');
const { RPCClient } = require('ocpp-rpc');

const args = process.argv.slice(2);
const hostDll = args[0];
const opt = (name, dflt) => { const i = args.indexOf(name); return i >= 0 ? Number(args[i + 1]) : dflt; };
const CHARGERS = opt('--chargers', 100), SECONDS = opt('--seconds', 8), WARMUP = opt('--warmup', 2), ROUNDS = opt('--rounds', 1);
const againstDll = args.includes('--against') ? args[args.indexOf('--against') + 1] : null;
const MAX_STEAL = opt('--max-steal', 5), STEAL_RETRIES = 3;
const TOKEN = 'bench-admin-token-0123456789';
const CLK_TCK = 100; // Linux USER_HZ

function cpuSeconds(pid, task = '') {
    const stat = fs.readFileSync(`/proc/${pid}${task}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

// CPU seconds per kind of thread ("group-commit", ".NET Sockets", ".NET TP Worker", ...: the name without its number),
// which says where a change moved the work; a thread that ended within the window is missing from it.
function cpuByThread(pid) {
    const byName = new Map();
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        try {
            const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim().replace(/\s*\d+$/, '');
            byName.set(name, (byName.get(name) ?? 0) + cpuSeconds(pid, `/task/${tid}`));
        } catch { /* the thread ended meanwhile */ }
    }
    return byName;
}

// Bytes the process handed to write-type syscalls (/proc/<pid>/io wchar, every thread, ended ones included): for
// AmpCMS mostly its store's WAL and checkpoint copies, for either server also the answers sent on the sockets.
function bytesWritten(pid) {
    return Number(/^wchar: (\d+)$/m.exec(fs.readFileSync(`/proc/${pid}/io`, 'utf8'))[1]);
}

// Nanoseconds a thread spent runnable but waiting for a CPU (/proc/<pid>/task/<tid>/schedstat, 2nd field).
function taskWait(pid, tid) {
    return Number(fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]);
}

// The same for all of a process's threads: whether the client lost its core to the server's threads rather than waited
// on its answers.
function runQueueWait(pid) {
    let ns = 0;
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        try { ns += taskWait(pid, tid); } catch { /* ended */ }
    }
    return ns;
}

// The machine's CPU ticks so far (/proc/stat's first line: user, nice, system, idle, iowait, irq, softirq, steal, ...).
function cpuTicks() {
    return fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
}

// CPU seconds the whole machine spent busy (all but idle and iowait): minus the server's and the client's, what the
// rest of the machine (the kernel's writeback and journal threads among it) spent meanwhile.
function machineBusySeconds() {
    const t = cpuTicks();
    return (t.reduce((a, b) => a + b, 0) - t[3] - t[4]) / CLK_TCK;
}

// Ticks the hypervisor gave this machine's CPUs to others ("steal"): a noisy neighbour shows here.
function stealTicks() {
    return cpuTicks()[7];
}

// TCP segments sent on this machine (/proc/net/snmp OutSegs: both ends of the loopback): per message, whether a server
// answers in one segment or more (each costs the client a wake-up), and how many bare ACKs flow.
function tcpSegmentsSent() {
    const lines = fs.readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Tcp:'));
    const names = lines[0].split(/\s+/), values = lines[1].split(/\s+/);
    return Number(values[names.indexOf('OutSegs')]);
}

function freePort() {
    return new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
}

// Bytes the host's .NET heap allocated since it started (its /metrics); null for a server without one.
async function heapAllocated(server) {
    if (!server.metrics) return null;
    const text = await (await fetch(server.metrics)).text();
    return Number(/^dotnet_gc_heap_total_allocated_bytes_total\{[^}]*\} (\d+)/m.exec(text)[1]);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => new Date().toISOString();

async function startAmpCms(dll = hostDll, name = 'AmpCMS') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ampcms-compare-'));
    const port = await freePort();
    // Its warnings and errors reach the console (it logs nothing else here): a host that stopped says why.
    const child = spawn('dotnet', [dll, `--urls=http://127.0.0.1:${port}`, `--Storage:Path=${path.join(dir, 'ampcms.db')}`,
        `--Bootstrap:Token=${TOKEN}`, '--Serilog:MinimumLevel:Default=Warning'], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 600; i++) {
        try { if ((await fetch(`${base}/health`)).ok) break; } catch { /* not yet */ }
        await sleep(100);
    }
    const post = async (p, body) => {
        const r = await fetch(base + p, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
        const json = await r.json();
        if (!r.ok) throw new Error(`POST ${p}: ${r.status} ${JSON.stringify(json)}`);
        return json.data[0].id;
    };
    const network = await post('/v2/networks/', { name: 'compare', maxCapacity: CHARGERS * 22 });
    const ids = [];
    for (let i = 0; i < CHARGERS; i += 10) {
        await Promise.all(Array.from({ length: Math.min(10, CHARGERS - i) }, async (_, k) => {
            const ocppId = `CMP-${String(i + k).padStart(4, '0')}`;
            const cp = await post('/v2/charge_points/', { name: ocppId, maxCapacity: 22, networkId: network, ocppId });
            await post('/v2/connectors/', { chargePointId: cp, connectorId: 1, maxCapacity: 22, currentType: 'DC', voltage: 400 });
            ids.push(ocppId);
        }));
    }
    return { name, child, endpoint: `ws://127.0.0.1:${port}/ocpp`, ids, dir, metrics: `${base}/metrics` };
}

async function startOcppRpc() {
    const child = spawn(process.execPath, [path.join(__dirname, 'server.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise((resolve) => child.stdout.on('data', (d) => { const m = /listening (\d+)/.exec(String(d)); if (m) resolve(Number(m[1])); }));
    const ids = Array.from({ length: CHARGERS }, (_, i) => `CMP-${String(i).padStart(4, '0')}`);
    return { name: 'ocpp-rpc RPCServer', child, endpoint: `ws://127.0.0.1:${port}`, ids };
}

async function measure(server) {
    const clients = [], serverCalls = new Map();
    for (let i = 0; i < server.ids.length; i += 20) {
        clients.push(...await Promise.all(server.ids.slice(i, i + 20).map(async (identity) => {
            const c = new RPCClient({ endpoint: server.endpoint, identity, protocols: ['ocpp1.6'], strictMode: true, reconnect: false });
            c.handle(({ method }) => { serverCalls.set(method, (serverCalls.get(method) ?? 0) + 1); return { status: 'Accepted' }; }); // SetChargingProfile and any other server call
            await c.connect();
            await c.call('BootNotification', { chargePointVendor: 'Bench', chargePointModel: 'Compare' });
            const started = await c.call('StartTransaction', { connectorId: 1, idTag: 'BENCH', meterStart: 0, timestamp: now() });
            return { c, tx: started.transactionId, wh: 0 };
        })));
    }
    let measuring = false, stop = false, count = 0, errors = 0;
    const latencies = [];
    const loops = clients.map(async (k) => {
        while (!stop) {
            k.wh += 2;
            const t0 = process.hrtime.bigint();
            try {
                await k.c.call('MeterValues', { connectorId: 1, transactionId: k.tx, meterValue: [{ timestamp: now(), sampledValue: [
                    { value: '7000', measurand: 'Power.Active.Import', unit: 'W' },
                    { value: String(k.wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });
            } catch (e) { errors++; if (errors <= 3) console.error(`  ${server.name}: ${e.message}`); continue; }
            if (measuring) { latencies.push(Number(process.hrtime.bigint() - t0) / 1e6); count++; }
        }
    });
    await sleep(WARMUP * 1000);
    const allocated0 = await heapAllocated(server);
    const cpu0 = cpuSeconds(server.child.pid), written0 = bytesWritten(server.child.pid), threads0 = cpuByThread(server.child.pid), client0 = process.cpuUsage(), main0 = cpuSeconds(process.pid, `/task/${process.pid}`), wait0 = runQueueWait(process.pid), mainWait0 = taskWait(process.pid, process.pid), steal0 = stealTicks(), busy0 = machineBusySeconds(), segs0 = tcpSegmentsSent(), t0 = process.hrtime.bigint();
    measuring = true;
    await sleep(SECONDS * 1000);
    measuring = false;
    const allocated1 = await heapAllocated(server);
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9, cpu = cpuSeconds(server.child.pid) - cpu0;
    const written = bytesWritten(server.child.pid) - written0;
    const clientWaitPct = (runQueueWait(process.pid) - wait0) / 1e7 / elapsed, clientMainWaitPct = (taskWait(process.pid, process.pid) - mainWait0) / 1e7 / elapsed;
    const segments = tcpSegmentsSent() - segs0;
    const busy = machineBusySeconds() - busy0;
    const stealPct = (stealTicks() - steal0) / CLK_TCK * 100 / elapsed / os.cpus().length;
    const clientMainPct = 100 * (cpuSeconds(process.pid, `/task/${process.pid}`) - main0) / elapsed;
    const clientUsage = process.cpuUsage(client0), clientCpu = (clientUsage.user + clientUsage.system) / 1e6;
    const restPct = 100 * (busy - cpu - clientCpu) / elapsed;
    const threads = [...cpuByThread(server.child.pid)].map(([name, s]) => [name, (s - (threads0.get(name) ?? 0)) * 1e6 / Math.max(1, count)])
        .filter(([, us]) => us >= 0.5).sort((x, y) => y[1] - x[1]);
    stop = true;
    await Promise.all(loops);
    await Promise.all(clients.map((k) => k.c.close({ force: true }).catch(() => {})));
    latencies.sort((a, b) => a - b);
    const pct = (p) => latencies.length ? latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] : NaN;
    return { name: server.name, rate: count / elapsed, p50: pct(0.5), p99: pct(0.99), cpuUs: cpu * 1e6 / Math.max(1, count), cpuPct: 100 * cpu / elapsed, errors, threads, writtenKb: written / 1024 / Math.max(1, count), allocatedKb: allocated0 === null ? null : (allocated1 - allocated0) / 1024 / Math.max(1, count),
        clientUs: clientCpu * 1e6 / Math.max(1, count), clientPct: 100 * clientCpu / elapsed, clientMainPct, clientMainWaitPct, restPct, clientWaitPct, stealPct, segmentsPerMsg: segments / Math.max(1, count),
        serverCalls: [...serverCalls].map(([m, n]) => `${m} ${n}`).join(', ') || 'none' };
}

async function main() {
    if (!hostDll || !fs.existsSync(hostDll)) throw new Error('usage: node compare.js <Cms.Host.dll> [--chargers N] [--seconds S] [--warmup S] [--rounds N] [--against <Cms.Host.dll>] [--max-steal P]');
    if (againstDll !== null && !fs.existsSync(againstDll)) throw new Error(`--against: no such file ${againstDll}`);
    console.log(`${CHARGERS} ocpp-rpc chargers (strict) in one Node process, MeterValues back to back, ${SECONDS} s measured after ${WARMUP} s warm-up`);
    const pair = againstDll === null ? [() => startAmpCms(), startOcppRpc] : [() => startAmpCms(hostDll, 'AmpCMS'), () => startAmpCms(againstDll, 'AmpCMS --against')];
    const ratios = [];
    for (let round = 1; round <= ROUNDS; round++) {
        // Even rounds run the second server first: whichever runs first in a pair can be ~10 % faster on this box.
        const order = round % 2 === 1 ? [0, 1] : [1, 0];
        let results = [];
        for (let attempt = 1; ; attempt++) {
            results = [];
            for (const i of order) {
                const server = await pair[i]();
                try { results[i] = await measure(server); }
                finally {
                    server.child.kill('SIGTERM');
                    await new Promise((r) => server.child.once('exit', r));
                    if (server.dir) fs.rmSync(server.dir, { recursive: true, force: true });
                }
            }
            // A window in which the hypervisor took much of the CPU compares the neighbours, not the servers.
            const stolen = Math.max(...results.map((r) => r.stealPct));
            if (stolen <= MAX_STEAL || attempt > STEAL_RETRIES) break;
            console.log(`  (round ${round}: ${stolen.toFixed(1)} % of the CPU was stolen by the hypervisor in a window; running it again)`);
        }
        console.log(`\n${ROUNDS > 1 ? `round ${round} (${results[order[0]].name} first): ` : ''}server             | msgs/s | p50 ms | p99 ms | server CPU µs/msg | server CPU % | errors`);
        for (const r of results)
            console.log(`${r.name.padEnd(18)} | ${r.rate.toFixed(0).padStart(6)} | ${r.p50.toFixed(1).padStart(6)} | ${r.p99.toFixed(1).padStart(6)} | ` +
                `${r.cpuUs.toFixed(0).padStart(17)} | ${r.cpuPct.toFixed(0).padStart(12)} | ${r.errors}`);
        for (const r of results)
            console.log(`  ${r.name} CPU µs/msg by thread: ${r.threads.map(([name, us]) => `${name} ${us.toFixed(1)}`).join(', ')}; ` +
                `written ${r.writtenKb.toFixed(1)} KB/msg; ${r.allocatedKb === null ? '' : `allocated ${r.allocatedKb.toFixed(2)} KB/msg; `}TCP segments ${r.segmentsPerMsg.toFixed(2)}/msg; the client meanwhile: ${r.clientUs.toFixed(0)} µs/msg, ${r.clientPct.toFixed(0)} % CPU (its main thread ${r.clientMainPct.toFixed(0)} %, waiting for a CPU ${r.clientMainWaitPct.toFixed(0)} %), ` +
                `${r.clientWaitPct.toFixed(0)} % waiting for a CPU; the rest of the machine ${r.restPct.toFixed(0)} % CPU; the server's CALLs (whole run): ${r.serverCalls}; ` +
                `CPU time stolen by the hypervisor: ${r.stealPct.toFixed(1)} %`);
        const [a, o] = results;
        ratios.push({ rate: a.rate / o.rate, cpu: a.cpuUs / o.cpuUs });
        console.log(`\n${a.name} / ${o.name}: throughput ${(a.rate / o.rate).toFixed(2)}×, CPU per message ${(a.cpuUs / o.cpuUs).toFixed(2)}×` +
            (againstDll === null ? ' (goal: ≥ 1× and ≤ 1.5×)' : ''));
    }
    if (ROUNDS > 1) {
        const median = (xs) => { const v = [...xs].sort((x, y) => x - y); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
        console.log(`\nmedian of ${ROUNDS} rounds: throughput ${median(ratios.map((r) => r.rate)).toFixed(2)}×, CPU per message ${median(ratios.map((r) => r.cpu)).toFixed(2)}×` +
            ` (CPU ratios ${ratios.map((r) => r.cpu.toFixed(2)).join(', ')})`);
    }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });

#!/usr/bin/env python3
"""Where a host's busy threads spent their samples, from a dotnet-trace (dotnet-sampled-thread-time) trace converted
to speedscope JSON (`dotnet-trace convert --format Speedscope x.nettrace`). Samples whose innermost frame is a wait
(thread pool idle, Monitor.Wait, socket/epoll, file watcher) are dropped: what is left approximates CPU. Each bucket
counts a sample once, by the first matching frame from the innermost outwards, so the buckets add up to 100 %.
Usage: cpu-profile.py trace.speedscope.json"""
import json, sys, collections

WAITS = ("WaitNative", "Monitor.Wait", "WaitOneNoCheck", "Sys.Read", "WaitForSocketEvents", "Interop+Sys.WaitForSocketEvents",
         "Thread.Sleep", "SleepEx", "epoll", "LowLevelLifoSemaphore.WaitForSignal", "WaitHandle.WaitMultiple", "Interop+Sys.Poll")
BUCKETS = [  # first match from the innermost frame outwards
    ("thread pool spinning", ("LowLevelSpinWaiter", "SpinWait.SpinOnce")),
    ("GC", ("GarbageCollect", "PollGC", "GCHeap")),
    ("SQLite (native step/prepare/bind)", ("sqlite3_",)),
    ("Microsoft.Data.Sqlite / Dapper", ("Microsoft.Data.Sqlite", "SqliteCommand", "SqliteDataReader", "SqliteConnection", "SqliteTransaction", "Dapper", "SqlMapper")),
    ("schema validation (NJsonSchema)", ("NJsonSchema", "JsonSchemaValidator", "SchemaValidator")),
    ("JSON (Newtonsoft parse/serialize)", ("Newtonsoft",)),
    ("WebSocket / Kestrel / sockets", ("WebSocket", "Kestrel", "System.Net.Sockets", "SocketAsyncEngine", "Pipelines")),
    ("OCPP message log", ("OcppMessageLog", "CsmsFrameLog", "LogFrame")),
    ("optimizer / delivery", ("Cms.Optimizer", "NetworkOptimizer", "OcppProfileDelivery", "ReoptimizationLoop", "Planning")),
    ("AmpCMS domain (Core/Ocpp code)", ("Cms.Core", "Cms.Ocpp", "MeterValue", "ChargerTransactions", "ChargerStatus", "Ocpp16Adapter", "OcppConnection", "HotPath")),
]

def main(path):
    doc = json.load(open(path))
    frames = [f["name"] for f in doc["shared"]["frames"]]
    counts, busy, total = collections.Counter(), 0, 0
    for prof in doc["profiles"]:
        if prof.get("type") == "sampled":
            stacks, weights = prof["samples"], prof.get("weights") or [1] * len(prof["samples"])
        else:  # evented: turn open/close events into weighted stacks
            stacks, weights, stack, last = [], [], [], None
            for ev in prof["events"]:
                if last is not None and stack and ev["at"] > last:
                    stacks.append(list(stack)); weights.append(ev["at"] - last)
                last = ev["at"]
                if ev["type"] == "O": stack.append(ev["frame"])
                elif stack: stack.pop()
        for stack, w in zip(stacks, weights):
            total += w
            if not stack: continue
            names = [frames[i] for i in stack]
            # The converter ends each stack with CPU_TIME (managed code running) or UNMANAGED_CODE_TIME (native: a wait or real work).
            if names[-1] in ("CPU_TIME", "UNMANAGED_CODE_TIME"):
                pseudo, names = names[-1], names[:-1]
                if not names or (pseudo == "UNMANAGED_CODE_TIME" and any(wname in names[-1] for wname in WAITS)): continue
            elif any(wname in names[-1] for wname in WAITS): continue
            busy += w
            for name in reversed(names):
                hit = next((b for b, keys in BUCKETS if any(k in name for k in keys)), None)
                if hit: counts[hit] += w; break
            else: counts["other (runtime, tasks, channels)"] += w
    print(f"busy samples: {100 * busy / max(total, 1):.1f} % of all thread samples")
    for bucket, w in counts.most_common():
        print(f"  {100 * w / max(busy, 1):5.1f} %  {bucket}")

main(sys.argv[1])

#!/usr/bin/env python3
"""Slow syscalls of the host's threads, and where in the kernel each one slept (how the loop's 100-connector outliers
were traced to SQLite checkpoints inside a commit). Record the host during a loop run, then print:
  perf record -k mono --kernel-callchains -p <host pid> -o host.data \
    -e sched:sched_switch/call-graph=fp/ -e cpu-clock/freq=499,call-graph=fp/ \
    -e syscalls:sys_enter_pwrite64 -e syscalls:sys_exit_pwrite64 -e syscalls:sys_enter_fsync -e syscalls:sys_exit_fsync \
    -e syscalls:sys_enter_ftruncate -e syscalls:sys_exit_ftruncate
  perf script -i host.data -F comm,tid,time,event,trace,ip,sym --ns > host.txt
  python3 bench/tools/slow-syscalls.py host.txt [min ms, default 5] [file holding CLOCK_REALTIME - CLOCK_MONOTONIC in s]
For each syscall that took min ms or more: its thread, arguments, and what the thread did meanwhile (each switch out
with its state, time off CPU and kernel stack: D = waiting for I/O, R/R+ = preempted; cpu-clock samples' stacks). Then
per thread name and syscall: count, p50/p99/p99.9/max ms. The offset file turns perf's monotonic times into the loop
trace's UTC times (python3 -c "import time; print(time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC))")."""

import sys, re, collections
path=sys.argv[1]; minms=float(sys.argv[2]) if len(sys.argv)>2 else 5
off=float(open(sys.argv[3]).read()) if len(sys.argv)>3 else 0
ev=[]; cur=None
hdr=re.compile(r'^(.*?)\s+(\d+)\s+(\d+\.\d+):\s+(\S+):\s*(.*)$')
for l in open(path):
    if not l.strip(): continue
    if l[0]=='\t':
        if cur: cur[5].append(l.split()[1] if len(l.split())>1 else '?')
        continue
    m=hdr.match(l.strip('\n'))
    if not m: continue
    cur=[m.group(1).strip(),int(m.group(2)),float(m.group(3)),m.group(4),m.group(5),[]]
    ev.append(cur)
bytid=collections.defaultdict(list)
for e in ev: bytid[e[1]].append(e)
import datetime
def wall(t): return datetime.datetime.utcfromtimestamp(t+off).strftime('%H:%M:%S.%f')[:-3]
durs=collections.defaultdict(list)
for tid,es in bytid.items():
    open_={}
    for i,e in enumerate(es):
        m=re.match(r'syscalls:sys_(enter|exit)_(\w+)',e[3])
        if not m: continue
        if m.group(1)=='enter': open_[m.group(2)]=(i,e)
        elif m.group(2) in open_:
            j,s=open_.pop(m.group(2)); d=(e[2]-s[2])*1000
            durs[(es[0][0],m.group(2))].append(d)
            if d>=minms:
                print(f"== {wall(s[2])} tid {tid} ({e[0]}) {m.group(2)} {d:.1f} ms  {s[4]}")
                for k in range(j+1,i):
                    x=es[k]
                    nxt=es[k+1][2] if k+1<len(es) else x[2]
                    if 'sched_switch' in x[3]:
                        st=re.search(r'prev_state=(\S+)',x[4]).group(1)
                        print(f"   +{(x[2]-s[2])*1000:6.2f} switch out state={st} off-cpu~{(nxt-x[2])*1000:.2f} ms: {' < '.join(x[5][:12])}")
                    elif 'cpu-clock' in x[3]:
                        print(f"   +{(x[2]-s[2])*1000:6.2f} sample: {' < '.join(x[5][:10])}")
print()
for k,v in sorted(durs.items()):
    v.sort(); n=len(v)
    print(f"{k[0]:16} {k[1]:10} n={n:6} p50={v[n//2]:.3f} p99={v[int(n*.99)]:.3f} p999={v[min(n-1,int(n*.999))]:.3f} max={v[-1]:.2f} >5ms={sum(1 for x in v if x>=5)}")

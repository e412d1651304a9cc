#!/usr/bin/env python3
"""Per-repetition stages of the closed loop, from Cms.Loop.Bench's verbose output and the host's stage trace:
  AMPCMS_LOOP_TRACE=/tmp/trace.txt AMPCMS_BENCH_VERBOSE=1 dotnet run -c Release --project bench/Cms.Loop.Bench -- --sizes 1000 --reps 20 > /tmp/bench.log
  python3 bench/tools/loop-stages.py /tmp/bench.log /tmp/trace.txt [none|load|all]
Prints one line per repetition (ms from t0: handler start, transaction id, session stored, run dequeued/loaded/planned,
delivery begun/queued; GC pause, collections gen0/1/2 and MB allocated during the repetition; the longest write-lock
wait; journal moves and checkpoints near it), then p50/p90/max of each stage per phase. The trace must be new
(the host appends to it)."""
import sys, re, collections

def t(s):
    h,m,x=s.split(':'); return (int(h)*3600+int(m)*60+float(x))*1000
marks=[]
ALLOC={}
GCN={}
for l in open(sys.argv[2]):
    p=l.rstrip('\n').split(' ')
    if len(p)<2: continue
    gc=float(p[-1][3:]) if p[-1].startswith('gc=') else float('nan')
    al=[float(x[6:]) for x in p if x.startswith('alloc=')]
    det=' '.join(x for x in p[2:] if x and not x.startswith(('gc=','alloc=','gcn=')))
    marks.append((t(p[0]),p[1],det,gc))
    ALLOC[(t(p[0]),p[1])]=al[0] if al else float('nan')
    gn=[x[4:] for x in p if x.startswith('gcn=')]
    GCN[(t(p[0]),p[1])]=tuple(map(int,gn[0].split('/'))) if gn else (0,0,0)
marks.sort(key=lambda m:m[0])
reps=[]; phase='none'
for l in open(sys.argv[1]):
    if 'load=False: measured' in l: phase='load'
    m=re.search(r'rep (\d+): t0 (\S+) run (\S+) last \+(\S+) first \+(\S+) answer \+(\S+) host CPU (\S+)',l)
    if m: reps.append((phase,t(m.group(2)),t(m.group(3)),float(m.group(4)),float(m.group(5)),float(m.group(6)),float(m.group(7))))
want=sys.argv[3] if len(sys.argv)>3 else 'all'
def first(st,after,before=None,det=None):
    for ts,s,d,g in marks:
        if ts<after: continue
        if before is not None and ts>before: return None
        if s==st and (det is None or d.startswith(det)): return ts
    return None
rows=[]
for ph,t0,run,last,first_,ans,cpu in reps:
    if want!='all' and ph!=want: continue
    end=t0+last
    r={'ph':ph,'last':last,'ans':ans,'cpu':cpu}
    r['tx.begin']=first('tx.begin',t0-5,end)
    r['tx.id']=first('tx.id',t0-5,end)
    r['tx.started']=first('tx.started',t0-5,end)
    runiso=None
    # run.loaded whose detail = run start
    rl=None
    for ts,s,d,g in marks:
        if s=='run.loaded' and d.startswith('20') and abs(t(d[11:26])-run)<2: rl=ts;break
    r['run.loaded']=rl
    if rl:
        deq=[ts for ts,s,d,g in marks if s=='run.dequeued' and ts<=rl and ts>=t0-50]
        r['run.dequeued']=deq[-1] if deq else None
        r['run.planned']=first('run.planned',rl)
        r['dlv.begin']=first('dlv.begin',rl,det=None)
        r['dlv.queued']=first('dlv.queued',r['dlv.begin'] or rl)
    gcs=[g for ts,s,d,g in marks if t0-5<=ts<=end+5]
    r['gc']=(max(gcs)-min(gcs)) if len(gcs)>1 else float('nan')
    als=[ALLOC[(ts,s)] for ts,s,d,g in marks if t0-5<=ts<=end+5]
    r['alloc']=(max(als)-min(als)) if len(als)>1 else float('nan')
    gns=[GCN[(ts,s)] for ts,s,d,g in marks if t0-5<=ts<=end+5]
    r['gcn']='/'.join(str(gns[-1][i]-gns[0][i]) for i in range(3)) if gns else '-'

    mv=[(ts,s,d) for ts,s,d,g in marks if s in('mv.begin','mv.moved','mv.committed','ckpt.locked','ckpt.done','gc.slow') and t0-400<=ts<=end]
    r['mv']=' '.join(f'{s[3:6] if s.startswith("mv") else s[:8]}{("("+d+")") if d and s!="mv.committed" else ""}@{ts-t0:.0f}' for ts,s,d in mv)
    lk=[(ts,float(d)) for ts,s,d,g in marks if s=='lock.write' and t0-5<=ts<=end and d]
    r['lockmax']=max([w for _,w in lk],default=0)
    rows.append(r)
def rel(r,k,base='t0'):
    v=r.get(k); return None if v is None else v
print(f"{'ph':4} {'last':>5} {'ans':>5} {'cpu':>4} | {'txbeg':>5} {'txid':>5} {'txst':>5} {'deq':>5} {'load':>5} {'plan':>5} {'dlvb':>5} {'queued':>6} | {'gc':>5} {'gcn':>5} {'MB':>3} {'lock':>5} | moves, checkpoints")
for r,(ph,t0,*_) in zip(rows,[x for x in reps if want=='all' or x[0]==want]):
    def f(k):
        v=r.get(k); return f'{v-t0:5.0f}' if v else '    -'
    print(f"{r['ph']:4} {r['last']:5.0f} {r['ans']:5.0f} {r['cpu']:4.0f} | {f('tx.begin')} {f('tx.id')} {f('tx.started')} {f('run.dequeued')} {f('run.loaded')} {f('run.planned')} {f('dlv.begin')} {f('dlv.queued'):>6} | {r['gc']:5.1f} {r['gcn']:>5} {r['alloc']:3.0f} {r['lockmax']:5.1f} | {r['mv']}")
# stage summary
def q(xs,p):
    xs=sorted(x for x in xs if x==x); return xs[min(len(xs)-1,int(p*len(xs)))] if xs else float('nan')
for ph in ('none','load'):
    part=[(r,x[1]) for r,x in zip(rows,[x for x in reps if want=='all' or x[0]==want]) if r['ph']==ph]
    if not part: continue
    def st(a,b):
        return [r[b]-(t0 if a=='t0' else r[a]) for r,t0 in part if (a=='t0' or r.get(a)) and r.get(b)]
    S={'t0→tx.begin':st('t0','tx.begin'),'begin→tx.id':st('tx.begin','tx.id'),'tx.id→started':st('tx.id','tx.started'),'started→deq':st('tx.started','run.dequeued'),
       'snapshot':st('run.dequeued','run.loaded'),'plan':st('run.loaded','run.planned'),'queue sends':st('dlv.begin','dlv.queued'),
       'fanout':[r['last']-(r['dlv.queued']-t0) for r,t0 in part if r.get('dlv.queued')],'gc':[r['gc'] for r,_ in part],'allocMB':[r['alloc'] for r,_ in part],'last':[r['last'] for r,_ in part],'cpu':[r['cpu'] for r,_ in part]}
    print(ph+': '+' | '.join(f'{k} {q(v,.5):.0f}/{q(v,.9):.0f}/{max(v) if v else float("nan"):.0f}' for k,v in S.items()))

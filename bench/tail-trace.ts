// The kernel's own account of a writer's slow fdatasyncs, for bench:tail. ftrace
// records every scheduler switch and wake-up and the writer's fdatasync entries
// and exits; each fdatasync then splits into time blocked (the I/O), on a CPU,
// and runnable without a CPU (the run queue), with who held the CPU meanwhile.
// The same split serves fio's thread and ours: neither is instrumented.
import { execFileSync } from 'node:child_process';
import { createReadStream, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const TRACEFS = '/sys/kernel/tracing';
const EVENTS = [
  'sched:sched_switch',
  'sched:sched_wakeup',
  'syscalls:sys_enter_fdatasync',
  'syscalls:sys_exit_fdatasync',
  'syscalls:sys_enter_write',
];

/** Why tracing cannot run here, or null when it can (mounting tracefs if needed: root only). */
export function traceUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (ftrace)';
  if (!existsSync(join(TRACEFS, 'set_event'))) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'ignore' });
    } catch {
      return `tracefs is not mounted at ${TRACEFS} and mounting it failed`;
    }
  }
  return existsSync(join(TRACEFS, 'events/syscalls/sys_enter_fdatasync'))
    ? null
    : 'this kernel has no syscall tracepoints';
}

const put = (file: string, text: string) => writeFileSync(join(TRACEFS, file), text);

/**
 * Runs `run` with the scheduler and the writers' syscalls traced (the syscalls of threads named `comms` only),
 * then copies the trace to `out`.
 */
export function traced<T>(comms: string[], out: string, run: () => T): T {
  put('tracing_on', '0');
  put('trace', '');
  put('buffer_size_kb', '131072');
  put('trace_clock', 'mono');
  put('options/record-tgid', '1');
  put('set_event', '');
  const filter = comms.map((c) => `comm == "${c}"`).join(' || ');
  for (const e of EVENTS) {
    const [group, name] = e.split(':') as [string, string];
    put(`events/${group}/${name}/filter`, group === 'syscalls' ? filter : '0');
    put(`events/${group}/${name}/enable`, '1');
  }
  put('tracing_on', '1');
  try {
    return run();
  } finally {
    put('tracing_on', '0');
    execFileSync('sh', ['-c', `cat ${TRACEFS}/trace > '${out}'`]);
    put('trace', '');
    put('set_event', '');
    put('options/record-tgid', '0');
  }
}

/** Who held the CPU while the writer waited for one. */
export type Holder =
  | 'idle CPU (wake-up path)'
  | 'own main thread'
  | 'own edb-* threads'
  | 'own other threads'
  | 'neighbour'
  | 'kernel'
  | 'other';

export interface Subject {
  /** The writer thread's name (comm). */
  comm: string;
  /** The measured tool's process (its threads are "own"); fio's job processes are all named fio. */
  tgid?: number;
  /** A process run beside the tool on purpose. */
  neighbourTgid?: number;
}

export interface SyncOp {
  startUs: number;
  /** fdatasync entry to exit. */
  kernelUs: number;
  blockedUs: number;
  runqUs: number;
  /** Runnable without a CPU after the exit, before the writer's next write(): in the sample the tool takes. */
  postRunqUs: number;
  waitBy: Partial<Record<Holder, number>>;
}

interface Line {
  comm: string;
  tid: number;
  tgid: number;
  us: number;
  event: string;
  rest: string;
}

const LINE = /^\s*(.+)-(\d+)\s+\(\s*([-\d]+)\)\s+\[\d+\]\s+\S+\s+([\d.]+): (\w+)(.*)$/;

export function parseLine(text: string): Line | null {
  const m = LINE.exec(text);
  if (!m) return null;
  const tgid = Number(m[3]);
  return {
    comm: m[1]!.trim(),
    tid: Number(m[2]),
    tgid: Number.isFinite(tgid) ? tgid : 0,
    us: Number(m[4]) * 1e6,
    event: m[5]!,
    rest: m[6]!,
  };
}

function holderOf(l: Line, s: Subject): Holder {
  if (l.tid === 0) return 'idle CPU (wake-up path)';
  if (s.neighbourTgid !== undefined && l.tgid === s.neighbourTgid) return 'neighbour';
  if (s.tgid !== undefined ? l.tgid === s.tgid : l.comm === s.comm) {
    if (s.tgid !== undefined && l.tid === l.tgid) return 'own main thread';
    return l.comm.startsWith('edb-') ? 'own edb-* threads' : 'own other threads';
  }
  if (/^(kworker|ksoftirqd|rcu_|migration|kcompactd|jbd2|kswapd|cpuhp|kthreadd|irq\/)/.test(l.comm)) return 'kernel';
  return 'other';
}

/**
 * Every fdatasync of the subject's busiest thread, split. Lines are ftrace's text with record-tgid on; the writer is
 * the thread named `subject.comm` with the most fdatasyncs.
 */
export class SplitParser {
  private readonly ops = new Map<number, SyncOp[]>();
  private readonly state = new Map<
    number,
    { off: 'run' | 'runq' | 'blocked'; since: number; op: SyncOp | null; post: SyncOp | null }
  >();
  constructor(private readonly subject: Subject) {}

  private threadState(tid: number) {
    let st = this.state.get(tid);
    if (!st) {
      st = { off: 'run', since: 0, op: null, post: null };
      this.state.set(tid, st);
    }
    return st;
  }

  line(text: string): void {
    const l = parseLine(text);
    if (!l) return;
    if (l.event === 'sys_fdatasync' && l.comm === this.subject.comm) {
      const st = this.threadState(l.tid);
      if (l.rest.startsWith(' ->')) {
        if (st.op) {
          st.op.kernelUs = l.us - st.op.startUs;
          const list = this.ops.get(l.tid) ?? [];
          this.ops.set(l.tid, list);
          list.push(st.op);
          st.post = st.op;
          st.op = null;
        }
      } else {
        st.op = { startUs: l.us, kernelUs: 0, blockedUs: 0, runqUs: 0, postRunqUs: 0, waitBy: {} };
        st.post = null;
      }
      return;
    }
    if (l.event === 'sys_write' && l.comm === this.subject.comm) {
      this.threadState(l.tid).post = null;
      return;
    }
    if (l.event === 'sched_switch') this.onSwitch(l);
    else if (l.event === 'sched_wakeup') {
      const pid = Number(/ pid=(\d+)/.exec(l.rest)?.[1]);
      const st = this.state.get(pid);
      if (st && st.off === 'blocked') {
        if (st.op) st.op.blockedUs += l.us - st.since;
        st.off = 'runq';
        st.since = l.us;
      }
    }
  }

  private onSwitch(l: Line): void {
    const m = /prev_pid=(\d+) .*prev_state=(\S+) ==> next_comm=.* next_pid=(\d+)/.exec(l.rest);
    if (!m) return;
    const prev = this.state.get(Number(m[1]));
    if (prev) {
      prev.off = m[2]!.startsWith('R') ? 'runq' : 'blocked';
      prev.since = l.us;
    }
    const next = this.state.get(Number(m[3]));
    if (!next) return;
    const waited = l.us - next.since;
    const op = next.op ?? next.post;
    if (next.off === 'runq' && op) {
      if (next.op) op.runqUs += waited;
      else op.postRunqUs += waited;
      const who = holderOf(l, this.subject);
      op.waitBy[who] = (op.waitBy[who] ?? 0) + waited;
    } else if (next.off === 'blocked' && next.op) next.op.blockedUs += waited;
    next.off = 'run';
    next.since = l.us;
  }

  /** The busiest writer thread's operations, in order. */
  result(): SyncOp[] {
    let best: SyncOp[] = [];
    for (const list of this.ops.values()) if (list.length > best.length) best = list;
    return best;
  }
}

/** Parses a trace file written by traced(). */
export async function splitOf(file: string, subject: Subject): Promise<SyncOp[]> {
  const p = new SplitParser(subject);
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const text of lines) p.line(text);
  return p.result();
}

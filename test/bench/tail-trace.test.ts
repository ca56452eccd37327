import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quantile, splitSlow } from '../../bench/tail-table.js';
import { parseLine, SplitParser } from '../../bench/tail-trace.js';

// ftrace's text with record-tgid: the writer edb-seq (tid 50) of process 40, whose main thread is 40 and a V8
// thread 41; a kernel worker 60 completes the I/O.
const at = (s: string, task: string, event: string) => `${task.padStart(20)} [000] d..2. ${s}: ${event}`;
const SW = (prev: string, pid: number, state: string, next: string, nextPid: number) =>
  `sched_switch: prev_comm=${prev} prev_pid=${pid} prev_prio=120 prev_state=${state} ==> next_comm=${next} ` +
  `next_pid=${nextPid} next_prio=120`;
const TRACE = [
  at('1.000000', 'edb-seq-50    (     40)', 'sys_fdatasync(fd: 0x13)'),
  at('1.000010', 'edb-seq-50    (     40)', SW('edb-seq', 50, 'D', 'node', 40)),
  at('1.000100', 'kworker/0:1H-60 (     60)', 'sched_wakeup: comm=edb-seq pid=50 prio=120 target_cpu=000'),
  at('1.000300', 'node-40       (     40)', SW('node', 40, 'R+', 'edb-seq', 50)),
  at('1.000320', 'edb-seq-50    (     40)', 'sys_fdatasync -> 0x0'),
  at('1.000330', 'edb-seq-50    (     40)', SW('edb-seq', 50, 'R', 'node', 41)),
  at('1.000400', 'node-41       (     40)', SW('node', 41, 'S', 'edb-seq', 50)),
  at('1.000410', 'edb-seq-50    (     40)', 'sys_write(fd: 0x13, buf: 0x1, count: 0x8fc)'),
  at('1.000415', 'fio-70        (     70)', 'sys_fdatasync(fd: 0x6)'),
  at('1.000420', 'edb-seq-50    (     40)', 'sys_fdatasync(fd: 0x13)'),
  at('1.000440', '<idle>-0      (-------)', SW('swapper/0', 0, 'R', 'edb-seq', 50)),
  at('1.000470', 'edb-seq-50    (     40)', 'sys_fdatasync -> 0x0'),
];

test('a trace line gives its task, process, time and event', () => {
  const l = parseLine(TRACE[2]!)!;
  assert.deepEqual(
    { comm: l.comm, tid: l.tid, tgid: l.tgid, event: l.event },
    { comm: 'kworker/0:1H', tid: 60, tgid: 60, event: 'sched_wakeup' },
  );
  assert.equal(Math.round(l.us), 1_000_100);
  assert.equal(parseLine(TRACE[10]!)!.tgid, 0);
  assert.equal(parseLine('# tracer: nop'), null);
});

test('each fdatasync splits into blocked, run-queue and on-CPU time, with who held the CPU', () => {
  const p = new SplitParser({ comm: 'edb-seq', tgid: 40 });
  for (const l of TRACE) p.line(l);
  const ops = p.result().map((o) => ({
    kernel: Math.round(o.kernelUs),
    blocked: Math.round(o.blockedUs),
    runq: Math.round(o.runqUs),
    post: Math.round(o.postRunqUs),
    by: Object.fromEntries(Object.entries(o.waitBy).map(([k, v]) => [k, Math.round(v)])),
  }));
  assert.deepEqual(ops, [
    // 90 us blocked until the wake-up, 200 us runnable behind the main thread, 30 us on a CPU; preempted by
    // a V8 thread right after the exit for 70 us, before the next write().
    { kernel: 320, blocked: 90, runq: 200, post: 70, by: { 'own main thread': 200, 'own other threads': 70 } },
    { kernel: 50, blocked: 0, runq: 0, post: 0, by: {} },
  ]);
  const slow = splitSlow(p.result(), 100);
  assert.deepEqual(
    [slow.count, Math.round(slow.totalUs), Math.round(slow.onCpuUs), Math.round(slow.by['own main thread']!)],
    [1, 390, 30, 200],
  );
});

test('fio is traced by name, and a neighbour process is told apart', () => {
  const neighbour = [
    at('2.000000', 'fio-70        (     70)', 'sys_fdatasync(fd: 0x6)'),
    at('2.000010', 'fio-70        (     70)', SW('fio', 70, 'R', 'node', 90)),
    at('2.000110', 'node-90       (     90)', SW('node', 90, 'S', 'fio', 70)),
    at('2.000120', 'fio-70        (     70)', 'sys_fdatasync -> 0x0'),
  ];
  const p = new SplitParser({ comm: 'fio', neighbourTgid: 90 });
  for (const l of neighbour) p.line(l);
  const [op] = p.result();
  assert.equal(Math.round(op!.runqUs), 100);
  assert.deepEqual(Object.keys(op!.waitBy), ['neighbour']);
});

test('quantile is the nearest rank', () => {
  const xs = Array.from({ length: 1000 }, (_, i) => i + 1);
  assert.equal(quantile(xs, 0.999), 999);
  assert.equal(quantile(xs, 0.5), 500);
  assert.ok(Number.isNaN(quantile([], 0.5)));
});

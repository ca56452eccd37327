// bench:tail's tables: per mode, the tail each tool reported beside the
// kernel's, and the slow operations' time split, with who held the CPU while
// the writer waited for one.
import type { Measured } from './fio-runner.js';
import type { Holder, Subject, SyncOp } from './tail-trace.js';
import { median } from './median.js';

export interface TailRun {
  mode: string;
  round: number;
  measured: { m: Measured; subject: Subject };
  ops: SyncOp[];
}

const HOLDERS: Holder[] = [
  'own main thread',
  'own edb-* threads',
  'own other threads',
  'neighbour',
  'kernel',
  'other',
  'idle CPU (wake-up path)',
];

/** The value below which a fraction `q` of `xs` lie (nearest rank). */
export function quantile(xs: number[], q: number): number {
  const s = Float64Array.from(xs).sort();
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/** The split of the operations at or above `thresholdUs` (as the tool saw them: the call and any wait right after). */
export function splitSlow(ops: SyncOp[], thresholdUs: number) {
  const slow = ops.filter((o) => o.kernelUs + o.postRunqUs >= thresholdUs);
  const sum = (f: (o: SyncOp) => number) => slow.reduce((a, o) => a + f(o), 0);
  const by: Partial<Record<Holder, number>> = {};
  for (const o of slow) for (const [h, us] of Object.entries(o.waitBy)) by[h as Holder] = (by[h as Holder] ?? 0) + us;
  return {
    count: slow.length,
    totalUs: sum((o) => o.kernelUs + o.postRunqUs),
    blockedUs: sum((o) => o.blockedUs),
    onCpuUs: sum((o) => Math.max(0, o.kernelUs - o.blockedUs - o.runqUs)),
    runqUs: sum((o) => o.runqUs),
    postRunqUs: sum((o) => o.postRunqUs),
    by,
  };
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const pct = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)} %` : '-');

export function tailMarkdown(runs: TailRun[], at: { dir: string; size: string; seconds: number; at: Date }): string {
  const fioOf = (round: number) => runs.find((r) => r.round === round && r.mode === 'fio');
  const modes = [...new Set(runs.map((r) => r.mode))];
  const rows = [
    '| mode | runs | samples | tool p99.9 us | p99.9 / fio alone | kernel p99.9 us | without run-queue wait | ' +
      'slow ops | their ms | blocked (I/O) | on a CPU | run queue in the call | run queue after it |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  const waits = [
    `| mode | slow ops' run-queue ms | ${HOLDERS.join(' | ')} |`,
    `|---|---|${HOLDERS.map(() => '---').join('|')}|`,
  ];
  for (const mode of modes) {
    const mine = runs.filter((r) => r.mode === mode);
    const ratios: number[] = [];
    const split = { count: 0, totalUs: 0, blockedUs: 0, onCpuUs: 0, runqUs: 0, postRunqUs: 0 };
    const by: Partial<Record<Holder, number>> = {};
    for (const r of mine) {
      const fio = fioOf(r.round);
      if (!fio) continue;
      ratios.push(r.measured.m.p999Ns / fio.measured.m.p999Ns);
      const s = splitSlow(r.ops, fio.measured.m.p999Ns / 1000);
      for (const k of Object.keys(split) as (keyof typeof split)[]) split[k] += s[k];
      for (const [h, us] of Object.entries(s.by)) by[h as Holder] = (by[h as Holder] ?? 0) + us;
    }
    const kernel = median(
      mine.map((r) =>
        quantile(
          r.ops.map((o) => o.kernelUs),
          0.999,
        ),
      ),
    );
    const without = median(
      mine.map((r) =>
        quantile(
          r.ops.map((o) => o.kernelUs - o.runqUs),
          0.999,
        ),
      ),
    );
    rows.push(
      `| ${mode} | ${mine.length} | ${mine.reduce((a, r) => a + r.measured.m.samples, 0)} | ` +
        `${f1(median(mine.map((r) => r.measured.m.p999Ns / 1000)))} | ${median(ratios).toFixed(3)} | ${f1(kernel)} | ` +
        `${f1(without)} | ${split.count} | ${f1(split.totalUs / 1000)} | ${pct(split.blockedUs, split.totalUs)} | ` +
        `${pct(split.onCpuUs, split.totalUs)} | ${pct(split.runqUs, split.totalUs)} | ` +
        `${pct(split.postRunqUs, split.totalUs)} |`,
    );
    waits.push(
      `| ${mode} | ${f1((split.runqUs + split.postRunqUs) / 1000)} | ` +
        `${HOLDERS.map((h) => f1((by[h] ?? 0) / 1000)).join(' | ')} |`,
    );
  }
  const rounds = new Set(runs.map((r) => r.round)).size;
  return [
    `bench:tail, ${at.at.toISOString()}: ${rounds} rounds of ${at.seconds} s time-based runs on ${at.dir} ` +
      `(${at.size} wrapping, 2300-byte writes, fdatasync each), the modes' order rotating. Slow: above the round's ` +
      'fio p99.9. Medians over rounds; slow operations summed.',
    '',
    ...rows,
    '',
    'Who held the CPU while the writer of a slow operation was runnable (ms, summed over rounds):',
    '',
    ...waits,
  ].join('\n');
}

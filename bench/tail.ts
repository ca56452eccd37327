// npm run bench:tail — where the time of the slowest fdatasyncs goes, ours and
// fio's, as the kernel saw it (ftrace: root). Each round runs, time-based on one
// directory and in a rotating order: fio alone, our disk command (fio-etcd), and
// fio with a Node neighbour doing what our main thread does (tail-neighbour.ts).
// An operation is slow when it took longer than the round's fio p99.9; each slow
// one splits into blocked (the I/O), on a CPU, and runnable without a CPU (the
// run queue, inside the call or right after it), with who held the CPU then.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { NODE_FLAGS } from '../src/core/gc-schedule.js';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { recordFigures } from './figures.js';
import { runFio, runOurs } from './fio-runner.js';
import { type SyncOp, splitOf, traced, traceUnavailable } from './tail-trace.js';
import { tailMarkdown, type TailRun } from './tail-table.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_TB_SECONDS ?? 12);
const SIZE = process.env.BENCH_SIZE ?? '22m';
const dirBase = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const MODES = ['fio', 'ours', 'fio + Node neighbour'] as const;
type Mode = (typeof MODES)[number];

async function measure(mode: Mode, dir: string, traceFile: string, rate: number): Promise<TailRun['measured']> {
  if (mode === 'ours') {
    const m = traced(['edb-seq'], traceFile, () => runOurs(dir, SIZE, 'native', SECONDS));
    return { m, subject: { comm: 'edb-seq', tgid: m.pid } };
  }
  if (mode === 'fio')
    return { m: traced(['fio'], traceFile, () => runFio(dir, SIZE, SECONDS)), subject: { comm: 'fio' } };
  const script = join(PACKAGE_ROOT, 'dist', 'bench', 'tail-neighbour.js');
  const child = spawn(process.execPath, [...NODE_FLAGS, script, String(Math.round(rate)), String(SECONDS + 3)], {
    stdio: 'ignore',
  });
  await delay(1500); // its start-up and warm-up (0.8-0.9 s), before fio's clock
  try {
    const m = traced(['fio'], traceFile, () => runFio(dir, SIZE, SECONDS));
    return { m, subject: { comm: 'fio', neighbourTgid: child.pid } };
  } finally {
    child.kill();
  }
}

const why = traceUnavailable();
if (why) {
  process.stderr.write(`bench:tail: ${why}\n`);
  process.exit(2);
}
const dir = mkdtempSync(join(dirBase, 'edb-tail-'));
const traceFile = join(mkdtempSync('/var/tmp/edb-trace-'), 'trace.txt');
const runs: TailRun[] = [];
try {
  let rate = 14000;
  for (let round = 0; round < ROUNDS; round++) {
    for (let k = 0; k < MODES.length; k++) {
      const mode = MODES[(k + round) % MODES.length]!;
      const { m, subject } = await measure(mode, dir, traceFile, rate);
      if (mode === 'fio') rate = m.iops;
      const ops: SyncOp[] = await splitOf(traceFile, subject);
      runs.push({ mode, round, measured: { m, subject }, ops });
      process.stderr.write(`round ${round + 1}/${ROUNDS}: ${mode} done (${ops.length} fdatasyncs traced)\n`);
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(join(traceFile, '..'), { recursive: true, force: true });
}
const md = tailMarkdown(runs, { dir: dirBase, size: SIZE, seconds: SECONDS, at: new Date() });
process.stdout.write(`${md}\n`);
for (const p of recordFigures('tail', md)) process.stderr.write(`written: ${p}\n`);

// npm run bench:fio — fio's etcd recipe against our native and js engines on
// one directory, alternating (order rotated), three rounds, plus one round on tmpfs (where
// fdatasync is free and only tool overhead shows). Prints sync percentiles,
// per-operation wall time, and ratios to fio measured side by side.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { runFio, runOurs, type Measured } from './fio-runner.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// The recipe's 22 MiB gives 10,029 samples: about 100 above p99. BENCH_SIZE=110m gives five times as many.
const SIZE = process.env.BENCH_SIZE ?? '22m';
const diskBase = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const us = (ns: number) => (ns / 1000).toFixed(1);
const ratio = (a: number, b: number) => (a / b).toFixed(3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// The order rotates from round to round so that no tool always runs right
// after another one's file was deleted (the filesystem may still be discarding it).
function round(dir: string, size: string, i: number): Measured[] {
  const runs = [() => runFio(dir, size), () => runOurs(dir, size, 'native'), () => runOurs(dir, size, 'js')];
  const out: Measured[] = [];
  for (let k = 0; k < runs.length; k++) {
    const which = (k + i) % runs.length;
    out[which] = runs[which]!();
  }
  return out;
}

function table(title: string, rounds: Measured[][]): string {
  const lines = [`### ${title}`, '', '| round | tool | ops | sync p50 us | sync p99 us | sync p99.9 us | wall/op us | p50 / fio | p99 / fio | p99.9 / fio | wall / fio |', '|---|---|---|---|---|---|---|---|---|---|---|'];
  rounds.forEach((r, i) => {
    const fio = r[0]!;
    for (const m of r)
      lines.push(`| ${i + 1} | ${m.tool} | ${m.ops} | ${us(m.p50Ns)} | ${us(m.p99Ns)} | ${us(m.p999Ns)} | ${us(m.wallPerOpNs)} | ${ratio(m.p50Ns, fio.p50Ns)} | ${ratio(m.p99Ns, fio.p99Ns)} | ${ratio(m.p999Ns, fio.p999Ns)} | ${ratio(m.wallPerOpNs, fio.wallPerOpNs)} |`);
  });
  if (rounds.length > 1) {
    lines.push('', '| median of per-round ratios | p50 / fio | p99 / fio | p99.9 / fio | wall / fio |', '|---|---|---|---|---|');
    for (const tool of ['native', 'js']) {
      const rs = rounds.map((r) => ({ m: r.find((x) => x.tool === tool)!, fio: r[0]! }));
      const med = (f: (m: Measured) => number) => median(rs.map(({ m, fio }) => f(m) / f(fio))).toFixed(3);
      lines.push(`| ${tool} | ${med((m) => m.p50Ns)} | ${med((m) => m.p99Ns)} | ${med((m) => m.p999Ns)} | ${med((m) => m.wallPerOpNs)} |`);
    }
  }
  return lines.join('\n');
}

const diskDir = mkdtempSync(join(diskBase, 'edb-bench-'));
const shmDir = mkdtempSync('/dev/shm/edb-bench-');
try {
  const onDisk: Measured[][] = [];
  for (let i = 0; i < ROUNDS; i++) {
    onDisk.push(round(diskDir, SIZE, i));
    process.stderr.write(`disk round ${i + 1}/${ROUNDS} done\n`);
  }
  // 10x the recipe's size on tmpfs: 100k ops, so fio's millisecond runtime is precise enough.
  const onTmpfs = [round(shmDir, '220m', 0)];
  const report = [
    `## bench:fio on ${diskBase} (${SIZE}, 2300 B, fdatasync each) and /dev/shm (220 MiB), ${new Date().toISOString()}`,
    '',
    table(`real disk: ${diskBase}`, onDisk),
    '',
    table('tmpfs: /dev/shm (fdatasync is a no-op: tool overhead only)', onTmpfs),
  ].join('\n');
  process.stdout.write(report + '\n');
  mkdirSync(join(PACKAGE_ROOT, 'results'), { recursive: true });
  const out = join(PACKAGE_ROOT, 'results', `bench-fio-${Date.now()}.json`);
  writeFileSync(out, JSON.stringify({ onDisk, onTmpfs }, null, 2));
  process.stderr.write(`raw figures: ${out}\n`);
} finally {
  rmSync(diskDir, { recursive: true, force: true });
  rmSync(shmDir, { recursive: true, force: true });
}

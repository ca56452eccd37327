// npm run bench:wal — fio's etcd recipe and our `wal` profile (etcd's WAL
// shape with the bbolt commit stream beside it) on the same directory,
// alternating, three rounds. They need not agree: the point is to show how
// etcd's write shape differs from fio's on this disk.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskResult } from '../src/disk/disk-result.js';
import { runFio } from './fio-runner.js';
import { cliArgs } from './cli-args.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RUNTIME = process.env.BENCH_WAL_RUNTIME ?? '60s';
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const us = (ns: number | null) => (ns === null ? '-' : (ns / 1000).toFixed(1));

function runWal(dir: string): DiskResult {
  let out: string;
  try {
    out = execFileSync(
      process.execPath,
      [...cliArgs(), 'disk', '--dir', dir, '--profile', 'wal', '--runtime', RUNTIME, '--json'],
      {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
  } catch (e) {
    out = (e as { stdout?: string }).stdout ?? '';
  }
  return JSON.parse(out) as DiskResult;
}

const dir = mkdtempSync(join(base, 'edb-bench-wal-'));
const lines = [
  `## bench:wal on ${base}: fio recipe (22 MiB, 2300 B) vs wal profile (${RUNTIME}), ${new Date().toISOString()}`,
  '',
  '| round | run | ops | fdatasync p50 us | p99 us | p99.9 us | max us | IOPS | wal p99 / fio p99 | commit p99 us ' +
    '| cut p50 us |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
];
try {
  for (let i = 1; i <= ROUNDS; i++) {
    const f = runFio(dir, '22m');
    const w = runWal(dir);
    const s = w.latency.sync;
    lines.push(
      `| ${i} | fio | ${f.ops} | ${us(f.p50Ns)} | ${us(f.p99Ns)} | ${us(f.p999Ns)} | - | ` +
        `${Math.round(1e9 / f.wallPerOpNs)} | 1.000 | - | - |`,
    );
    lines.push(
      `| ${i} | wal | ${s.count} | ${us(s.p50Ns)} | ${us(s.p99Ns)} | ${us(s.p999Ns)} | ${us(s.maxNs)} | ` +
        `${w.totals.iops} | ${(s.p99Ns / f.p99Ns).toFixed(3)} | ${us(w.commit?.latency.op.p99Ns ?? null)} | ` +
        `${us(w.wal?.cut.p50Ns ?? null)} |`,
    );
    process.stderr.write(`round ${i}/${ROUNDS} done\n`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(lines.join('\n'));

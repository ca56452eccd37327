// Runs fio's etcd recipe and our `disk` command and reads both into the same
// shape, for side-by-side benchmarks.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DiskResult } from '../src/disk/disk-result.js';
import { cliArgs } from './cli-args.js';

export interface Measured {
  tool: string;
  ops: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  p9999Ns: number;
  /** Sync latency samples behind the percentiles. */
  samples: number;
  meanNs: number;
  /** Elapsed wall time divided by operations. */
  wallPerOpNs: number;
  /** Write+sync operations per second of the run. */
  iops: number;
  /** The process that ran (ftrace's tgid in bench:tail). */
  pid: number;
}

interface FioJob {
  job_runtime: number;
  write: { total_ios: number; runtime: number };
  sync: { lat_ns: { N: number; mean: number; percentile: Record<string, number> } };
}

let unique = 0;

/**
 * fio --rw=write --ioengine=sync --fdatasync=1 --size=SIZE --bs=2300, on a file name never used before; with
 * `timeBasedSec`, --time_based --runtime=SEC.
 */
export function runFio(dir: string, size: string, timeBasedSec = 0): Measured {
  const name = `etcd-bench-${process.pid}-${Date.now()}-${unique++}`;
  const run = spawnSync(
    'fio',
    [
      '--rw=write',
      '--ioengine=sync',
      '--fdatasync=1',
      `--directory=${dir}`,
      `--size=${size}`,
      '--bs=2300',
      `--name=${name}`,
      '--output-format=json',
      ...(timeBasedSec > 0 ? ['--time_based', `--runtime=${timeBasedSec}`] : []),
    ],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  if (run.status !== 0) throw new Error(`fio failed (${run.status}): ${run.stderr}`);
  const out = run.stdout;
  for (const f of readdirSync(dir)) if (f.startsWith(name)) rmSync(join(dir, f));
  const job = (JSON.parse(out) as { jobs: FioJob[] }).jobs[0]!;
  const lat = job.sync.lat_ns;
  const ops = job.write.total_ios;
  return {
    tool: 'fio',
    ops,
    p50Ns: lat.percentile['50.000000']!,
    p99Ns: lat.percentile['99.000000']!,
    p999Ns: lat.percentile['99.900000']!,
    p9999Ns: lat.percentile['99.990000']!,
    samples: lat.N,
    meanNs: lat.mean,
    wallPerOpNs: (job.write.runtime * 1e6) / ops,
    iops: ops / (job.write.runtime / 1000),
    pid: run.pid ?? 0,
  };
}

/** Our `disk` command with the fio-etcd profile (and the given size), via the built CLI. */
export function runOurs(dir: string, size: string, engine: 'native' | 'js', timeBasedSec = 0): Measured {
  const run = spawnSync(
    process.execPath,
    [
      ...cliArgs(),
      'disk',
      '--dir',
      dir,
      '--profile',
      'fio-etcd',
      '--size',
      size,
      '--engine',
      engine,
      '--json',
      ...(timeBasedSec > 0 ? ['--time-based', '--runtime', `${timeBasedSec}s`] : []),
    ],
    {
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  // A verdict other than PASS (exit 1, or 4 with no letter) still printed a result.
  if (!run.stdout) throw new Error(`etcd-disk-bench disk exited ${run.status} with no result`);
  const r = JSON.parse(run.stdout) as DiskResult;
  const s = r.latency.sync;
  return {
    tool: engine,
    ops: r.totals.ops,
    p50Ns: s.p50Ns,
    p99Ns: s.p99Ns,
    p999Ns: s.p999Ns,
    p9999Ns: s.p9999Ns,
    samples: s.count,
    meanNs: s.meanNs,
    wallPerOpNs: r.totals.elapsedNs / r.totals.ops,
    iops: r.totals.ops / (r.totals.elapsedNs / 1e9),
    pid: run.pid ?? 0,
  };
}

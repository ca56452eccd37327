// `disk` runs end to end through the built CLI: the JSON result, value
// sources, signals, environment failures, and nothing left behind.
import assert from 'node:assert/strict';
import { fallocateSync } from '../helpers/fallocate.js';
import { existsSync, readdirSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { release } from 'node:os';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { CLI, runCli, startCli, waitFor } from '../helpers/cli.js';
import { execFileSync } from 'node:child_process';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-run-');
const runDirs = () => readdirSync(dir).filter((f) => f.startsWith('etcd-disk-bench-'));

test('--json prints the result: workload, engine, preparation, options with sources, checks', async () => {
  const r = await runCli(['disk', '--dir', dir, '--size', '1m', '--json']);
  // a grade D or F (exit 1) on this shared disk is a verdict, not this test's failure
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.schema, 'etcd-disk-bench/disk-result@4');
  assert.equal(res.complete, true);
  assert.equal(res.engine, 'native');
  assert.equal(res.workload.prepare, 'fallocate');
  assert.equal(res.workload.syncMethod, 'fdatasync');
  assert.equal(res.workload.blockSize, 2300);
  assert.equal(res.totals.ops, Math.floor(1048576 / 2300));
  assert.equal(res.totals.syncs, res.totals.ops);
  assert.equal(res.latency.sync.count, res.totals.ops);
  assert.equal(res.latency.write.count, res.totals.ops);
  assert.ok(
    res.latency.sync.p50Ns > 0 &&
      res.latency.sync.p50Ns <= res.latency.sync.p99Ns &&
      res.latency.sync.p99Ns <= res.latency.sync.maxNs,
  );
  assert.equal(res.latency.response.count, 0);
  assert.deepEqual(res.options.size, { value: 1048576, source: 'cli' });
  assert.deepEqual(res.options.blockSize, { value: 2300, source: 'default' });
  assert.deepEqual(res.options.syncP99Limit, { value: 10e6, source: 'default' });
  assert.equal(res.options.fdatasync, undefined, 'fio shorthands are folded into the options they set');
  assert.deepEqual(
    res.checks.map((c) => c.id),
    ['sync-p99', 'stall', 'save-stall', 'latency-over-time'],
  );
  assert.equal(res.checks[3]!.status, 'not-run', 'a run of a few seconds cannot show a step change');
  assert.equal(res.checks[1]!.measured, Math.max(res.latency.write.maxNs, res.latency.sync.maxNs));
  assert.equal(['A', 'B', 'C'].includes(res.grade.letter ?? ''), res.passed, 'A-C exactly when the run passed');
  assert.match(r.stderr, /^GRADE [A-F]: /m);
  assert.equal(res.checks[0]!.id, 'sync-p99');
  assert.equal(res.checks[0]!.measured, res.latency.sync.p99Ns);
  assert.equal(res.checks[0]!.unit, 'ns');
  assert.equal(res.checks[0]!.status, res.latency.sync.p99Ns < 10e6 ? 'pass' : 'fail');
  // A not-run check neither passes nor fails the run; a stall on this shared disk may fail the stall check.
  assert.equal(
    res.passed,
    res.checks[0]!.status === 'pass' && !res.checks.some((c) => c.status === 'fail'),
    'a not-run check neither passes nor fails the run',
  );
  assert.ok(
    res.writerThread!.voluntarySwitches >= res.totals.syncs * 0.5,
    'the writer thread sleeps in its fdatasyncs',
  );
  assert.ok(res.writerThread!.involuntarySwitches >= 0);
  // The JS thread yielded the CPU to the writer where it could be put back (root), and the report says so.
  assert.equal(res.writerThread!.jsThreadPolicy, process.geteuid?.() === 0 ? 'idle' : null);
  assert.equal(res.target.mount?.fsType, res.target.fsType === 'ext4' ? 'ext4' : res.target.mount?.fsType);
  assert.ok(res.target.mount!.mountPoint.length >= 1);
  if (res.target.device)
    assert.ok(res.target.device.physical.length >= 1 && res.target.device.stack[0] === res.target.device.name);
  assert.match(r.stderr, /^device: /m);
  assert.equal(res.host.kernel, release());
  assert.ok(res.host.cpu.cores >= 1 && res.host.memoryBytes > 0);
  assert.equal(typeof res.host.virtualization.hypervisorCpuFlag, 'boolean');
  assert.equal(res.wal, null);
  assert.equal(res.commit, null);
  assert.equal(res.neighbours, null);
  assert.equal(res.methods, null);
  assert.ok(res.timeSeries.sync.length >= 1);
  assert.equal(
    res.timeSeries.sync.reduce((n, w) => n + w.count, 0),
    res.totals.ops,
  );
  assert.match(r.stderr, /fdatasync\s+\d+/);
  assert.match(r.stderr, /PASS|FAIL/);
  assert.deepEqual(runDirs(), [], 'run directory removed');
});

test('profile values, overridden by the command line, with sources recorded; fio spellings accepted', async () => {
  const r = await runCli([
    'disk',
    '--dir',
    dir,
    '--profile',
    'etcd-perf',
    '--runtime',
    '1s',
    '--size',
    '4m',
    '--fdatasync=2',
    '--json',
  ]);
  assert.equal(r.code === 0 || r.code === 1 || r.code === 4, true, r.stderr);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.profile?.name, 'etcd-perf');
  assert.deepEqual(res.options.blockSize, { value: 8000, source: 'profile' });
  assert.deepEqual(res.options.timeBased, { value: true, source: 'profile' });
  assert.deepEqual(res.options.runtime, { value: 1e9, source: 'cli' });
  assert.deepEqual(res.options.size, { value: 4 * 1048576, source: 'cli' });
  assert.deepEqual(res.options.syncEvery, { value: 2, source: 'cli' });
  assert.equal(res.totals.syncs, Math.floor(res.totals.ops / 2));
  // A time-based run stops at the first op to end after its runtime: past it by at most that op (this shared disk
  // stalls near 1 s at times), plus setup.
  const longest = Math.max(res.latency.sync.maxNs, res.latency.write.maxNs);
  assert.ok(
    res.totals.elapsedNs >= 0.9e9 && res.totals.elapsedNs < 1.5e9 + longest,
    `elapsed ${res.totals.elapsedNs}, longest op ${longest}`,
  );
  assert.deepEqual(runDirs(), []);
});

test('--engine js runs the same workload', async () => {
  const r = await runCli(['disk', '--dir', dir, '--size', '256k', '--engine', 'js', '--json']);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.engine, 'js');
  assert.equal(res.totals.ops, Math.floor(262144 / 2300));
  assert.deepEqual(runDirs(), []);
});

for (const [sig, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
] as const) {
  test(`${sig} mid-run stops the writer, removes the run directory and reports an incomplete result`, async () => {
    const run = startCli(['disk', '--dir', dir, '--size', '64m', '--runtime', '30s', '--time-based', '--json']);
    await waitFor(() => runDirs().length === 1 && existsSync(join(dir, runDirs()[0]!, 'seq.dat')));
    await new Promise((r) => setTimeout(r, 300));
    run.child.kill(sig);
    const r = await run.done;
    assert.equal(r.code, code, r.stderr);
    const res = JSON.parse(r.stdout) as DiskResult;
    assert.equal(res.complete, false);
    assert.match(res.incompleteReason!, new RegExp(sig));
    assert.ok(res.totals.ops > 0);
    assert.equal(res.passed, false);
    assert.match(r.stderr, /INCOMPLETE/);
    assert.deepEqual(listing(dir), []);
  });
}

test('a read-only directory is an environment error: exit 3, clear message', { skip: needs('root') }, async (_t) => {
  const ro = mountTmpfs(dir, 'ro', 'ro,size=100m');
  assert.ok(ro, 'a tmpfs was mounted');
  const r = await runCli(['disk', '--dir', ro, '--size', '1m']);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /--dir: cannot write in .*ro \(EROFS\)/);
});

test('a directory without room for the file plus the margin is refused before writing: exit 3', {
  skip: needs('root'),
}, async (_t) => {
  const small = mountTmpfs(dir, 'tiny', 'size=50m');
  assert.ok(small, 'a tmpfs was mounted');
  const r = await runCli(['disk', '--dir', small, '--size', '30m']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /--dir: .*tiny has \d+ bytes free; the run needs 31457280 plus a 67108864-byte margin/);
  assert.deepEqual(listing(small), []);
});

test('tmpfs is memory, not a disk: the run measures, but gives no disk verdict (exit 4)', async () => {
  const r = await runCli(['disk', '--dir', '/dev/shm', '--size', '256k']);
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /warning: \/dev\/shm is on tmpfs: memory, not a disk/);
  assert.match(r.stderr, /GRADE -: no disk verdict: memory, not a disk: the directory is on tmpfs/);
  assert.deepEqual(
    readdirSync('/dev/shm').filter((f) => f.startsWith('etcd-disk-bench-')),
    [],
  );
});

test('the disk filling up mid-run: exit 3, the error named, an incomplete result, nothing left', {
  skip: needs('root'),
}, async (_t) => {
  const small = mountTmpfs(dir, 'small', 'size=100m');
  assert.ok(small, 'a tmpfs was mounted');
  const run = startCli([
    'disk',
    '--dir',
    small,
    '--size',
    '30m',
    '--bs',
    '4k',
    '--prepare',
    'none',
    '--sync-method',
    'none',
    '--rate',
    '2000',
    '--runtime',
    '20s',
    '--time-based',
    '--json',
  ]);
  await waitFor(() => readdirSync(small).some((f) => f.startsWith('etcd-disk-bench-')));
  const fs = statfsSync(small);
  fallocateSync(join(small, 'filler'), fs.bavail * fs.bsize - (1 << 20));
  const r = await run.done;
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /ENOSPC: no space left on device, write '/);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.complete, false);
  assert.equal(res.error?.code, 'ENOSPC');
  assert.equal(res.error?.syscall, 'write');
  assert.deepEqual(listing(small), ['filler']);
});

test('the reader of our output going away (| head -1) does not stop the run from cleaning up', async () => {
  // A real shell pipeline: head exits after one line, every later write of ours meets a closed pipe.
  const quoted = [process.execPath, CLI, 'disk', '--dir', dir, '--runtime', '3s', '--time-based']
    .map((a) => `'${a}'`)
    .join(' ');
  const out = execFileSync('sh', ['-c', `${quoted} 2>&1 | head -1; sleep 1`], { encoding: 'utf8' });
  assert.match(out, /^etcd-disk-bench: disk, at most 3 s: /);
  await waitFor(() => listing(dir).length === 0, 20_000);
});

// The grader against disks made slow on purpose: qualify on slowfs (a FUSE
// passthrough that sleeps before every fsync/fdatasync) with the delays of
// the incident report, and fsync failing with EIO.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { mountSlowfs, type SlowfsMount } from '../../src/lab/slowfs.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { needs } from '../helpers/needs.js';
import { runCli, startCli, waitFor, qualifyArgs } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { listing, tempDir } from '../helpers/tmp.js';

const skip = needs('root', 'etcd', 'slowfs');
const cleanup = new CleanupRegistry();
// Registered before the temporary directories: hooks run in order, and the mount must go before its directory.
after(() => cleanup.drain());
const root = tempDir('edb-slow-');
const outDir = tempDir('edb-slow-out-');
let fs: SlowfsMount;

before(async () => {
  if (skip) return;
  mkdirSync(join(root, 'back'));
  mkdirSync(join(root, 'mnt'));
  fs = await mountSlowfs(join(root, 'back'), join(root, 'mnt'), { fsyncDelayUs: 0 }, cleanup);
});
interface Case {
  delayMs: number;
  members: number;
  exit: number;
  letters: string[];
  /** Checks that must fail, by id. */
  failing: string[];
}

// The verdicts the incident report's scale asks for: 2 ms healthy, 10-50 ms alert, > 50 ms trouble, 800 ms the outage.
const CASES: Case[] = [
  // FUSE itself adds latency: the disk checks pass, and a letter lost on etcd's own numbers is put down to FUSE in the
  // report.
  { delayMs: 0, members: 1, exit: 0, letters: ['A', 'B', 'C'], failing: [] },
  { delayMs: 20, members: 1, exit: 1, letters: ['D'], failing: ['sync-p99', 'fio-sync-p99'] },
  { delayMs: 100, members: 1, exit: 1, letters: ['F'], failing: ['sync-p99', 'fio-sync-p99', 'commit-p99'] },
  {
    delayMs: 800,
    members: 3,
    exit: 1,
    letters: ['F'],
    failing: ['sync-p99', 'fio-sync-p99', 'commit-p99', 'iops', 'stall', 'leader-changes'],
  },
];

for (const c of CASES) {
  test(`qualify on a disk with ${c.delayMs} ms added to every fsync (${c.members} ` +
    `member${c.members > 1 ? 's' : ''}): grade ${c.letters.join(' or ')}`, {
    skip,
  }, async (t) => {
    fs.set({ fsyncDelayUs: c.delayMs * 1000 });
    const out = join(outDir, `q-${c.delayMs}.json`);
    const r = await runCli(
      qualifyArgs(fs.mountPoint, out, '2s', '3s', '4s', ['--members', String(c.members)]),
      120_000,
    );
    const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
    assert.equal(report.complete, true, report.incompleteReason);
    assert.ok(
      report.warnings.some((w) => /is on a FUSE filesystem: every sync also pays the trip through its daemon/.test(w)),
      'the report says FUSE is in the way',
    );
    const failed = report.checks.filter((k) => k.status === 'fail').map((k) => k.id);
    // FUSE's own cost (no delay added): etcd's figures, and the backend commit stream, whose scattered page writes
    // each make a trip through the daemon (commit p99 37-63 ms was seen on a busy host with no delay); and the
    // longest single write or sync, which this shared disk's own stalls (near 1 s at times) decide, not the delay.
    const fuseOnly = (id: string) => id.startsWith('etcd-') || id === 'commit-p99' || id === 'stall';
    const fuseCost = c.delayMs === 0 && failed.length > 0 && failed.every(fuseOnly);
    // This shared disk's own tail comes on top of the delay: with 20 ms added a WAL p99 of 54 ms was seen on a busy
    // host, and the scale makes a p99 over 50 ms (or a stall near 1 s) F. Never the 20 ms alone.
    const syncP99 = Math.max(
      report.phases.wal.result?.latency.sync.p99Ns ?? 0,
      report.phases.fio.result?.latency.sync.p99Ns ?? 0,
    );
    const worse =
      c.letters.includes('D') && report.grade.letter === 'F' && (syncP99 > 50e6 || failed.includes('stall'));
    if (fuseCost) t.diagnostic(`FUSE overhead cost a letter: ${failed.join(', ')} failed with no delay added`);
    else {
      assert.equal(r.code, c.exit, `${report.grade.letter}: ${report.verdict.text}`);
      if (worse) t.diagnostic(`this disk's own tail made it F: ${report.grade.reason}`);
      else assert.ok(c.letters.includes(report.grade.letter!), `grade ${report.grade.letter}: ${report.grade.reason}`);
    }
    const p99 = (ns: number | undefined) => (ns === undefined ? '-' : `${(ns / 1e6).toFixed(3)} ms`);
    t.diagnostic(
      `grade ${report.grade.letter}; WAL fdatasync p99 ${p99(report.phases.wal.result?.latency.sync.p99Ns)}, fio ` +
        `recipe p99 ${p99(report.phases.fio.result?.latency.sync.p99Ns)}; failing: ${failed.join(', ') || 'none'}`,
    );
    for (const id of c.failing) {
      // A p99 is judged on 100 observations at least: a 2 s fio phase on a slowed disk may hold fewer (not run).
      const k = report.checks.find((x) => x.id === id)!;
      const thin = k.status === 'not-run' && k.observations !== undefined && k.observations < 100;
      assert.ok(failed.includes(id) || thin, `${id} should fail; failed: ${failed.join(', ')}`);
    }
    if (c.delayMs > 0) {
      // On the disk; or, on a host whose CPU was taken meanwhile (steal, a saturated run queue), on the host, named
      // with its figures: what the verdict may say, never a pass.
      const writer = report.phases.wal.result!.attribution.writer;
      if (writer.cause === 'host') t.diagnostic(`the WAL phase's figures were put on the host: ${writer.why}`);
      else assert.equal(writer.cause, 'disk', writer.why);
      for (const id of failed) {
        const k = report.checks.find((x) => x.id === id)!;
        assert.ok(k.cause === 'disk' || (k.cause === 'host' && writer.cause === 'host'), `${id}: ${k.cause}`);
      }
      assert.match(report.verdict.text, writer.cause === 'host' ? /not fit for etcd|NO VERDICT/ : /not fit for etcd/);
    }
    if (c.delayMs === 0)
      assert.deepEqual(
        failed.filter((id) => !fuseOnly(id)),
        [],
        'no fsync check fails without a delay',
      );
    // The delay sets the floor of every sync, and the median; the tail above it is this shared disk's own (a 2 s
    // phase at 100 ms a sync holds about 20 syncs, so its p99 is its slowest, and a stall of ~1 s here decides it).
    const wal = report.phases.wal.result!.latency.sync;
    if (c.delayMs > 0) {
      assert.ok(wal.p99Ns >= c.delayMs * 1e6, `WAL p99 ${wal.p99Ns} ns for a ${c.delayMs} ms delay`);
      assert.ok(
        wal.p50Ns >= c.delayMs * 1e6 && wal.p50Ns < c.delayMs * 1e6 * 1.5 + 20e6,
        `WAL p50 ${wal.p50Ns} ns for a ${c.delayMs} ms delay`,
      );
    }
    for (const id of failed)
      assert.match(
        r.stderr,
        new RegExp(`FAIL {4}${report.checks.find((k) => k.id === id)!.title.replace(/[()+.]/g, '\\$&')}`),
      );
    assert.deepEqual(
      listing(fs.mountPoint).filter((f) => f !== '.slowfs'),
      [],
    );
    assert.deepEqual(etcdProcessesWith(fs.mountPoint), []);
  });
}

test('fsync failing with EIO is a hard failure of the disk: exit 3, the error named, never a pass', {
  skip,
}, async () => {
  fs.set({ fsyncDelayUs: 0, failFsync: true });
  try {
    const r = await runCli(['disk', '--dir', fs.mountPoint, '--size', '1m', '--json']);
    assert.equal(r.code, 3, r.stderr);
    const res = JSON.parse(r.stdout) as DiskResult;
    assert.equal(res.complete, false);
    assert.equal(res.passed, false);
    assert.equal(res.grade.letter, null);
    assert.deepEqual([res.error?.code, res.error?.syscall], ['EIO', 'fdatasync']);
    assert.equal(res.totals.syncs, 0, 'the failed sync is not counted as done');
    assert.match(r.stderr, /error: .*EIO/);
    const out = join(outDir, 'eio.json');
    const q = await runCli(qualifyArgs(fs.mountPoint, out, '2s', '2s', '2s'));
    assert.equal(q.code, 3, q.stderr);
    const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
    assert.equal(report.complete, false);
    assert.equal(report.phases.fio.status, 'failed');
    assert.match(report.incompleteReason!, /the fio phase failed: .*EIO/);
    assert.equal(report.verdict.passed, false);
    assert.ok(fs.status().failed! >= 2);
  } finally {
    fs.set({ fsyncDelayUs: 0 });
  }
  assert.deepEqual(
    listing(fs.mountPoint).filter((f) => f !== '.slowfs'),
    [],
  );
});

test('one sync delayed 300 ms fails the stall check (late heartbeats: D); one delayed 1.5 s is severe (F), both on ' +
  'the disk', {
  skip,
}, async (t) => {
  for (const [delayMs, letter, words] of [
    [300, 'D', /heartbeats would be late/],
    [1500, 'F', /severe/],
  ] as const) {
    fs.set({ fsyncDelayUs: 0, onceUs: delayMs * 1000 });
    const r = await runCli(['disk', '--dir', fs.mountPoint, '--size', '1m', '--json']);
    const res = JSON.parse(r.stdout) as DiskResult;
    const stall = res.checks.find((c) => c.id === 'stall')!;
    assert.equal(stall.status, 'fail', `${delayMs} ms`);
    if (stall.measured! >= delayMs * 1e6 + 150e6) {
      // This shared disk stalled longer than the delay put in: the longest sync is its own, and so is the letter.
      t.diagnostic(`the host's disk stalled ${stall.measured} ns beside a ${delayMs} ms delay; its letter is moot`);
      assert.equal(stall.cause, 'disk');
      continue;
    }
    assert.ok(
      stall.measured! >= delayMs * 1e6 && stall.measured! < delayMs * 1e6 + 150e6,
      `longest sync ${stall.measured} ns for a ${delayMs} ms stall`,
    );
    assert.deepEqual(
      [stall.limit, stall.severeAt],
      [200e6, 1000e6],
      "twice etcd's 100 ms heartbeat; its 1 s election timeout",
    );
    assert.match(stall.note ?? '', words);
    assert.equal(stall.cause, 'disk');
    assert.equal(res.grade.letter, letter, res.grade.reason);
    assert.equal(r.code, 1);
  }
  assert.equal(fs.status().once_us, 0, 'the one-off delay was used up');
});

/**
 * The step fails on the disk, or, where the host's CPU wait or steal over the stretch could account for it, the
 * check names the host instead (as the attribution rules say; this shared machine is busy at times).
 */
function onTheDiskOrTheHost(check: DiskResult['checks'][number]): boolean {
  if (check.status === 'inconclusive') return check.cause === 'host' && /the host can account for it/.test(check.note!);
  return check.status === 'fail' && check.cause === 'disk';
}

test("a step 5 s into a run is found: the baseline is the run's lowest stretch, not its first minute", {
  skip,
}, async (t) => {
  fs.set({ fsyncDelayUs: 0 });
  const run = startCli(
    ['disk', '--dir', fs.mountPoint, '--time-based', '--runtime', '24s', '--size', '4m', '--json'],
    90_000,
  );
  await waitFor(() => listing(fs.mountPoint).some((f) => f.startsWith('etcd-disk-bench-')));
  await new Promise((r) => setTimeout(r, 5000));
  fs.set({ fsyncDelayUs: 5000 });
  const r = await run.done;
  fs.set({ fsyncDelayUs: 0 });
  const res = JSON.parse(r.stdout) as DiskResult;
  const found = JSON.stringify(res.stepChange);
  const step = res.stepChange.findings.find((f) => f.kind === 'step');
  const baseline = res.stepChange.baselineP99Ns ?? 0;
  if (!step && baseline * 4 > baseline + 5e6) {
    // This shared disk's own p99 was so high (a busy host) that 5 ms more is not 4x it: the change is then found as a
    // stretch above the limit from the same second, put on the disk.
    const above = res.stepChange.findings.find((f) => f.kind === 'above-limit');
    const check = res.checks.find((c) => c.id === 'latency-over-time')!;
    if (!above && baseline + 5e6 < 10e6) {
      // Nor does the new level reach the 10 ms limit: by the rule's own terms there is nothing to find, and it passes.
      assert.equal(check.status, 'pass', JSON.stringify(check));
      t.diagnostic(`a baseline p99 of ${baseline} ns: 5 ms more is neither 4x it nor over the limit: ${found}`);
      return;
    }
    assert.ok(above && above.startSecond >= 3 && above.startSecond <= 8, `nothing found at the step: ${found}`);
    assert.ok(onTheDiskOrTheHost(check), JSON.stringify(check));
    t.diagnostic(`a baseline p99 of ${baseline} ns hides a 4x step; found above the limit: ${found}`);
    return;
  }
  assert.ok(step, `no step found: ${found}`);
  assert.ok(step.startSecond >= 3 && step.startSecond <= 8, `step at second ${step.startSecond}`);
  assert.ok(step.seconds >= 14, `lasting ${step.seconds} s`);
  assert.ok(res.stepChange.baselineStartSecond! < step.startSecond, 'the baseline lies before the step');
  const check = res.checks.find((c) => c.id === 'latency-over-time')!;
  assert.ok(onTheDiskOrTheHost(check), JSON.stringify(check));
  if (check.status === 'fail') assert.match(check.note ?? '', /a step up from the baseline began at second \d+/);
});

// `lab replay-disk` end to end, as a user runs it: a WAL report taken on a
// disk of 1 ms per sync with 3 % of syncs 20 ms slower (slowfs, seeded) is
// replayed on this disk with the load sized --like a stored observe report
// (a real etcd at 200 writes/s): the replay's p50 and p99 land within 15 %
// of the report's, etcd's own WAL fsync p99 fails its 10 ms on the replay,
// and nothing is left mounted or written. A report with nothing to replay is
// refused (exit 2) before anything is made.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { ReplayLabResult } from '../../src/lab/replay-lab-result.js';
import { mountSlowfs } from '../../src/lab/slowfs.js';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { listing, tempDir } from '../helpers/tmp.js';

const cleanup = new CleanupRegistry();
after(() => cleanup.drain());
const root = tempDir('edb-replay-');

/** Mount points below `dir` still in this process' mount table. */
const mountsUnder = (dir: string) =>
  readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.split(' ')[4]?.startsWith(`${dir}/`));

test('a report of 1 ms + 3 % at 20 ms, replayed: p50 and p99 within 15 %, etcd fails its own WAL fsync check', {
  skip: needs('root', 'slowfs', 'etcd'),
}, async (t) => {
  for (const d of ['back', 'mnt', 'target']) mkdirSync(join(root, d));
  const disk = await mountSlowfs(
    join(root, 'back'),
    join(root, 'mnt'),
    {
      fsyncDelayUs: 1000,
      dist: [
        [0, 97],
        [20_000, 3],
      ],
      seed: 7,
    },
    cleanup,
  );
  const taken = await runCli(
    ['disk', '--profile', 'wal', '--runtime', '15s', '--dir', disk.mountPoint, '--json'],
    120_000,
  );
  await disk.unmount();
  assert.ok(taken.stdout.startsWith('{'), taken.stderr);
  const report = join(root, 'production.json');
  writeFileSync(report, taken.stdout);
  const original = (JSON.parse(taken.stdout) as DiskResult).latency.sync;

  const target = join(root, 'target');
  const run = await runCli(
    ['lab', 'replay-disk', '--from', report, '--dir', target, '--runtime', '15s', '--wal-runtime', '15s'].concat([
      '--like',
      join(PACKAGE_ROOT, 'test', 'fixtures', 'observe-200ps.json'),
      '--json',
    ]),
    300_000,
  );
  assert.equal(run.code, 0, run.stderr);
  const r = JSON.parse(run.stdout) as ReplayLabResult;
  assert.equal(r.complete, true, r.incompleteReason);
  const why = r.checks.map((c) => `${c.id} ${c.status} ${c.note ?? ''}`).join('\n');
  // The report's figures, read from its histogram, are the report's own.
  assert.equal(r.replay.original.count, original.count);
  assert.ok(Math.abs(r.replay.original.p99Ns / original.p99Ns - 1) < 0.01);
  // The replay matches: our WAL phase on it within 15 % at p50 and p99; or, where it does not, the host took the
  // time (steal, a saturated run queue: the phase's own attribution) and the check says so, not a pass.
  const replayed = r.replay.replayed!;
  for (const q of ['p50', 'p99'] as const) {
    const off = replayed[`${q}Ns`] / r.replay.original[`${q}Ns`] - 1;
    const c = r.checks.find((k) => k.id === `replay-${q}`)!;
    if (Math.abs(off) <= 0.15) assert.equal(c.status, 'pass', why);
    else {
      assert.ok(r.hostLimited, `${q} ${(off * 100).toFixed(1)} % off on a host that did not limit it\n${why}`);
      assert.equal(c.status, 'inconclusive', why);
      assert.equal(c.cause, 'host');
      assert.ok(c.note!.includes(r.hostLimited), c.note);
      t.diagnostic(`${q} ${(off * 100).toFixed(1)} % off, put on the host: ${r.hostLimited}`);
    }
  }
  assert.ok(r.floor && r.floor.delayNs === Math.round(r.replay.original.p50Ns / 1e3) * 1e3);
  assert.ok(r.setup.bins.length > 1 && r.setup.bins.length <= 256);
  assert.equal(r.slowfs.failed, 0);
  // etcd on the replayed disk: 3 % of its fsyncs over 20 ms put its own p99 past 10 ms.
  assert.equal(r.setup.members, 3);
  assert.equal(r.load!.server.length, 3);
  assert.ok(r.etcd!.walFsyncP99Ns! > 10e6, why);
  assert.equal(r.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!.status, 'fail', why);
  for (const id of ['heartbeats-late', 'leader-changes', 'failed-proposals'])
    assert.ok(
      r.checks.some((c) => c.id === id && c.status !== 'not-run'),
      `${id}\n${why}`,
    );
  // The load sized from the observed cluster: its 200 writes/s, twice over.
  const peak = r.like!.figures.find((f) => f.id === 'write-rate-peak')!.value!;
  assert.ok(Math.abs(peak - 200) <= 20, `peak ${peak} writes/s`);
  assert.deepEqual(r.load!.options.rate, { value: r.like!.run.rate, source: 'like' });
  assert.ok(Math.abs(r.load!.totals.achievedPerSec / r.like!.run.rate - 1) < 0.1, `${r.load!.totals.achievedPerSec}/s`);
  // Nothing left: no mount, no run directory, no keys (the load drains its own).
  assert.deepEqual(mountsUnder(root), []);
  assert.deepEqual(listing(target), []);
  assert.equal(r.load!.keys.deleted !== null, true);
});

test('a report with nothing to replay: exit 2 naming what is missing, nothing made', async () => {
  const target = join(root, 'refused');
  mkdirSync(target);
  const q = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'qualify-pass.json'), 'utf8'));
  q.phases.wal = { status: 'not-run', title: q.phases.wal.title, reason: 'interrupted (SIGINT)', result: null };
  const report = join(root, 'no-wal.json');
  writeFileSync(report, JSON.stringify(q));
  const run = await runCli(['lab', 'replay-disk', '--from', report, '--dir', target]);
  assert.equal(run.code, 2, run.stderr);
  assert.match(run.stderr, /--from: .*no-wal\.json: its wal phase did not run \(interrupted \(SIGINT\)\)/);
  assert.equal(run.stdout, '');
  assert.deepEqual(listing(target), []);
  const bad = await runCli(['lab', 'replay-disk', '--from', report, '--phase', 'journal', '--dir', target]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--phase.*one of wal, fio/);
});

test('a disk with room for the lab but not for its WAL phase: exit 3, the report incomplete naming it, nothing left', {
  skip: needs('root', 'slowfs', 'etcd'),
}, async () => {
  // 700 MiB: more than the 512 MiB the lab's members need, less than the WAL phase's segments.
  const small = mountTmpfs(root, 'small', 'size=700m');
  assert.ok(small, 'a tmpfs was mounted');
  const out = join(root, 'small-replay.json');
  const from = join(PACKAGE_ROOT, 'test', 'fixtures', 'disk-wal-1ms-3pct-20ms.json');
  const run = await runCli(['lab', 'replay-disk', '--from', from, '--dir', small, '--out', out], 120_000);
  assert.equal(run.code, 3, run.stderr);
  const r = JSON.parse(readFileSync(out, 'utf8')) as ReplayLabResult;
  assert.equal(r.complete, false);
  assert.match(r.incompleteReason!, /^the floor's WAL phase: --dir: .* bytes free; the run needs \d+/);
  assert.equal(r.floor, null);
  assert.equal(r.etcd, null);
  assert.ok(r.checks.every((c) => c.status === 'not-run'));
  assert.match(run.stderr, /INCOMPLETE: the floor's WAL phase/);
  assert.deepEqual(mountsUnder(small), []);
  assert.deepEqual(listing(small), []);
});

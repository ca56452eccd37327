// The etcd-shaped disk runs through the built CLI: WAL mode with the commit
// stream, neighbours, the sync-method comparison, and an interrupted WAL run.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-shapes-');

test('--profile wal: batches, segment cuts with directory fsyncs, one commit per 100 ms, three checks', async () => {
  const r = await runCli([
    'disk',
    '--dir',
    dir,
    '--profile',
    'wal',
    '--runtime',
    '3s',
    '--wal-segment-size',
    '1m',
    '--json',
  ]);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.complete, true);
  assert.equal(res.workload.mode, 'wal');
  assert.deepEqual(res.options.mode, { value: 'wal', source: 'profile' });
  assert.deepEqual(res.options.walSegmentSize, { value: 1048576, source: 'cli' });
  assert.deepEqual(res.workload.wal, {
    segmentBytes: 1048576,
    recordBytes: { min: 2200, max: 2400 },
    batchRecords: { min: 1, max: 8 },
    keepSegments: 5,
  });
  const wal = res.wal!;
  assert.ok(wal.cuts >= 2, `cuts: ${wal.cuts}`);
  assert.equal(wal.segments, wal.cuts + 1);
  assert.equal(wal.dirFsyncs, wal.segments);
  assert.equal(wal.cut.count, wal.cuts);
  assert.equal(wal.purged, Math.max(0, wal.segments - 5));
  assert.ok(wal.records >= res.totals.ops && wal.records <= 8 * res.totals.ops);
  assert.equal(res.latency.sync.count, res.totals.ops, 'one fdatasync per batch');
  const c = res.commit!;
  assert.ok(
    c.commits >= c.expectedCommits - 6 && c.commits <= c.expectedCommits + 1,
    `commits ${c.commits} of ${c.expectedCommits}`,
  );
  assert.ok(c.expectedCommits >= 28 && c.expectedCommits <= 30);
  assert.equal(c.latency.op.count, c.commits);
  assert.equal(c.latency.sync.count, c.commits, 'one sample per commit, holding both fdatasyncs');
  assert.deepEqual(
    res.checks.map((k) => k.id),
    ['sync-p99', 'stall', 'save-stall', 'commit-p99', 'latency-over-time'],
  );
  assert.ok(res.timeSeries.sync.length >= 3 && res.timeSeries.sync.length <= 4);
  assert.match(r.stderr, /segment cut/);
  assert.match(r.stderr, /commits: +\d+ of \d+ ticks/);
  assert.deepEqual(listing(dir), []);
});

test('--profile shared-disk: the neighbours report what they wrote and stop with the run', async () => {
  const t0 = Date.now();
  const r = await runCli([
    'disk',
    '--dir',
    dir,
    '--profile',
    'shared-disk',
    '--runtime',
    '2s',
    '--neighbour-file-size',
    '64m',
    '--json',
  ]);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.complete, true, r.stderr);
  const n = res.neighbours!;
  assert.equal(n.count, 2);
  assert.equal(n.each.length, 2);
  assert.ok(
    n.each.every((e) => e.bytes >= 1048576 && e.bytes % 1048576 === 0),
    JSON.stringify(n.each),
  );
  assert.equal(n.bytes, n.each[0]!.bytes + n.each[1]!.bytes);
  assert.ok(n.bytesPerSec > 0);
  assert.ok(Date.now() - t0 < 30_000, 'the neighbours stopped when the measured writer did');
  assert.match(r.stderr, /neighbours: 2 wrote/);
  assert.deepEqual(listing(dir), []);
});

test('--profile fsync-methods: every method it names, side by side', async () => {
  const r = await runCli(['disk', '--dir', dir, '--profile', 'fsync-methods', '--size', '1m', '--json']);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const res = JSON.parse(r.stdout) as DiskResult;
  const methods = res.methods!;
  assert.deepEqual(
    methods.map((m) => m.method),
    ['fdatasync', 'fsync', 'dsync', 'direct+fdatasync'],
  );
  assert.ok(
    methods.every((m) => m.ops === 256),
    'same block and file size for each',
  );
  assert.deepEqual(
    methods.map((m) => [m.syncMethod, m.direct]),
    [
      ['fdatasync', false],
      ['fsync', false],
      ['dsync', false],
      ['fdatasync', true],
    ],
  );
  assert.ok(methods.every((m) => m.durableP50Ns !== null && m.durableP99Ns! >= m.durableP50Ns!));
  assert.equal(methods[2]!.latency.sync.count, 0, 'O_DSYNC pays inside write()');
  assert.equal(methods[2]!.durableP50Ns, methods[2]!.latency.write.p50Ns);
  for (const name of ['fdatasync', 'fsync', 'dsync', 'direct+fdatasync'])
    assert.match(r.stderr, new RegExp(`^${name.replace('+', '\\+')} +256 `, 'm'));
  assert.deepEqual(listing(dir), []);
});

test('a method durable in microseconds is called out (tmpfs acknowledges fdatasync at once)', async () => {
  const r = await runCli(['disk', '--dir', '/dev/shm', '--sync-methods', 'fdatasync,none', '--size', '256k', '--json']);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.match(res.methods![0]!.note!, /probably acknowledges it before it is on stable storage/);
  assert.match(res.methods![1]!.note!, /nothing made durable/);
});

test('SIGINT during a WAL run with commits and neighbours: everything stops, the run directory goes', async () => {
  const run = startCli([
    'disk',
    '--dir',
    dir,
    '--profile',
    'shared-disk',
    '--runtime',
    '60s',
    '--neighbour-file-size',
    '64m',
    '--json',
  ]);
  await waitFor(() => readdirSync(dir).some((f) => f.startsWith('etcd-disk-bench-')));
  await new Promise((res) => setTimeout(res, 1000));
  run.child.kill('SIGINT');
  const r = await run.done;
  assert.equal(r.code, 130, r.stderr);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.complete, false);
  assert.ok(res.totals.ops > 0 && res.commit!.commits > 0 && res.neighbours!.bytes > 0);
  assert.deepEqual(listing(dir), []);
});

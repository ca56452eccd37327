// The kube workload against a real etcd: the kinds in the proportions asked,
// conflicts counted (not errors), events written under a lease.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadResult } from '../../src/load/load-result.js';
import { runCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const skip = needs('etcd');
const { cluster, client } = skip ? ({} as Awaited<ReturnType<typeof testEtcd>>) : await testEtcd();

test('kube: creates, updates, deletes, leased events and node leases in the proportions asked', { skip }, async () => {
  const r = await runCli([
    'load',
    '--endpoints',
    cluster.endpoints[0]!,
    '--prefix',
    '/edb-kube/',
    '--workload',
    'kube',
    '--rate',
    '400',
    '--clients',
    '32',
    '--runtime',
    '4s',
    '--kube-objects',
    '50',
    '--kube-nodes',
    '200',
    '--kube-mix',
    'create:10,update:60,delete:10,event:20',
    '--json',
  ]);
  assert.equal(r.code === 0 || r.code === 1 || r.code === 4, true, r.stderr);
  const res = JSON.parse(r.stdout) as LoadResult;
  const k = res.totals.byKind;
  assert.equal(res.totals.failed, 0, JSON.stringify(res.totals.errors));
  // The default on plain TCP at a rate: the native pacer timed the requests, and the result says so.
  assert.equal(res.workload.transport, 'own');
  assert.equal(res.workload.pacing, 'native', res.workload.pacingWhy);
  const objectOps = (k.create ?? 0) + (k.update ?? 0) + (k.delete ?? 0) + (k.event ?? 0);
  const share = (n: number | undefined, of: number) => (100 * (n ?? 0)) / of;
  assert.ok(objectOps > 1000, `object requests: ${objectOps}`);
  for (const [kind, want] of [
    ['create', 10],
    ['update', 60],
    ['delete', 10],
    ['event', 20],
  ] as const)
    assert.ok(
      Math.abs(share(k[kind], objectOps) - want) < 4,
      `${kind}: ${share(k[kind], objectOps).toFixed(1)} % (want ${want} %)`,
    );
  // 200 nodes renew every 10 s: 20/s of 400/s = 5 % of all requests
  assert.ok(
    Math.abs(share(k['node-lease'], res.totals.answered) - 5) < 3,
    `node leases: ${share(k['node-lease'], res.totals.answered).toFixed(1)} %`,
  );
  assert.ok(res.totals.conflicts > 0, 'concurrent writers to 50 objects conflict');
  assert.ok(res.totals.conflicts < res.totals.answered / 2);
  assert.ok(res.keys.deleted! > 0);
  assert.equal(await client.getAll().prefix('/edb-kube/').count(), 0);
  const leases = await client.leaseClient.leaseLeases();
  assert.equal(leases.leases.length, 0, "the events' lease was revoked");
});

test("kube on a throwaway local etcd: kubeadm's flags, and compaction as kube-apiserver does it (to the previous " +
  "tick's revision)", { skip }, async () => {
  const dir = tempDir('edb-kube-compact-');
  const r = await runCli(
    [
      'load',
      '--dir',
      dir,
      '--profile',
      'kube',
      '--rate',
      '300',
      '--runtime',
      '7s',
      '--compaction-interval',
      '2s',
      '--json',
    ],
    60_000,
  );
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const res = JSON.parse(r.stdout) as LoadResult;
  assert.deepEqual(res.target.local!.flags, ['--snapshot-count', '10000']);
  const c = res.compaction!;
  assert.equal(c.intervalNs, 2e9);
  assert.deepEqual(c.errors, []);
  assert.ok(
    c.done.length >= 2,
    `${c.done.length} compactions in 7 s every 2 s (the first tick only notes the revision)`,
  );
  const revs = c.done.map((d) => d.revision);
  assert.deepEqual(
    [...revs].sort((a, b) => a - b),
    revs,
    'each compaction goes further',
  );
  assert.ok(revs[revs.length - 1]! > revs[0]! + 100, `the load moved the store on between ticks: ${revs.join(', ')}`);
  const m = res.server[0]!;
  assert.ok(
    m.compactRevision !== null && m.compactRevision >= revs[revs.length - 1]!,
    `etcd says it compacted to ${m.compactRevision}`,
  );
  assert.ok(m.revision! > m.compactRevision!, 'the history after the last compaction stays');
  assert.deepEqual(listing(dir), []);
});

test('kube against a cluster given by --endpoints: never compacted by us', { skip }, async () => {
  const r = await runCli([
    'load',
    '--endpoints',
    cluster.endpoints[0]!,
    '--prefix',
    '/edb-kube2/',
    '--profile',
    'kube',
    '--rate',
    '100',
    '--runtime',
    '3s',
    '--compaction-interval',
    '1s',
    '--json',
  ]);
  const res = JSON.parse(r.stdout) as LoadResult;
  assert.equal(res.compaction, null);
  assert.equal(res.target.local, null);
});

test('--kube-prefill: the objects exist before the first request, so updates know their revisions', {
  skip,
}, async () => {
  const args = ['load', '--endpoints', cluster.endpoints[0]!, '--prefix', '/edb-prefill/', '--workload', 'kube'];
  const bad = await runCli([...args, '--kube-objects', '2000', '--kube-prefill', '3000', '--runtime', '2s']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--kube-prefill: 3000 objects cannot be created beforehand out of --kube-objects 2000/);
  assert.equal(await client.getAll().prefix('/edb-prefill/').count(), 0, 'nothing written');
  const r = await runCli([
    ...args,
    '--kube-objects',
    '2000',
    '--kube-prefill',
    '2000',
    '--kube-nodes',
    '0',
    '--kube-mix',
    'update:100',
    '--rate',
    '200',
    '--runtime',
    '2s',
    '--json',
  ]);
  assert.equal(r.code === 0 || r.code === 1 || r.code === 4, true, r.stderr);
  const res = JSON.parse(r.stdout) as LoadResult;
  assert.equal(res.totals.failed, 0, JSON.stringify(res.totals.errors));
  assert.deepEqual(res.options.kubePrefill, { value: 2000, source: 'cli' });
  // The 2000 pods were there to be deleted, however few the updates touched; no update met an unknown revision.
  assert.equal(res.keys.deleted, 2000);
  assert.ok(res.totals.conflicts <= res.totals.answered / 100, `${res.totals.conflicts} conflicts`);
  assert.equal(await client.getAll().prefix('/edb-prefill/').count(), 0);
});

// The kube workload against a real etcd: the kinds in the proportions asked,
// conflicts counted (not errors), events written under a lease.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadResult } from '../../src/etcd/load-result.js';
import { runCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';

const { cluster, client } = await testEtcd();

test('kube: creates, updates, deletes, leased events and node leases in the proportions asked', async () => {
  const r = await runCli(['load', '--endpoints', cluster.endpoints[0]!, '--prefix', '/edb-kube/', '--workload', 'kube', '--rate', '400',
    '--clients', '32', '--runtime', '4s', '--kube-objects', '50', '--kube-nodes', '200', '--kube-mix', 'create:10,update:60,delete:10,event:20', '--json']);
  assert.equal(r.code === 0 || r.code === 1, true, r.stderr);
  const res = JSON.parse(r.stdout) as LoadResult;
  const k = res.totals.byKind;
  assert.equal(res.totals.failed, 0, JSON.stringify(res.totals.errors));
  const objectOps = (k.create ?? 0) + (k.update ?? 0) + (k.delete ?? 0) + (k.event ?? 0);
  const share = (n: number | undefined, of: number) => (100 * (n ?? 0)) / of;
  assert.ok(objectOps > 1000, `object requests: ${objectOps}`);
  for (const [kind, want] of [['create', 10], ['update', 60], ['delete', 10], ['event', 20]] as const)
    assert.ok(Math.abs(share(k[kind], objectOps) - want) < 4, `${kind}: ${share(k[kind], objectOps).toFixed(1)} % (want ${want} %)`);
  // 200 nodes renew every 10 s: 20/s of 400/s = 5 % of all requests
  assert.ok(Math.abs(share(k['node-lease'], res.totals.answered) - 5) < 3, `node leases: ${share(k['node-lease'], res.totals.answered).toFixed(1)} %`);
  assert.ok(res.totals.conflicts > 0, 'concurrent writers to 50 objects conflict');
  assert.ok(res.totals.conflicts < res.totals.answered / 2);
  assert.ok(res.keys.deleted! > 0);
  assert.equal(await client.getAll().prefix('/edb-kube/').count(), 0);
  const leases = await client.leaseClient.leaseLeases();
  assert.equal(leases.leases.length, 0, 'the events\' lease was revoked');
});

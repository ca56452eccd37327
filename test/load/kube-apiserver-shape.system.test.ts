// The kube workload as kube-apiserver drives etcd, against a real etcd: the
// watch cache's watches held through the load (one stream each, PrevKV and
// progress notify), events created under leases the lease manager's way (a
// new one each reuse period), deletes read first, consistent LISTs as a
// limit-1 range and a progress request; its background reads; and nothing
// left behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetrics, type Sample } from '../../src/etcd/prometheus.js';
import type { LoadResult } from '../../src/load/load-result.js';
import { WATCHED_RESOURCES } from '../../src/load/workloads/kube-watched.js';
import { startCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';

const skip = needs('etcd');

const metrics = async (endpoint: string) => parseMetrics(await (await fetch(`${endpoint}/metrics`)).text());
const gauge = (s: Sample[], name: string) => s.filter((x) => x.name === name).reduce((a, x) => a + x.value, 0);
const calls = (s: Sample[], method: string) =>
  s
    .filter((x) => x.name === 'grpc_server_handled_total' && x.labels.grpc_method === method)
    .reduce((a, x) => a + x.value, 0);

test('kube at 500/s: 61 watches held, leases reused for 5 % of the TTL, deletes read first, LISTs ask progress', {
  skip,
}, async (t) => {
  const { cluster, client } = await testEtcd();
  const endpoint = cluster.endpoints[0]!;
  const before = await metrics(endpoint);
  const run = startCli([
    'load',
    '--endpoints',
    endpoint,
    '--prefix',
    '/edb-shape/',
    '--profile',
    'kube',
    '--rate',
    '500',
    '--runtime',
    '6s',
    '--kube-prefill',
    '500',
    '--kube-mix',
    'create:10,update:55,delete:10,event:20,list:5',
    '--event-ttl',
    '20s',
    '--json',
  ]);
  // Midway through the load: the watches are held.
  let during: Sample[] = [];
  for (let k = 0; k < 60 && gauge(during, 'etcd_debugging_mvcc_watcher_total') < WATCHED_RESOURCES.length; k++) {
    await new Promise((r) => setTimeout(r, 250));
    during = await metrics(endpoint);
  }
  const done = await run.done;
  assert.ok([0, 1, 4].includes(done.code ?? -1), done.stderr);
  const res = JSON.parse(done.stdout) as LoadResult;
  const after = await metrics(endpoint);
  assert.equal(gauge(during, 'etcd_debugging_mvcc_watcher_total'), 61, 'etcd held the 61 watches during the load');
  assert.equal(gauge(during, 'etcd_debugging_mvcc_watch_stream_total'), 61, 'one stream each');
  const w = res.workload.watches!;
  t.diagnostic(JSON.stringify(w));
  assert.deepEqual([w.created, w.open, w.ended], [61, 61, []]);
  assert.ok(w.events > 500, `the pods' and leases' watches read their writes: ${w.events} events`);
  const k = res.totals.byKind;
  assert.equal(w.progressRequests, k.list, 'each LIST asked the watch for progress');
  assert.ok(w.progress > 0, 'etcd answered progress requests');
  // Events: creates under a lease, one granted before the load, then one a second (5 % of 20 s); no plain Put.
  const grants = calls(after, 'LeaseGrant') - calls(before, 'LeaseGrant');
  assert.ok(grants >= 4 && grants <= 10, `${grants} leases granted for ${k.event} events over 6 s`);
  assert.equal(calls(after, 'Put') - calls(before, 'Put'), 0, 'events are created by transaction, not put');
  const ranges = calls(after, 'Range') - calls(before, 'Range');
  assert.ok(ranges >= (k.delete ?? 0) + (k.list ?? 0), `${ranges} ranges: each delete's get, each LIST's`);
  assert.equal(res.totals.failed, 0, JSON.stringify(res.totals.errors));
  // The API server's own reads beside the requests: the health key each second, each resource's count a minute.
  const bg = res.background!;
  assert.deepEqual(bg.errors, []);
  assert.ok(bg.health >= 4 && bg.health <= 7, `${bg.health} health reads in 6 s`);
  assert.ok(bg.counts >= 4 && bg.counts <= 8, `${bg.counts} counts in 6 s (61 spread over each minute)`);
  // Nothing left: the keys, the leases, the watches.
  assert.equal(await client.getAll().prefix('/edb-shape/').count(), 0);
  assert.equal((await client.leaseClient.leaseLeases()).leases.length, 0, 'every lease granted was revoked');
  assert.equal(gauge(after, 'etcd_debugging_mvcc_watcher_total'), 0, 'the watches closed');
});

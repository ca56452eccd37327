// Per minor (3.4-3.7): a local cluster of three starts with kubeadm's flags in
// that minor's spelling; the metric table agrees with the names the minor's
// own /metrics exposes; and a load's report names the member version and says
// which metrics it lacks, never reading them as zero.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { fetchText } from '../../src/etcd/fetch-text.js';
import { kubeadmFlags } from '../../src/etcd/kubeadm-flags.js';
import { startLocalEtcd } from '../../src/etcd/local-etcd.js';
import {
  ETCD_METRICS,
  type EtcdMetric,
  exposes,
  type MetricSpec,
  missingMetric,
  REMOVED_METRICS,
} from '../../src/etcd/metric-names.js';
import type { LoadResult } from '../../src/load/load-result.js';
import { runCli } from '../helpers/cli.js';
import { etcdVersions, MINORS, needsEtcd } from '../helpers/etcd-versions.js';
import { tempDir } from '../helpers/tmp.js';

const names = (text: string) =>
  new Set(
    text
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.replace(/[{ ].*/, '').replace(/_(bucket|count|sum)$/, '')),
  );

for (const minor of MINORS) {
  test(`etcd ${minor}: kubeadm's flags in its spelling, the metric table is its /metrics, a missing metric said`, {
    skip: needsEtcd(minor),
  }, async (t) => {
    const { version, bin } = etcdVersions().get(minor)!;
    const cleanup = new CleanupRegistry();
    t.after(() => cleanup.drain());
    const cluster = await startLocalEtcd({
      bin,
      root: tempDir(`edb-flags-v${minor}-`),
      members: 3,
      cleanup,
      token: `flags-${process.pid}-${minor}`,
    });
    assert.equal(cluster.version, version);
    assert.deepEqual(cluster.flags, kubeadmFlags(version));
    const cmdline = readFileSync(`/proc/${cluster.members[0]!.process.pid}/cmdline`, 'utf8').split('\0');
    for (const f of cluster.flags) assert.ok(cmdline.includes(f), `the member runs with ${f}`);
    // Something for the counters and the labelled histograms to count: a put, a txn, a delete, a lease.
    const client = new Etcd3({ hosts: cluster.endpoints });
    t.after(() => client.close());
    await client.put('/edb-versions/a').value('b');
    await client.if('/edb-versions/a', 'Value', '==', 'b').then(client.put('/edb-versions/c').value('d')).commit();
    await client.delete().key('/edb-versions/c');
    await client.lease(60, { autoKeepAlive: false }).grant();
    const exposed = names(await fetchText(`${cluster.endpoints[0]}/metrics`, {}, 5000));
    for (const [k, spec] of Object.entries(ETCD_METRICS) as [EtcdMetric, MetricSpec][]) {
      // A metric shown only once etcd has a label for it (a peer's first round-trip probe): never where not exposed.
      if (spec.only && !exposed.has(spec.name)) continue;
      assert.equal(exposed.has(spec.name), exposes(k, version), `${spec.name} in etcd ${version}`);
    }
    for (const r of REMOVED_METRICS)
      assert.equal(exposed.has(r.name), r.minors.includes(minor), `${r.name} (removed) in etcd ${version}`);

    const r = await runCli(
      ['load', '--endpoints', cluster.endpoints.join(','), '--rate', '100', '--runtime', '3s', '--json', '--no-tui'],
      60_000,
    );
    assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    const lacking = (Object.keys(ETCD_METRICS) as EtcdMetric[])
      .map((k) => missingMetric(k, version))
      .filter((w) => w !== null);
    for (const m of res.server) {
      assert.equal(m.version, version);
      assert.deepEqual(m.missing, lacking);
      if (!exposes('walWrite', version)) assert.equal(m.walWrite, null, 'absent, not zero');
      else assert.ok(m.walWrite && m.walWrite.count > 0, 'WAL writes counted');
    }
    if (lacking.length > 0) assert.match(r.stderr, /missing: etcd [\d.]+ does not expose etcd_disk_wal_write/);
    t.diagnostic(`etcd ${version}: flags ${cluster.flags.join(' ')}; missing: ${lacking.join('; ') || 'none'}`);
  });
}

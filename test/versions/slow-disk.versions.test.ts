// Per minor (3.4-3.7): lab slow-disk with three members of that version, the
// leader's data on a disk slowed by 300 ms a sync. What etcd did is read from
// that version's own logs and metrics: the leader's late heartbeats, counted
// from its log lines (their wording per version), and a request p99 above the
// delay; nothing is left behind.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabResult } from '../../src/lab/lab-result.js';
import { runCli } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { etcdVersions, MINORS, needsEtcd } from '../helpers/etcd-versions.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

for (const minor of MINORS) {
  test(`etcd ${minor}: lab slow-disk, three members, the leader slowed by 300 ms: its late heartbeats in its log`, {
    skip: needsEtcd(minor) || needs('root', 'slowfs'),
  }, async (t) => {
    const { version, bin } = etcdVersions().get(minor)!;
    const dir = tempDir(`edb-vlab-${minor}-`);
    const args = ['--dir', dir, '--etcd-bin', bin, '--delay', '300ms', '--members', '3', '--slow', 'leader'];
    const r = await runCli(['lab', 'slow-disk', ...args, '--runtime', '5s', '--json'], 180_000);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LabResult;
    const [m0, m1, m2] = res.members;
    t.diagnostic(`etcd ${res.etcdVersion}: ${JSON.stringify(res.members)}; p99 ${res.load?.latency.response.p99Ns}`);
    assert.equal(res.complete, true);
    assert.equal(res.etcdVersion, version);
    assert.equal(res.noLeader, null);
    assert.equal(res.leaderAtStart, 'm0');
    assert.deepEqual([m0!.slow, m1!.slow, m2!.slow], [true, false, false]);
    assert.ok(m0!.heartbeatLate > 0, `etcd ${version}'s late heartbeats counted from its log: ${JSON.stringify(m0)}`);
    assert.ok((res.load!.server[0]!.heartbeatSendFailures ?? 0) >= 0);
    assert.equal(res.load!.server[0]!.version, version);
    assert.ok(res.load!.latency.response.p99Ns > 300e6, 'a write waits at least one slowed fsync');
    assert.match(r.stderr, /m0 \(slowed\): \d+ "slow fdatasync", [1-9]\d* "failed to send out heartbeat on time"/);
    assert.deepEqual(listing(dir), []);
    assert.deepEqual(etcdProcessesWith(dir), []);
  });
}

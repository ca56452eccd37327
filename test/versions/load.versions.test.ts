// Per minor (3.4-3.7): the kube workload against three local members and
// etcdctl's check perf preset (s) against one, each run as a user runs it,
// with its verdict asserted: complete, every request counted once, etcd's own
// figures read from each member of that version, and a miss always named
// (the disk, the host, the client or etcd) with its checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadResult } from '../../src/load/load-result.js';
import { runCli } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { etcdVersions, MINORS, needsEtcd } from '../helpers/etcd-versions.js';
import { listing, tempDir } from '../helpers/tmp.js';

async function load(args: string[], version: string, members: number): Promise<LoadResult> {
  const dir = tempDir('edb-vload-');
  const r = await runCli(['load', '--dir', dir, '--json', '--no-tui', ...args], 180_000);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  const res = JSON.parse(r.stdout) as LoadResult;
  const t = res.totals;
  assert.equal(res.complete, true, res.incompleteReason);
  assert.equal(res.target.local?.version, version);
  assert.equal(res.target.local?.members, members);
  assert.equal(t.sent, t.answered + t.failed - t.notSent, 'every request sent is answered or failed, once');
  assert.ok(t.answered > 0);
  assert.equal(res.server.length, members);
  for (const m of res.server) {
    assert.equal(m.version, version);
    assert.ok(m.walFsync && m.walFsync.count > 0, `${m.url}: etcd's own WAL fsyncs read`);
    assert.notEqual(m.leaderChanges, null);
  }
  // The verdict: a pass, or each miss with its cause; the exit code agrees with it.
  const failed = res.checks.filter((c) => c.status === 'fail');
  const elsewhere = res.checks.filter((c) => c.status === 'inconclusive');
  if (res.passed) assert.equal(r.code, 0, r.stderr);
  else if (failed.length > 0) assert.equal(r.code, 1, r.stderr);
  else assert.equal(r.code, 4, r.stderr);
  assert.equal(res.passed, failed.length === 0 && elsewhere.length === 0);
  for (const c of elsewhere) assert.ok(c.cause && c.cause !== 'disk', `${c.id} not the disk's: ${c.cause}`);
  if (!res.passed) assert.ok(['disk', 'host', 'client', 'etcd'].includes(res.attribution.cause), res.attribution.why);
  assert.deepEqual(listing(dir), [], 'the run directory removed');
  assert.deepEqual(etcdProcessesWith(dir), []);
  return res;
}

for (const minor of MINORS) {
  test(`etcd ${minor}: load --profile kube on three members of it, and check perf's four presets on one`, {
    skip: needsEtcd(minor),
  }, async (t) => {
    const { version, bin } = etcdVersions().get(minor)!;
    const kube = await load(['--profile', 'kube', '--etcd-bin', bin, '--members', '3', '--runtime', '10s'], version, 3);
    assert.equal(kube.workload.name, 'kube');
    assert.ok(
      ['create', 'update', 'delete', 'event'].every((k) => (kube.totals.byKind[k] ?? 0) > 0),
      'every kind',
    );
    assert.ok(kube.checks.some((c) => c.id === 'request-p99'));
    // etcdctl check perf's four presets, 5 s each: s and m within this host's reach, l and xl past it, when a miss
    // must name the client or the host, never pass as the disk's.
    const perf: [string, LoadResult][] = [];
    for (const [preset, clients] of [
      ['s', 50],
      ['m', 200],
      ['l', 500],
      ['xl', 1000],
    ] as const) {
      const r = await load(['--profile', `check-perf-${preset}`, '--etcd-bin', bin, '--runtime', '5s'], version, 1);
      assert.equal(r.workload.name, 'check-perf');
      assert.equal(r.workload.clients, clients);
      assert.ok(r.checks.some((c) => c.id === 'slowest'));
      perf.push([preset, r]);
    }
    const words = (r: LoadResult) =>
      `${r.passed ? 'PASS' : `FAIL (${r.attribution.cause})`} ${r.totals.achievedPerSec}/s`;
    t.diagnostic(
      `etcd ${version}: kube ${words(kube)}; ${perf.map(([p, r]) => `check-perf ${p} ${words(r)}`).join('; ')}`,
    );
  });
}

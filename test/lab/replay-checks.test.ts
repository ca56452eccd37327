// The checks of `lab replay-disk`: the replay counts as faithful when its p50
// and p99 lie within 15 % of the report's either way (else a warning that
// says by how much, and why when the report is below what a sync costs here);
// etcd's own figures and its Raft health follow, not run when etcd did not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REPLAY_TOLERANCE, replayChecks } from '../../src/lab/replay-checks.js';
import type { DistFigures } from '../../src/lab/replay-dist.js';

const figures = (p50Ms: number, p99Ms: number): DistFigures => ({
  count: 1000,
  p50Ns: p50Ms * 1e6,
  p99Ns: p99Ms * 1e6,
  p999Ns: p99Ms * 1.1e6,
  maxNs: p99Ms * 1.2e6,
});
const noEtcd = { load: null, heartbeatsLate: null, noLeader: null };
const byId = (checks: ReturnType<typeof replayChecks>) => new Map(checks.map((c) => [c.id, c]));

test('within 15 % either way passes; beyond it warns with the deviation', () => {
  assert.equal(REPLAY_TOLERANCE, 0.15);
  const close = byId(
    replayChecks({ original: figures(1, 20), replayed: figures(1.14, 17.2), floorNs: 0.2e6, ...noEtcd }),
  );
  assert.equal(close.get('replay-p50')!.status, 'pass');
  assert.equal(close.get('replay-p99')!.status, 'pass');
  assert.match(close.get('replay-p99')!.note!, /17\.2 ms replayed against 20 ms in the report \(-14\.0 %\)/);
  const far = byId(replayChecks({ original: figures(1, 20), replayed: figures(1.2, 16), floorNs: 0.2e6, ...noEtcd }));
  assert.equal(far.get('replay-p50')!.status, 'warn');
  assert.match(far.get('replay-p50')!.note!, /\+20\.0 %/);
  assert.equal(far.get('replay-p99')!.status, 'warn');
  assert.match(far.get('replay-p99')!.note!, /-20\.0 %/);
});

test("a report faster than this disk's floor: the warning says the replay cannot be faster", () => {
  const c = byId(
    replayChecks({ original: figures(0.05, 0.2), replayed: figures(0.3, 0.5), floorNs: 0.28e6, ...noEtcd }),
  );
  assert.equal(c.get('replay-p50')!.status, 'warn');
  assert.match(c.get('replay-p50')!.note!, /below what a sync costs here at the least \(0\.28 ms\)/);
});

test("without etcd's figures its checks are not run, saying why; no replay: fidelity not run", () => {
  const c = replayChecks({ original: figures(1, 20), replayed: null, floorNs: null, ...noEtcd });
  assert.deepEqual(
    c.map((k) => [k.id, k.status]),
    [
      ['replay-p50', 'not-run'],
      ['replay-p99', 'not-run'],
      ['etcd-wal-fsync-p99', 'not-run'],
      ['etcd-backend-commit-p99', 'not-run'],
      ['heartbeats-late', 'not-run'],
      ['leader-changes', 'not-run'],
      ['failed-proposals', 'not-run'],
    ],
  );
  assert.ok(c.slice(2).every((k) => k.note === 'the load did not run'));
  const noLeader = { elections: 14, message: 'no leader after 60 s' };
  const n = byId(replayChecks({ ...noEtcd, original: figures(1, 20), replayed: null, floorNs: null, noLeader }));
  assert.equal(n.get('leader-changes')!.status, 'fail');
  assert.equal(n.get('leader-changes')!.measured, 14);
  assert.equal(n.get('heartbeats-late')!.note, 'etcd never held a leader on the replayed disk');
});

test('a p99 of fewer than 100 syncs, replayed or in the report, is not judged; each check says on how many', () => {
  const few = { ...figures(400, 900), count: 37 };
  const c = byId(replayChecks({ original: figures(400, 900), replayed: few, floorNs: 0.3e6, ...noEtcd }));
  assert.equal(c.get('replay-p99')!.status, 'not-run');
  assert.equal(c.get('replay-p99')!.observations, 37);
  assert.equal(c.get('replay-p99')!.minObservations, 100);
  assert.match(c.get('replay-p99')!.note!, /37 syncs replayed and 1000 in the report: a p99 needs 100/);
  assert.equal(c.get('replay-p50')!.status, 'pass');
  assert.equal(c.get('replay-p50')!.observations, 37);
});

test('a replay off by more than 15 % on a host that limited it: inconclusive, the host named, not a warning', () => {
  const host = 'the replay: the hypervisor ran other guests for 17.7 % of the CPU time (steal, limit 10 %)';
  const c = byId(
    replayChecks({ original: figures(1, 20), replayed: figures(1.4, 21), floorNs: 0.3e6, host, ...noEtcd }),
  );
  assert.equal(c.get('replay-p50')!.status, 'inconclusive');
  assert.equal(c.get('replay-p50')!.cause, 'host');
  assert.ok(c.get('replay-p50')!.note!.endsWith(host));
  // Within 15 % it passes whatever the host did.
  assert.equal(c.get('replay-p99')!.status, 'pass');
});

// qualify's checks on exact values either side of every limit, built from
// phase results that carry only what the checks read.
import type { Check } from '../../src/verdict/check.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { LoadResult } from '../../src/load/load-result.js';
import type { MemberMetrics } from '../../src/etcd/server-metrics.js';
import { gradeOf } from '../../src/verdict/letter.js';
import {
  iopsChecks,
  qualifyChecks,
  raftChecks,
  serverWalCheck,
  stallOfPhases,
  type PhaseInput,
} from '../../src/grade/qualify-checks.js';
import { verdictOf } from '../../src/qualify/verdict.js';
import { member } from '../helpers/member.js';
import type { QualifyReport } from '../../src/qualify/report.js';

const LIMITS = {
  syncP99Ns: 10e6,
  commitP99Ns: 25e6,
  raft: { heartbeatNs: 100e6, electionNs: 1000e6 },
  minIops: 50,
  recommendedIops: 500,
  etcd: { requestP99Ns: 100e6, errors: 0, throughputFloor: 450 },
};
const GRADE = { aNs: 2e6, bNs: 5e6, fNs: 50e6 };

function check(id: string, measured: number, limit: number, pass: boolean): Check {
  return { id, title: id, unit: 'ns', comparison: '<', measured, limit, status: pass ? 'pass' : 'fail', source: 's' };
}

function disk(o: { p99?: number; iops?: number; stall?: number; complete?: boolean } = {}): PhaseInput<DiskResult> {
  const p99 = o.p99 ?? 1e6;
  const stall = o.stall ?? 5e6;
  const checks = [
    check('sync-p99', p99, 10e6, p99 < 10e6),
    { ...check('stall', stall, 200e6, stall < 200e6), severeAt: 1e9 },
    { ...check('save-stall', stall, 200e6, stall < 200e6), severeAt: 1e9 },
    check('commit-p99', 3e6, 25e6, true),
    check('latency-over-time', 1e6, 10e6, true),
  ];
  const result = {
    complete: o.complete ?? true,
    totals: { ops: 1000, iops: o.iops ?? 3000 },
    checks,
  } as unknown as DiskResult;
  return { result, whyNot: '' };
}

function walBucket(
  lowerNs: number,
  upperNs: number | null,
  estimateNs: number,
  count = 100,
): MemberMetrics['walFsync'] {
  return {
    count,
    p50: null,
    p99: { lowerNs, upperNs, estimateNs, text: `${lowerNs / 1e6}-${upperNs === null ? 'inf' : upperNs / 1e6} ms` },
    buckets: [],
  };
}

function etcd(members: MemberMetrics[]): PhaseInput<LoadResult> {
  const checks = [
    check('request-p99', 20e6, 100e6, true),
    { ...check('errors', 0, 0, true), unit: 'requests' as const },
    { ...check('throughput', 500, 450, true), unit: 'requests/s' as const },
  ];
  return { result: { complete: true, server: members, checks } as unknown as LoadResult, whyNot: '' };
}

const NO_ETCD: PhaseInput<LoadResult> = { result: null, whyNot: 'no etcd binary on PATH' };

test('IOPS: 49.9 fails and 50 passes the requirement; 499.9 warns and 500 passes the recommendation', () => {
  const at = (iops: number) => iopsChecks(disk({ iops }), LIMITS).map((c) => c.status);
  assert.deepEqual(at(49.9), ['fail', 'warn']);
  assert.deepEqual(at(50), ['pass', 'warn']);
  assert.deepEqual(at(499.9), ['pass', 'warn']);
  assert.deepEqual(at(500), ['pass', 'pass']);
  assert.deepEqual(
    iopsChecks({ result: null, whyNot: 'the fio phase failed' }, LIMITS).map((c) => [c.status, c.measured, c.note]),
    [
      ['not-run', null, 'the fio phase failed'],
      ['not-run', null, 'the fio phase failed'],
    ],
  );
});

test('a warning does not fail the letter; a failed IOPS requirement does', () => {
  const checks = qualifyChecks(
    disk({ iops: 400 }),
    disk({ p99: 1e6 }),
    etcd([member({ walFsync: walBucket(0, 1e6, 5e5) })]),
    LIMITS,
  );
  assert.equal(gradeOf(checks, GRADE).letter, 'A');
  const low = qualifyChecks(
    disk({ iops: 40 }),
    disk({ p99: 1e6 }),
    etcd([member({ walFsync: walBucket(0, 1e6, 5e5) })]),
    LIMITS,
  );
  assert.equal(gradeOf(low, GRADE).letter, 'D');
});

test('the stall check takes the longest of both disk phases: 200 ms fails (D), the election timeout is F', () => {
  const t = LIMITS.raft;
  assert.equal(stallOfPhases(disk({ stall: 150e6 }), disk({ stall: 199_999_999 }), t).status, 'pass');
  const s = stallOfPhases(disk({ stall: 200e6 }), disk({ stall: 1e6 }), t);
  assert.deepEqual([s.status, s.measured], ['fail', 200e6]);
  assert.match(s.note ?? '', /in the fio phase/);
  assert.equal(gradeOf(qualifyChecks(disk({ stall: 200e6 }), disk(), etcd([member()]), LIMITS), GRADE).letter, 'D');
  assert.equal(gradeOf(qualifyChecks(disk(), disk({ stall: 1e9 }), etcd([member()]), LIMITS), GRADE).letter, 'F');
});

test(
  "etcd's WAL fsync p99 from buckets: judged on the bounds, by interpolation only when the limit is inside the " +
    'bucket',
  () => {
    const at = (lo: number, hi: number | null, est: number) =>
      serverWalCheck([member({ walFsync: walBucket(lo, hi, est) })], '', 10e6);
    assert.equal(at(4e6, 8e6, 7.9e6).status, 'pass');
    assert.equal(at(4e6, 10e6, 10e6).status, 'pass', 'an upper bound equal to the limit means every value is <= it');
    assert.equal(at(16e6, 32e6, 16.1e6).status, 'fail');
    assert.equal(at(10e6, 16e6, 10e6).status, 'fail');
    const inside = at(8e6, 16e6, 9_999_999);
    assert.deepEqual([inside.status, inside.range], ['pass', '8-16 ms']);
    assert.match(inside.note!, /the limit lies inside the bucket; judged by linear interpolation/);
    assert.equal(at(8e6, 16e6, 10e6).status, 'fail');
    assert.equal(at(8192e6, null, 8192e6).status, 'fail');
    const worst = serverWalCheck(
      [member({ walFsync: walBucket(0, 1e6, 5e5) }), member({ walFsync: walBucket(16e6, 32e6, 20e6) })],
      '',
      10e6,
    );
    assert.deepEqual([worst.status, worst.measured], ['fail', 20e6], 'the worst member counts');
    assert.equal(serverWalCheck([member()], '', 10e6).status, 'not-run');
    // The fewest observations of any member decides whether a pass may stand.
    const thin = serverWalCheck([member({ walFsync: walBucket(0, 1e6, 5e5, 2) })], '', 10e6);
    assert.deepEqual([thin.status, thin.observations, thin.minObservations], ['not-run', 2, 20]);
    assert.match(thin.note!, /^2 observations in the window, fewer than the 20 a pass needs/);
    assert.equal(serverWalCheck([member({ walFsync: walBucket(16e6, 32e6, 20e6, 2) })], '', 10e6).status, 'fail');
  },
);

test(
  'leader changes and failed proposals: zero passes, one fails; a moment without a leader fails; leader churn ' +
    'is F',
  () => {
    assert.deepEqual(
      raftChecks([member()], '').map((c) => c.status),
      ['pass', 'pass'],
    );
    assert.deepEqual(
      raftChecks([member({ leaderChanges: 1 })], '').map((c) => c.status),
      ['fail', 'pass'],
    );
    assert.deepEqual(
      raftChecks([member(), member({ proposalsFailed: 1 })], '').map((c) => [c.status, c.measured]),
      [
        ['pass', 0],
        ['fail', 1],
      ],
    );
    assert.equal(raftChecks([member({ hasLeaderMin: 0 })], '')[0]!.status, 'fail');
    assert.deepEqual(
      raftChecks([member({ leaderChanges: null, proposalsFailed: null })], '').map((c) => c.status),
      ['not-run', 'not-run'],
    );
    const checks = qualifyChecks(
      disk(),
      disk(),
      etcd([member({ leaderChanges: 2, walFsync: walBucket(0, 1e6, 5e5) })]),
      LIMITS,
    );
    assert.deepEqual(gradeOf(checks, GRADE), { letter: 'F', reason: 'failed: leader changes during the load' });
  },
);

test(
  'a phase that did not run leaves its checks not-run, never passed; the letter rests on the disk and the ' +
    'verdict says so',
  () => {
    const checks = qualifyChecks(disk({ p99: 3e6 }), disk({ p99: 3e6 }), NO_ETCD, LIMITS);
    const etcdChecks = checks.filter((c) => /^(etcd-|leader-changes|failed-proposals)/.test(c.id));
    assert.equal(etcdChecks.length, 6);
    assert.ok(
      etcdChecks.every((c) => c.status === 'not-run' && c.measured === null && c.note === 'no etcd binary on PATH'),
    );
    assert.equal(checks.filter((c) => c.status === 'pass').length, checks.length - 6);
    const grade = gradeOf(checks, GRADE);
    assert.equal(grade.letter, 'B');
    const phases = {
      fio: { status: 'done' },
      wal: { status: 'done' },
      etcd: { status: 'not-run', reason: 'no etcd binary on PATH' },
    } as unknown as QualifyReport['phases'];
    const v = verdictOf(checks, grade, phases, true);
    assert.equal(v.passed, true);
    assert.match(v.text, /^PASS, grade B: this disk can carry etcd/);
    assert.match(
      v.text,
      /The etcd phase did not run \(no etcd binary on PATH\): this verdict rests on the disk phases alone\./,
    );
    const slow = qualifyChecks(disk({ p99: 30e6 }), disk({ p99: 30e6 }), NO_ETCD, LIMITS);
    const failing = verdictOf(slow, gradeOf(slow, GRADE), phases, true);
    assert.match(failing.text, /^FAIL, grade D: this disk is not fit for etcd \(failed: WAL fdatasync p99/);
    assert.doesNotMatch(failing.text, /Failed: /, 'the failed checks are named once, in the reason');
    const none = qualifyChecks(
      { result: null, whyNot: 'x' },
      { result: null, whyNot: 'the wal phase failed' },
      NO_ETCD,
      LIMITS,
    );
    assert.equal(none[0]!.status, 'not-run');
    assert.equal(gradeOf(none, GRADE).letter, null);
  },
);

test('a passing check from an incomplete phase is not-run: a cut-short run cannot vouch for the disk', () => {
  const checks = qualifyChecks(disk(), disk({ complete: false }), NO_ETCD, LIMITS);
  const sync = checks.find((c) => c.id === 'sync-p99')!;
  assert.equal(sync.status, 'not-run');
  assert.match(sync.note!, /the phase did not complete/);
  const failing = qualifyChecks(disk(), disk({ complete: false, p99: 30e6 }), NO_ETCD, LIMITS);
  assert.equal(
    failing.find((c) => c.id === 'sync-p99')!.status,
    'fail',
    'a failure measured before the stop still counts',
  );
});

test('the WAL fdatasync p99 carries the letter: exact boundaries at 2, 5, 10 and 50 ms', () => {
  const letter = (p99: number) =>
    gradeOf(qualifyChecks(disk(), disk({ p99 }), etcd([member({ walFsync: walBucket(0, 1e6, 5e5) })]), LIMITS), GRADE)
      .letter;
  assert.deepEqual([2e6, 2e6 + 1, 5e6, 5e6 + 1, 9_999_999, 10e6, 50e6, 50e6 + 1].map(letter), [
    'A',
    'B',
    'B',
    'C',
    'C',
    'D',
    'D',
    'F',
  ]);
});

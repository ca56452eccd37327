import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stallCheck } from '../../src/grade/disk-checks.js';
import { gradeExitCode, gradeOf } from '../../src/verdict/letter.js';
import { check } from '../helpers/check.js';
import type { LatencySummary } from '../../src/stats/summary.js';

const LIMITS = { aNs: 2e6, bNs: 5e6, fNs: 50e6 };
const sync = (p99: number) => check('sync-p99', p99 < 10e6 ? 'pass' : 'fail', p99);

test('grade boundaries, exactly on both sides of every limit', () => {
  const cases: [number, string][] = [
    [1, 'A'],
    [2e6, 'A'],
    [2e6 + 1, 'B'],
    [5e6, 'B'],
    [5e6 + 1, 'C'],
    [10e6 - 1, 'C'],
    [10e6, 'D'],
    [50e6, 'D'],
    [50e6 + 1, 'F'],
    [800e6, 'F'],
  ];
  for (const [p99, letter] of cases) assert.equal(gradeOf([sync(p99)], LIMITS).letter, letter, `p99 ${p99} ns`);
});

test('another failing check makes a fast disk D; a severe one makes it F', () => {
  assert.equal(gradeOf([sync(1e6), check('commit-p99', 'fail', 30e6)], LIMITS).letter, 'D');
  assert.equal(
    gradeOf([sync(1e6), { ...check('stall', 'fail', 250e6), severeAt: 1e9 }], LIMITS).letter,
    'D',
    'late heartbeats: a fail',
  );
  const f = gradeOf([sync(1e6), { ...check('stall', 'fail', 1e9), severeAt: 1e9 }], LIMITS);
  assert.equal(f.letter, 'F', 'as long as the election timeout: severe');
  assert.match(f.reason, /failed: stall/);
  assert.equal(gradeOf([sync(1e6), check('leader-changes', 'fail', 1)], LIMITS).letter, 'F');
  assert.equal(
    gradeOf([sync(1e6), check('latency-over-time', 'not-run', null)], LIMITS).letter,
    'A',
    'not-run neither passes nor fails',
  );
});

test('no sync check, no grade; exit codes 0 for A-C, 1 for D, F and no grade', () => {
  const none = gradeOf([check('sync-p99', 'not-run', null)], LIMITS);
  assert.deepEqual(none, { letter: null, reason: 'the sync check did not run' });
  assert.deepEqual(
    ['A', 'B', 'C', 'D', 'F'].map((l) => gradeExitCode({ letter: l as 'A', reason: '' })),
    [0, 0, 0, 1, 1],
  );
  assert.equal(gradeExitCode(none), 1);
});

test('stall check: twice the heartbeat fails, the election timeout is severe; a cut fsync counts', () => {
  const s = (maxNs: number, count = 10) => ({ count, maxNs }) as LatencySummary;
  const t = { heartbeatNs: 100e6, electionNs: 1000e6 };
  assert.equal(stallCheck([s(1e6), s(199_999_999)], t).status, 'pass');
  const late = stallCheck([s(200e6), s(1e6)], t);
  assert.deepEqual([late.status, late.measured, late.limit, late.severeAt], ['fail', 200e6, 200e6, 1000e6]);
  assert.match(late.note ?? '', /heartbeats would be late/);
  assert.match(
    stallCheck([s(1e6), s(1e6), s(1.5e9, 2)], t).note ?? '',
    /severe/,
    'a third stream (the cut fsyncs) is seen',
  );
  assert.equal(gradeOf([sync(1e6), stallCheck([s(1e6), s(300e6)], t)], LIMITS).letter, 'D');
  assert.equal(gradeOf([sync(1e6), stallCheck([s(1e6), s(1.5e9)], t)], LIMITS).letter, 'F');
  assert.equal(
    stallCheck([s(20e6), s(1e6)], { heartbeatNs: 10e6, electionNs: 100e6 }).status,
    'fail',
    "a team's own --heartbeat-interval",
  );
  assert.equal(stallCheck([s(0, 0), s(0, 0)], t).status, 'not-run');
});

test('a missed limit the host caused does not fail the disk; on the main figure there is no letter and exit 4', () => {
  const host = { ...check('commit-p99', 'inconclusive', 30e6), cause: 'host' as const };
  assert.equal(gradeOf([sync(1e6), host], LIMITS).letter, 'A');
  assert.match(
    gradeOf([sync(1e6), host], LIMITS).reason,
    /every check that judged the disk passed \(1 not the disk's\)/,
  );
  const main = gradeOf([{ ...sync(12e6), status: 'inconclusive', cause: 'host' }], LIMITS);
  assert.equal(main.letter, null);
  assert.equal(main.limitedBy, 'host');
  assert.equal(gradeExitCode(main), 4);
  assert.match(gradeOf([sync(1e6), check('latency-over-time', 'not-run', null)], LIMITS).reason, /\(1 not run\)/);
});

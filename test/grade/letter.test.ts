import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Check } from '../../src/disk/result.js';
import { stallCheck } from '../../src/grade/disk-checks.js';
import { gradeExitCode, gradeOf } from '../../src/grade/letter.js';
import type { LatencySummary } from '../../src/stats/summary.js';

const LIMITS = { aNs: 2e6, bNs: 5e6, fNs: 50e6 };
const check = (id: string, measured: number | null, status: Check['status']): Check =>
  ({ id, title: id, unit: 'ns', comparison: '<', measured, limit: 10e6, status, source: 'test' });
const sync = (p99: number) => check('sync-p99', p99, p99 < 10e6 ? 'pass' : 'fail');

test('grade boundaries, exactly on both sides of every limit', () => {
  const cases: [number, string][] = [
    [1, 'A'], [2e6, 'A'], [2e6 + 1, 'B'], [5e6, 'B'], [5e6 + 1, 'C'], [10e6 - 1, 'C'], [10e6, 'D'], [50e6, 'D'], [50e6 + 1, 'F'], [800e6, 'F'],
  ];
  for (const [p99, letter] of cases) assert.equal(gradeOf([sync(p99)], LIMITS).letter, letter, `p99 ${p99} ns`);
});

test('another failing check makes a fast disk D; a severe one makes it F', () => {
  assert.equal(gradeOf([sync(1e6), check('commit-p99', 30e6, 'fail')], LIMITS).letter, 'D');
  const f = gradeOf([sync(1e6), check('stall', 250e6, 'fail')], LIMITS);
  assert.equal(f.letter, 'F');
  assert.match(f.reason, /failed: stall/);
  assert.equal(gradeOf([sync(1e6), check('latency-over-time', null, 'not-run')], LIMITS).letter, 'A', 'not-run neither passes nor fails');
});

test('no sync check, no grade; exit codes 0 for A-C, 1 for D, F and no grade', () => {
  const none = gradeOf([check('sync-p99', null, 'not-run')], LIMITS);
  assert.deepEqual(none, { letter: null, reason: 'the sync check did not run' });
  assert.deepEqual(['A', 'B', 'C', 'D', 'F'].map((l) => gradeExitCode({ letter: l as 'A', reason: '' })), [0, 0, 0, 1, 1]);
  assert.equal(gradeExitCode(none), 1);
});

test('stall check: the longest write() or sync against 200 ms', () => {
  const s = (maxNs: number, count = 10) => ({ count, maxNs } as LatencySummary);
  assert.equal(stallCheck(s(1e6), s(199_999_999), 200e6).status, 'pass');
  assert.deepEqual([stallCheck(s(200e6), s(1e6), 200e6).status, stallCheck(s(200e6), s(1e6), 200e6).measured], ['fail', 200e6]);
  assert.equal(stallCheck(s(0, 0), s(0, 0), 200e6).status, 'not-run');
});

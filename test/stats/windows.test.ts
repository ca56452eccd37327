import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecondWindows } from '../../src/stats/windows.js';

test('one row per second, empty seconds included (a stall shows as count 0)', () => {
  const w = new SecondWindows();
  w.record(0.1e9, 100);
  w.record(0.5e9, 300);
  w.record(0.9e9, 200);
  // nothing completes during seconds 1 and 2
  w.record(3.2e9, 2_000_000_000);
  w.finish(3.5e9);
  assert.deepEqual(w.rows, [
    { second: 0, count: 3, p50Ns: 200, p99Ns: 300, maxNs: 300 },
    { second: 1, count: 0, p50Ns: null, p99Ns: null, maxNs: null },
    { second: 2, count: 0, p50Ns: null, p99Ns: null, maxNs: null },
    { second: 3, count: 1, p50Ns: w.rows[3]!.p50Ns, p99Ns: w.rows[3]!.p99Ns, maxNs: w.rows[3]!.maxNs },
  ]);
  assert.ok(Math.abs(w.rows[3]!.maxNs! - 2e9) / 2e9 < 1e-3);
});

test('finish() closes trailing empty seconds up to the end of the run', () => {
  const w = new SecondWindows();
  w.record(0.5e9, 10);
  w.finish(2.5e9);
  assert.deepEqual(
    w.rows.map((r) => [r.second, r.count]),
    [
      [0, 1],
      [1, 0],
    ],
  );
});

test('samples going back a window are a bug and throw', () => {
  const w = new SecondWindows();
  w.record(2.1e9, 10);
  assert.throws(() => w.record(0.5e9, 10), RangeError);
  w.finish(3e9);
});

test("a second's p99 never reads above its max (HDR's bucket top is capped)", () => {
  const w = new SecondWindows();
  // 7,456,000 ns sits in a bucket whose highest equivalent value is 7,458,815 ns
  for (let i = 0; i < 3; i++) w.record(0.1e9 + i, 1_000_000);
  w.record(0.2e9, 7_456_000);
  w.finish(1e9);
  assert.equal(w.rows[0]!.maxNs, 7_456_000);
  assert.equal(w.rows[0]!.p99Ns, 7_456_000);
});

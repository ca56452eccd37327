import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dueBy } from '../../src/load/runner.js';
import { sharePlan } from '../../src/load/workers.js';
import { LoadRecorder, mergeLoadParts } from '../../src/stats/load-recorder.js';

test('a plan split three ways: rates and offsets interleave, clients and totals add up', () => {
  const plan = { rate: 900, clients: 10, durationNs: 5e9, total: 1000 };
  const shares = [0, 1, 2].map((k) => sharePlan(plan, 3, k));
  assert.deepEqual(
    shares.map((s) => s.rate),
    [300, 300, 300],
  );
  assert.deepEqual(
    shares.map((s) => s.offsetNs),
    [0, 1e9 / 900, 2e9 / 900],
  );
  assert.deepEqual(
    shares.map((s) => s.clients),
    [4, 3, 3],
  );
  assert.deepEqual(
    shares.map((s) => s.total),
    [334, 333, 333],
  );
  assert.ok(shares.every((s) => s.durationNs === 5e9));
});

test('parts from several recorders merge exactly: counts, percentiles, per-second rows, errors', () => {
  const a = new LoadRecorder();
  const b = new LoadRecorder();
  for (let i = 1; i <= 500; i++) a.ok('put', false, 0, 0, i); // completes within second 0, latency i ns
  for (let i = 501; i <= 1000; i++) b.ok('put', i % 100 === 0, 1e9, 1e9, 1e9 + i); // second 1
  b.failed('GRPCDeadlineExceededError', 1.2e9, 1.5e9);
  const stats = mergeLoadParts([a.part(2e9), b.part(2e9)], 2e9);
  assert.equal(stats.service.count, 1000);
  assert.equal(stats.response.p50Ns, 500);
  assert.equal(stats.response.p99Ns, 990);
  assert.deepEqual(
    stats.timeSeries.map((r) => [r.second, r.count, r.maxNs]),
    [
      [0, 500, 500],
      [1, 500, 1000],
    ],
  );
  assert.deepEqual(stats.byKind, { put: 1000 });
  assert.equal(stats.conflicts, 5);
  assert.deepEqual(stats.errors, { GRPCDeadlineExceededError: 1 });
  assert.deepEqual(stats.errorsPerSecond, [0, 1]);
  assert.equal(stats.failed.count, 1);
  assert.ok(
    Math.abs(stats.failed.maxNs - 0.3e9) <= 0.3e9 * 1e-3,
    `a failed request keeps its response time: ${stats.failed.maxNs}`,
  );
});

test('merged parts keep the count of values past the histogram range', () => {
  const a = new LoadRecorder();
  const b = new LoadRecorder();
  a.ok('put', false, 0, 0, 1e6);
  b.ok('put', false, 0, 0, 61e9); // past the 60 s top: recorded at 60 s and counted
  b.ok('put', false, 0, 0, 75e9);
  b.failed('GRPCDeadlineExceededError', 0, 70e9);
  const stats = mergeLoadParts([a.part(80e9), b.part(80e9)], 80e9);
  assert.equal(stats.response.count, 3);
  assert.equal(stats.response.clampedHigh, 2);
  assert.equal(stats.service.clampedHigh, 2);
  assert.equal(stats.failed.clampedHigh, 1);
  assert.ok(Math.abs(stats.response.maxNs - 60e9) <= 60e9 * 1e-3, `clamped at the 60 s top: ${stats.response.maxNs}`);
});

test('dueBy: the requests an open-loop schedule called for before sending stopped', () => {
  const plan = { rate: 100, clients: 1, durationNs: 1e9, total: 0 };
  assert.equal(dueBy(plan, 1e7, 1e9), 100, 'the whole second: 100 due');
  assert.equal(dueBy(plan, 1e7, 5e9), 100, 'never past the planned end');
  assert.equal(dueBy(plan, 1e7, 0.5e9), 50, 'stopped half way');
  assert.equal(dueBy({ ...plan, offsetNs: 5e6 }, 1e7, 1e9), 100, 'an offset thread: 5, 15, ... 995 ms');
  assert.equal(dueBy({ ...plan, total: 30 }, 1e7, 1e9), 30, 'capped by --total');
  const third = { rate: 300, clients: 1, durationNs: 4e9, total: 0 };
  const p = 1e9 / 300;
  let loop = 0;
  while (loop * p < 4e9) loop++;
  assert.equal(dueBy(third, p, 4e9), loop, 'the same count as the send loop, float for float');
});

test("threads that start at different times: their per-second rows are merged by the load's clock, not theirs", () => {
  // Thread b's clock started 1.5 s after the load's: its answer at its own 0.2 s lands in the load's second 1.
  const a = new LoadRecorder();
  const b = new LoadRecorder();
  b.alignTo(1.5e9);
  a.ok('put', false, 0, 0, 0.2e9);
  a.ok('put', false, 1.3e9, 1.3e9, 1.4e9);
  b.ok('put', false, 0.1e9, 0.1e9, 0.2e9);
  b.failed('X', 0.2e9, 0.3e9);
  const s = mergeLoadParts([a.part(2e9), b.part(0.4e9)], 2e9);
  assert.deepEqual(
    s.timeSeries.map((r) => [r.second, r.count]),
    [
      [0, 1],
      [1, 2],
    ],
  );
  assert.deepEqual(s.errorsPerSecond, [0, 1], "the failure at b's 0.3 s is the load's 1.8 s");
});

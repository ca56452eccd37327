import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharePlan } from '../../src/etcd/load-workers.js';
import { LoadRecorder, mergeLoadParts } from '../../src/stats/load-recorder.js';

test('a plan split three ways: rates and offsets interleave, clients and totals add up', () => {
  const plan = { rate: 900, clients: 10, durationNs: 5e9, total: 1000 };
  const shares = [0, 1, 2].map((k) => sharePlan(plan, 3, k));
  assert.deepEqual(shares.map((s) => s.rate), [300, 300, 300]);
  assert.deepEqual(shares.map((s) => s.offsetNs), [0, 1e9 / 900, 2e9 / 900]);
  assert.deepEqual(shares.map((s) => s.clients), [4, 3, 3]);
  assert.deepEqual(shares.map((s) => s.total), [334, 333, 333]);
  assert.ok(shares.every((s) => s.durationNs === 5e9));
});

test('parts from several recorders merge exactly: counts, percentiles, per-second rows, errors', () => {
  const a = new LoadRecorder();
  const b = new LoadRecorder();
  for (let i = 1; i <= 500; i++) a.ok('put', false, 0, 0, i); // completes within second 0, latency i ns
  for (let i = 501; i <= 1000; i++) b.ok('put', i % 100 === 0, 1e9, 1e9, 1e9 + i); // second 1
  b.failed('GRPCDeadlineExceededError', 1.5e9);
  const stats = mergeLoadParts([a.part(2e9), b.part(2e9)], 2e9);
  assert.equal(stats.service.count, 1000);
  assert.equal(stats.response.p50Ns, 500);
  assert.equal(stats.response.p99Ns, 990);
  assert.deepEqual(stats.timeSeries.map((r) => [r.second, r.count, r.maxNs]), [[0, 500, 500], [1, 500, 1000]]);
  assert.deepEqual(stats.byKind, { put: 1000 });
  assert.equal(stats.conflicts, 5);
  assert.deepEqual(stats.errors, { GRPCDeadlineExceededError: 1 });
  assert.deepEqual(stats.errorsPerSecond, [0, 1]);
});

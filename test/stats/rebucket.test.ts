import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketQuantile } from '../../src/etcd/prometheus.js';
import { LatencyHistogram } from '../../src/stats/histogram.js';
import { rebucket } from '../../src/stats/rebucket.js';

const ETCD_BUCKETS = [0.001, 0.002, 0.004, 0.008, 0.016, 0.032, Infinity];

test("our exact samples counted in etcd's buckets, read as etcd's are", () => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 985; i++) h.record(3e6);
  for (let i = 0; i < 10; i++) h.record(12e6);
  for (let i = 0; i < 5; i++) h.record(90e6);
  const b = rebucket(h.encode(), ETCD_BUCKETS);
  h.destroy();
  assert.deepEqual(b.cumulative, [0, 0, 985, 985, 995, 995, 1000]);
  assert.equal(b.count, 1000);
  const p99 = bucketQuantile(b, 0.99)!;
  assert.equal(p99.text, '8-16 ms');
  assert.equal(p99.estimateNs, 8e6 + 8e6 * ((990 - 985) / 10), 'linear inside the bucket, as Prometheus does');
});

test('a value exactly on a bound is in that bucket (le), and past the last bound in +Inf', () => {
  const h = new LatencyHistogram();
  h.record(2e6);
  h.record(40e6);
  const b = rebucket(h.encode(), ETCD_BUCKETS);
  h.destroy();
  assert.deepEqual(b.cumulative, [0, 1, 1, 1, 1, 1, 2]);
});

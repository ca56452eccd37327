import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketQuantile, histogram, histogramDelta, parseMetrics, total } from '../../src/etcd/prometheus.js';

const TEXT = `# HELP etcd_disk_wal_fsync_duration_seconds The latency distributions of fsync called by WAL.
# TYPE etcd_disk_wal_fsync_duration_seconds histogram
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 50
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} 90
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.004"} 99
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.008"} 100
etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} 100
etcd_disk_wal_fsync_duration_seconds_sum 0.12
etcd_disk_wal_fsync_duration_seconds_count 100
etcd_server_leader_changes_seen_total 1
etcd_server_proposals_failed_total 0
etcd_debugging_mvcc_keys_total{a="x"} 3
etcd_debugging_mvcc_keys_total{a="y"} 4
`;

test('parses samples, sums label sets, reads histograms', () => {
  const s = parseMetrics(TEXT);
  assert.equal(total(s, 'etcd_server_leader_changes_seen_total'), 1);
  assert.equal(total(s, 'etcd_debugging_mvcc_keys_total'), 7);
  assert.equal(total(s, 'absent'), null);
  const h = histogram(s, 'etcd_disk_wal_fsync_duration_seconds')!;
  assert.deepEqual(h.bounds, [0.001, 0.002, 0.004, 0.008, Infinity]);
  assert.deepEqual(h.cumulative, [50, 90, 99, 100, 100]);
  assert.equal(h.count, 100);
});

test('quantiles from buckets: the bucket range and a linear interpolation', () => {
  const h = histogram(parseMetrics(TEXT), 'etcd_disk_wal_fsync_duration_seconds')!;
  assert.deepEqual(bucketQuantile(h, 0.5), { lowerNs: 0, upperNs: 1e6, estimateNs: 1e6, text: '<= 1 ms' });
  // rank 99 of 100: the 9 observations of (2, 4] ms hold ranks 91..99 -> the top of the bucket
  assert.deepEqual(bucketQuantile(h, 0.99), { lowerNs: 2e6, upperNs: 4e6, estimateNs: 4e6, text: '2-4 ms' });
  assert.deepEqual(bucketQuantile(h, 0.7), { lowerNs: 1e6, upperNs: 2e6, estimateNs: 1.5e6, text: '1-2 ms' });
});

test('deltas between two scrapes; no observations gives no quantile', () => {
  const before = histogram(parseMetrics(TEXT), 'etcd_disk_wal_fsync_duration_seconds')!;
  const after = { ...before, cumulative: [60, 100, 110, 120, 120], count: 120, sum: 0.2 };
  const d = histogramDelta(after, before);
  assert.deepEqual(d.cumulative, [10, 10, 11, 20, 20]);
  assert.equal(d.count, 20);
  assert.equal(bucketQuantile(histogramDelta(before, before), 0.99), null);
  const beyond = { bounds: [0.001, Infinity], cumulative: [0, 5], count: 5, sum: 10 };
  assert.equal(bucketQuantile(beyond, 0.99)!.text, '> 1 ms');
});

// A member's snapshots added up: per-interval rows from bucket deltas, a
// labelled peer series that appears mid-window counted whole, a restart
// counted from zero, and a Prometheus matrix grouped into snapshots.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetrics } from '../../src/etcd/prometheus.js';
import { MemberSeries } from '../../src/observe/member-series.js';
import { snapshotsOf } from '../../src/observe/prometheus-source.js';

/** etcd's exposition text for a WAL fsync histogram with `fast` observations <= 1 ms and `slow` in 16-32 ms. */
function scrape(fast: number, slow: number, peer?: { to: string; n: number }, leaderChanges = 0): string {
  const lines = [
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} ${fast}`,
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.016"} ${fast}`,
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.032"} ${fast + slow}`,
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${fast + slow}`,
    `etcd_disk_wal_fsync_duration_seconds_count ${fast + slow}`,
    'etcd_disk_wal_fsync_duration_seconds_sum 1',
    `etcd_server_leader_changes_seen_total ${leaderChanges}`,
  ];
  if (peer)
    lines.push(
      `etcd_network_peer_round_trip_time_seconds_bucket{To="${peer.to}",le="0.0008"} ${peer.n}`,
      `etcd_network_peer_round_trip_time_seconds_bucket{To="${peer.to}",le="+Inf"} ${peer.n}`,
      `etcd_network_peer_round_trip_time_seconds_count{To="${peer.to}"} ${peer.n}`,
    );
  return lines.join('\n');
}

test('each interval reads its own bucket delta; the window adds them up', () => {
  const s = new MemberSeries();
  s.add(parseMetrics(scrape(1000, 0)), 0);
  s.add(parseMetrics(scrape(1100, 0)), 1000);
  s.add(parseMetrics(scrape(1100, 50)), 2000);
  assert.equal(s.rows.length, 2);
  assert.deepEqual(
    s.rows.map((r) => [r.walFsyncs, r.walFsyncP99?.text]),
    [
      [100, '<= 1 ms'],
      [50, '16-32 ms'],
    ],
  );
  assert.equal(s.deltas.histograms.walFsync?.count, 150, 'the window: 150, not the lifetime 1150');
});

test('a peer series that first appears mid-window is counted whole; a member restart counts from zero', () => {
  const s = new MemberSeries();
  s.add(parseMetrics(scrape(10, 0)), 0);
  s.add(parseMetrics(scrape(20, 0, { to: 'abc', n: 2 })), 1000);
  s.add(parseMetrics(scrape(30, 0, { to: 'abc', n: 4 }, 1)), 2000);
  s.add(parseMetrics(scrape(5, 0, { to: 'abc', n: 1 })), 3000); // restarted: counters start again
  assert.deepEqual(
    s.peerRtt().map((p) => [p.to, p.count]),
    [['abc', 5]],
  );
  assert.deepEqual(
    s.rows.map((r) => r.walFsyncs),
    [10, 10, 5],
  );
  assert.deepEqual(
    s.rows.map((r) => r.leaderChanges),
    [0, 1, 0],
  );
  assert.equal(s.deltas.resets > 0, true);
});

test('a failed read leaves a gap: the next interval spans it', () => {
  const s = new MemberSeries();
  s.add(parseMetrics(scrape(0, 0)), 0);
  s.add(null, 1000);
  s.add(parseMetrics(scrape(30, 0)), 2000);
  assert.deepEqual(
    s.rows.map((r) => [r.seconds, r.walFsyncs]),
    [[2, 30]],
  );
  assert.equal(s.deltas.failures, 1);
});

test("a Prometheus matrix becomes one snapshot per instance per step, labels kept but the target's", () => {
  const snaps = snapshotsOf([
    {
      metric: { __name__: 'etcd_server_has_leader', instance: 'a:2379', job: 'etcd' },
      values: [
        [10, '1'],
        [11, '1'],
      ],
    },
    {
      metric: { __name__: 'etcd_network_peer_round_trip_time_seconds_count', instance: 'a:2379', job: 'etcd', To: 'x' },
      values: [[11, '3']],
    },
    { metric: { __name__: 'etcd_server_has_leader', instance: 'b:2379', job: 'etcd' }, values: [[10, '0']] },
  ]);
  assert.deepEqual([...snaps.keys()], ['a:2379', 'b:2379']);
  assert.deepEqual(snaps.get('a:2379')!.get(11), [
    { name: 'etcd_server_has_leader', labels: {}, value: 1 },
    { name: 'etcd_network_peer_round_trip_time_seconds_count', labels: { To: 'x' }, value: 3 },
  ]);
});

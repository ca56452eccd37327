import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemberDeltas } from '../../src/etcd/metric-deltas.js';
import { parseMetrics } from '../../src/etcd/prometheus.js';
import { memberMetrics } from '../../src/etcd/server-metrics.js';

/** An exposition text: leader changes, CPU seconds, RSS and a WAL fsync histogram (cumulative 1 ms, 2 ms, +Inf). */
function scrape(o: { leader: number; cpu: number; rss: number; fsync: [number, number, number] }) {
  const [a, b, c] = o.fsync;
  return parseMetrics(`# HELP x
etcd_server_leader_changes_seen_total ${o.leader}
process_cpu_seconds_total ${o.cpu}
process_resident_memory_bytes ${o.rss}
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} ${a}
etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} ${b}
etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${c}
etcd_disk_wal_fsync_duration_seconds_count ${c}
etcd_disk_wal_fsync_duration_seconds_sum 0.1
`);
}

test(
  'deltas count from the first successful scrape when the "before" scrape failed: lifetime totals are not ' +
    '"during the run"',
  () => {
    const m = new MemberDeltas();
    m.add(null, 0n);
    m.add(scrape({ leader: 7, cpu: 100, rss: 1e8, fsync: [900, 990, 1000] }), 1_000_000_000n);
    m.add(scrape({ leader: 7, cpu: 101, rss: 2e8, fsync: [990, 1090, 1100] }), 2_000_000_000n);
    const r = memberMetrics('u', m);
    assert.equal(r.leaderChanges, 0, 'the 7 lifetime leader changes are not counted');
    assert.equal(r.walFsync!.count, 100);
    assert.deepEqual(
      r.walFsync!.buckets.map((b) => b.count),
      [90, 10, 0],
    );
    assert.match(r.baselineNote!, /the first 1 scrape failed: deltas count from scrape 2/);
    assert.deepEqual([r.scrapes, r.scrapeErrors], [2, 1]);
    assert.deepEqual(r.cpuCores, { mean: 1, max: 1 });
    assert.deepEqual(r.residentBytes, { first: 1e8, last: 2e8, max: 2e8 });
  },
);

test('a counter reset (a member restart) is detected: never a negative delta', () => {
  const m = new MemberDeltas();
  m.add(scrape({ leader: 5, cpu: 50, rss: 1e8, fsync: [100, 100, 100] }), 0n);
  m.add(scrape({ leader: 6, cpu: 51, rss: 1e8, fsync: [150, 150, 150] }), 1_000_000_000n);
  m.add(scrape({ leader: 1, cpu: 0.5, rss: 3e7, fsync: [20, 30, 30] }), 2_000_000_000n); // restarted
  m.add(scrape({ leader: 1, cpu: 1, rss: 4e7, fsync: [40, 60, 60] }), 3_000_000_000n);
  const r = memberMetrics('u', m);
  assert.equal(r.leaderChanges, 1 + 1, 'one before the restart, one as it came back');
  assert.equal(r.walFsync!.count, 50 + 30 + 30);
  assert.ok(r.counterResets >= 2, `${r.counterResets} resets`);
  assert.ok(r.walFsync!.buckets.every((b) => b.count >= 0));
  assert.equal(r.baselineNote, undefined);
});

test('no scrape at all: everything unknown, said so', () => {
  const m = new MemberDeltas();
  m.add(null);
  const r = memberMetrics('u', m);
  assert.deepEqual([r.leaderChanges, r.walFsync, r.cpuCores], [null, null, null]);
  assert.equal(r.baselineNote, 'no scrape succeeded');
});

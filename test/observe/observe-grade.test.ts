// Grading an observed cluster: each member on its own WAL fsync p99, the
// cluster the worst member's letter, the verdict naming that member; and the
// observe schema's shared definitions kept equal to the qualify schema's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseMetrics } from '../../src/etcd/prometheus.js';
import { clusterVerdict, observedMembers, type MemberSource } from '../../src/observe/assemble-observe.js';
import { MemberSeries } from '../../src/observe/member-series.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

function source(name: string, fsyncBucket: string, alarms: string[] | null = []): MemberSource {
  const series = new MemberSeries();
  for (const [t, n] of [
    [0, 0],
    [1000, 500],
  ] as const)
    series.add(
      parseMetrics(
        [
          // etcd's bounds; every fsync in the bucket up to fsyncBucket
          ...['0.001', '0.002', '0.016', '0.032'].map(
            (le) =>
              `etcd_disk_wal_fsync_duration_seconds_bucket{le="${le}"} ${Number(le) >= Number(fsyncBucket) ? n : 0}`,
          ),
          `etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${n}`,
          `etcd_disk_wal_fsync_duration_seconds_count ${n}`,
          'etcd_server_leader_changes_seen_total 0',
          'etcd_server_proposals_failed_total 0',
          'etcd_server_heartbeat_send_failures_total 0',
        ].join('\n'),
      ),
      t,
    );
  return { name, id: null, metricsFrom: `http://${name}:2379`, info: null, series, alarms };
}

const LIMITS = { walFsyncP99Ns: 10e6, commitP99Ns: 25e6, peerRttP99Ns: 50e6 };
const GRADES = { aNs: 2e6, bNs: 5e6, fNs: 50e6 };

test('the one slow member of three is named and fails; the others pass; the cluster takes its letter', () => {
  const members = observedMembers(
    [source('m0', '0.001'), source('m1', '0.032'), source('m2', '0.002')],
    LIMITS,
    GRADES,
  );
  assert.deepEqual(
    members.map((m) => [m.name, m.grade.letter]),
    [
      ['m0', 'A'],
      ['m1', 'D'],
      ['m2', 'A'],
    ],
  );
  const v = clusterVerdict(members, true, undefined);
  assert.equal(v.grade.letter, 'D');
  assert.equal(v.worstMember, 'm1');
  assert.equal(v.verdict.passed, false);
  assert.match(v.verdict.text, /^FAIL, grade D: m1 \(D\): WAL fsync p99 .* 16-32 ms.*Within the limits: m0, m2\.$/);
});

test('an alarm fails its member; unknown alarms (Prometheus) are not run, not passed', () => {
  const [nospace, unknown] = observedMembers(
    [source('m0', '0.001', ['NOSPACE']), source('m1', '0.001', null)],
    LIMITS,
    GRADES,
  );
  assert.equal(nospace!.checks.find((c) => c.id === 'alarms')?.status, 'fail');
  assert.equal(nospace!.grade.letter, 'D');
  assert.equal(unknown!.checks.find((c) => c.id === 'alarms')?.status, 'not-run');
  assert.equal(unknown!.grade.letter, 'A');
});

test("the observe schema's definitions shared with the qualify schema are the same", () => {
  const read = (f: string) =>
    JSON.parse(readFileSync(join(PACKAGE_ROOT, 'schema', f), 'utf8')) as { $defs: Record<string, unknown> };
  const q = read('qualify-report.schema.json').$defs;
  const o = read('observe-report.schema.json').$defs;
  const shared = Object.keys(o).filter((k) => k in q);
  assert.ok(shared.length >= 8, shared.join(', '));
  for (const k of shared) assert.deepEqual(o[k], q[k], `$defs.${k}`);
});

/** A member whose WAL fsyncs all fall in the bucket up to `wal` and whose backend commits in the one up to `commit`. */
function twoStreams(name: string, wal: string, commit: string, n = 500): MemberSource {
  const bounds = ['0.001', '0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256', '0.512'];
  const series = new MemberSeries();
  for (const [t, k] of [
    [0, 0],
    [1000, n],
  ] as const) {
    const hist = (metric: string, top: string) => [
      ...bounds.map((le) => `${metric}_bucket{le="${le}"} ${Number(le) >= Number(top) ? k : 0}`),
      `${metric}_bucket{le="+Inf"} ${k}`,
      `${metric}_count ${k}`,
    ];
    series.add(
      parseMetrics(
        [
          ...hist('etcd_disk_wal_fsync_duration_seconds', wal),
          ...hist('etcd_disk_backend_commit_duration_seconds', commit),
          'etcd_server_leader_changes_seen_total 0',
          'etcd_server_proposals_failed_total 0',
          'etcd_server_heartbeat_send_failures_total 0',
        ].join('\n'),
      ),
      t,
    );
  }
  return { name, id: null, metricsFrom: `http://${name}:2379`, info: null, series, alarms: [] };
}

test('the worst member is the one furthest past its limits, WAL fsync first, whatever order members come in', () => {
  // The setup of issue 26: m3's disk adds 20 ms to each fsync; every member's commit is slow (a shared cause).
  const m1 = twoStreams('m1', '0.004', '0.128');
  const m2 = twoStreams('m2', '0.004', '0.256');
  const m3 = twoStreams('m3', '0.032', '0.256');
  for (const order of [
    [m1, m2, m3],
    [m3, m1, m2],
    [m2, m3, m1],
  ]) {
    const members = observedMembers(order, LIMITS, GRADES);
    assert.deepEqual(
      members.map((m) => m.grade.letter),
      ['D', 'D', 'D'],
    );
    assert.equal(clusterVerdict(members, true, undefined).worstMember, 'm3', order.map((s) => s.name).join(','));
  }
  // Two members failing WAL fsync in the same bucket: the one further past the limit by its estimate.
  const a = twoStreams('a', '0.016', '0.008', 500);
  const b = twoStreams('b', '0.032', '0.008', 500);
  for (const order of [
    [a, b],
    [b, a],
  ])
    assert.equal(clusterVerdict(observedMembers(order, LIMITS, GRADES), true, undefined).worstMember, 'b');
});

test('a limit missed on every member is called cluster-wide, with etcd figures, not each member blamed', () => {
  const members = observedMembers(
    [twoStreams('m1', '0.004', '0.128'), twoStreams('m2', '0.004', '0.256'), twoStreams('m3', '0.032', '0.256')],
    LIMITS,
    GRADES,
  );
  const v = clusterVerdict(members, true, undefined);
  assert.match(
    v.verdict.text,
    /^FAIL, grade D: m3 \(D\): WAL fsync p99 \(etcd_disk_wal_fsync_duration_seconds\) 16-32 ms\./,
  );
  assert.match(
    v.verdict.text,
    new RegExp(
      'Cluster-wide: backend commit p99 \\(etcd_disk_backend_commit_duration_seconds\\) over its limit on every ' +
        'member \\(m1 64-128 ms, m2 128-256 ms, m3 128-256 ms\\): a cause the members share',
    ),
  );
  assert.match(v.verdict.text, /Their own figures within the limits: m1, m2\.$/);
  assert.doesNotMatch(v.verdict.text, /m1 \(D\)/, "m1's disk is not blamed for the shared commit latency");
});

test('too few observations: a p99 that would pass is not run, saying how many and how to get more', () => {
  const [few, fewSlow, enough] = observedMembers(
    [
      twoStreams('m1', '0.001', '0.008', 5),
      twoStreams('m2', '0.032', '0.008', 5),
      twoStreams('m3', '0.001', '0.008', 20),
    ],
    LIMITS,
    GRADES,
  );
  const wal = (m: typeof few) => m!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!;
  assert.equal(wal(few).status, 'not-run');
  assert.equal(wal(few).observations, 5);
  assert.equal(wal(few).minObservations, 20);
  assert.match(
    wal(few).note!,
    /^5 observations in the window, fewer than the 20 a pass needs \(<= 1 ms so far\); observe longer/,
  );
  assert.equal(few!.grade.letter, null, 'no letter on too little evidence');
  assert.equal(wal(fewSlow).status, 'fail', 'five fsyncs of 16-32 ms are already over the limit');
  assert.equal(wal(enough).status, 'pass');
  assert.equal(enough!.grade.letter, 'A');
  const commit = few!.checks.find((c) => c.id === 'etcd-backend-commit-p99')!;
  assert.equal(commit.status, 'not-run');
});

/** A member whose round trip to peer "p" was recorded `n` times in the window, every one under 3.2 ms. */
function withPeer(name: string, n: number): MemberSource {
  const series = new MemberSeries();
  for (const [t, k] of [
    [0, 0],
    [60_000, n],
  ] as const)
    series.add(
      parseMetrics(
        [
          ...['0.0016', '0.0032', '0.0064'].map(
            (le) => `etcd_network_peer_round_trip_time_seconds_bucket{To="p",le="${le}"} ${le === '0.0016' ? 0 : k}`,
          ),
          `etcd_network_peer_round_trip_time_seconds_bucket{To="p",le="+Inf"} ${k}`,
          `etcd_network_peer_round_trip_time_seconds_count{To="p"} ${k}`,
        ].join('\n'),
      ),
      t,
    );
  return { name, id: null, metricsFrom: `http://${name}:2379`, info: null, series, alarms: [] };
}

test("a peer round trip passes on two of etcd's samples, never on one (it records one every 30 s)", () => {
  const [one, two] = observedMembers([withPeer('m1', 1), withPeer('m2', 2)], LIMITS, GRADES);
  const rtt = (m: typeof one) => m!.checks.find((c) => c.id === 'peer-rtt-p99')!;
  assert.deepEqual([rtt(one).status, rtt(one).observations, rtt(one).minObservations], ['not-run', 1, 2]);
  assert.match(
    rtt(one).note!,
    /^worst link: to p; 1 observation in the window, fewer than the 2 a pass needs .*observe for at least 65 s/,
  );
  assert.equal(rtt(two).status, 'pass');
});

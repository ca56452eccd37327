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
import { PACKAGE_ROOT } from '../../src/paths.js';

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

// observe's attribution for members on this host: a missed disk limit while
// the host's CPU was saturated is HOST's (or ETCD's, when etcd used the most),
// not the disk's, and with no disk verdict left the cluster gets none (exit
// 4); on a host with CPU to spare the failure stands as the disk's; members
// on other hosts are never judged by this host's CPU.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseMetrics } from '../../src/etcd/prometheus.js';
import { gradeExitCode } from '../../src/verdict/letter.js';
import type { HostEvidence } from '../../src/host/host-sampler.js';
import { clusterVerdict, type MemberSource, observedMembers } from '../../src/observe/assemble-observe.js';
import { isLocalUrl, localAttribution } from '../../src/observe/observe-attribution.js';
import { MemberSeries } from '../../src/observe/member-series.js';

const LIMITS = { walFsyncP99Ns: 10e6, commitP99Ns: 25e6, peerRttP99Ns: 50e6 };
const GRADES = { aNs: 2e6, bNs: 5e6, fNs: 50e6 };
const ATTRIBUTION = { cpuWaitShare: 0.2, cpuPressure: 0.4, cpuBusy: 0.9, steal: 0.1, generatorDelayNs: 10e6 };

/** 500 WAL fsyncs in the bucket up to `le`, etcd using `cores` of CPU over the 10-s window. */
function member(name: string, le: string, cores: number, local: boolean): MemberSource {
  const series = new MemberSeries();
  for (const [t, n, cpu] of [
    [0, 0, 100],
    [10_000, 500, 100 + 10 * cores],
  ] as const)
    series.add(
      parseMetrics(
        [
          ...['0.001', '0.016', '0.032'].map(
            (b) => `etcd_disk_wal_fsync_duration_seconds_bucket{le="${b}"} ${Number(b) >= Number(le) ? n : 0}`,
          ),
          `etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${n}`,
          `etcd_disk_wal_fsync_duration_seconds_count ${n}`,
          `process_cpu_seconds_total ${cpu}`,
        ].join('\n'),
      ),
      t,
    );
  return {
    name,
    id: null,
    metricsFrom: `http://${local ? '127.0.0.1' : '10.9.9.9'}:2379`,
    info: null,
    series,
    alarms: [],
    local,
  };
}

const host = (busy: number, pressure: number, ours = 0.01): HostEvidence => ({
  cpus: 2,
  seconds: 10,
  cpuBusy: { mean: busy, max: busy },
  cpuSteal: { mean: 0, max: 0 },
  cpuPressureSome: { mean: pressure, max: pressure },
  ioPressureSome: null,
  ioPressureFull: null,
  memoryPressureSome: null,
  memAvailableMinBytes: null,
  processCores: { mean: ours, max: ours },
  threads: {},
  perSecond: [],
  unknown: [],
});

function judge(sources: MemberSource[], h: HostEvidence) {
  const first = observedMembers(sources, LIMITS, GRADES);
  const a = localAttribution(
    first.filter((_, i) => sources[i]!.local),
    h,
    ATTRIBUTION,
  );
  const members = observedMembers(sources, LIMITS, GRADES, a);
  return { a, members, verdict: clusterVerdict(members, true, undefined, a) };
}

test('a saturated host, most of its CPU used by others: the local WAL fsync miss is HOST, no verdict, exit 4', () => {
  const { a, members, verdict } = judge([member('m0', '0.032', 0.2, true)], host(0.97, 0.8));
  assert.equal(a?.cause, 'host');
  const wal = members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!;
  assert.deepEqual([wal.status, wal.cause], ['inconclusive', 'host']);
  assert.equal(members[0]!.grade.letter, null);
  assert.equal(verdict.grade.letter, null);
  assert.equal(verdict.grade.limitedBy, 'host');
  assert.equal(gradeExitCode(verdict.grade), 4);
  assert.match(verdict.verdict.text, /^No verdict: .*On this host, not a disk verdict: the host's CPU was saturated/);
});

test('a saturated host with etcd the biggest user: ETCD', () => {
  const { a, members } = judge([member('m0', '0.032', 1.6, true)], host(0.97, 0.8));
  assert.equal(a?.cause, 'etcd');
  assert.equal(members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!.cause, 'etcd');
});

test("CPU to spare: the miss stands as the disk's; a remote member is never judged by this host's CPU", () => {
  const spare = judge([member('m0', '0.032', 0.2, true)], host(0.2, 0.05));
  assert.equal(spare.a?.cause, 'disk');
  assert.equal(spare.members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!.status, 'fail');
  assert.equal(spare.verdict.grade.letter, 'D');
  const remote = judge([member('r0', '0.032', 0.2, false)], host(0.97, 0.8));
  assert.equal(remote.a, null, 'no local member: no attribution');
  assert.equal(remote.members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!.status, 'fail');
});

test('local URLs: loopback names and addresses; another address is not', () => {
  assert.ok(isLocalUrl('http://127.0.0.1:2379'));
  assert.ok(isLocalUrl('https://localhost:2379'));
  assert.ok(isLocalUrl('http://[::1]:2379'));
  assert.equal(isLocalUrl('http://10.9.9.9:2379'), false);
  assert.equal(isLocalUrl('not a url'), false);
});

test("on a saturated host, a miss on one member while another here passed stays that member's disk", () => {
  const { members, verdict } = judge(
    [member('m0', '0.001', 0.2, true), member('m1', '0.032', 0.2, true), member('m2', '0.016', 0.2, true)],
    host(0.97, 0.8),
  );
  const wal = (i: number) => members[i]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!;
  assert.equal(wal(0).status, 'pass');
  assert.deepEqual([wal(1).status, wal(1).cause], ['fail', undefined], 'm0 passed under the same CPU');
  assert.equal(verdict.worstMember, 'm1');
  assert.equal(verdict.grade.letter, 'D');
});

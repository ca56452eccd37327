import type { Check } from '../../src/verdict/check.js';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyAttribution } from '../../src/grade/apply-attribution.js';
import { attributeLongest } from '../../src/grade/check-attribution.js';
import { attributionLimits } from '../../src/grade/attribution-limits.js';
import { diskAttribution, etcdAttribution, type EtcdPhaseEvidence } from '../../src/grade/attribution-rules.js';
import type { HostEvidence } from '../../src/host/host-sampler.js';
import { member } from '../helpers/member.js';
import type { LatencySummary } from '../../src/stats/summary.js';
import type { WindowRow } from '../../src/stats/windows.js';

const L = attributionLimits({});

function host(
  o: { busy?: number; psi?: number; steal?: number; wait?: number; ours?: number; cpus?: number } = {},
): HostEvidence {
  const mm = (x: number) => ({ mean: x, max: x });
  return {
    cpus: o.cpus ?? 2,
    seconds: 10,
    cpuBusy: mm(o.busy ?? 0.2),
    cpuSteal: mm(o.steal ?? 0),
    cpuPressureSome: mm(o.psi ?? 0.05),
    ioPressureSome: mm(0),
    ioPressureFull: mm(0),
    memoryPressureSome: mm(0),
    memAvailableMinBytes: 1e10,
    processCores: mm(o.ours ?? 0.3),
    threads: o.wait === undefined ? {} : { writer: { waitNs: o.wait, runNs: 1e9 } },
    perSecond: [],
    unknown: [],
  };
}
const sync = (count: number, meanNs: number, p99Ns = meanNs * 3) => ({ count, meanNs, p99Ns }) as LatencySummary;

test('limits from the option table: percents become shares', () => {
  assert.deepEqual(L, { cpuWaitShare: 0.1, cpuPressure: 0.4, cpuBusy: 0.9, steal: 0.1, generatorDelayNs: 10e6 });
  assert.equal(attributionLimits({ cpuWaitLimit: 25 }).cpuWaitShare, 0.25);
});

test('a disk phase on a saturated host whose writer waited for a CPU is the host, with the figures', () => {
  // 10,000 syncs of 1 ms = 10 s measured; 2 s of it waiting for a CPU: 20 %.
  const a = diskAttribution(host({ busy: 0.99, psi: 0.8, wait: 2e9 }), sync(10_000, 1e6), 'WAL fdatasync', L);
  assert.equal(a.cause, 'host');
  assert.equal(a.rule, 'cpu-wait');
  assert.equal(a.figures.cpuWaitShare, 0.2);
  assert.match(
    a.why,
    /waited for a CPU for 20 % of the time measured as WAL fdatasync \(2000 ms in 10000 operations, 200 us each/,
  );
  assert.match(a.why, /host CPU busy 99 %, CPU pressure 80 %/);
});

test('the same wait on a host with CPU to spare, or a small wait on a busy host, stays the disk', () => {
  assert.equal(
    diskAttribution(host({ busy: 0.3, psi: 0.1, wait: 2e9 }), sync(10_000, 1e6), 'fdatasync', L).cause,
    'disk',
    'a thread waking from sleep waits a little on any host',
  );
  const slow = diskAttribution(host({ busy: 0.99, psi: 0.9, wait: 0.05e9 }), sync(1000, 20e6), 'fdatasync', L);
  assert.equal(slow.cause, 'disk', 'a 20 ms disk on a busy host is still a slow disk');
  assert.match(slow.why, /the host was saturated, but/);
  assert.equal(
    diskAttribution(host({ busy: 0.99, psi: 0.9, wait: 0.99e9 }), sync(10_000, 1e6), 'fdatasync', L).cause,
    'disk',
    '9.9 % is under 10 %',
  );
  assert.equal(
    diskAttribution(host({ busy: 0.99, psi: 0.9, wait: 1e9 }), sync(10_000, 1e6), 'fdatasync', L).cause,
    'host',
    '10 % is the limit',
  );
});

test('steal time at the limit is the host (noisy neighbours), whatever the run-queue says', () => {
  const a = diskAttribution(host({ steal: 0.12 }), sync(100, 1e6), 'fdatasync', L);
  assert.deepEqual([a.cause, a.rule], ['host', 'steal']);
  assert.match(a.why, /the hypervisor ran other guests for 12 %/);
  assert.equal(
    diskAttribution(null, sync(100, 1e6), 'fdatasync', L).cause,
    'disk',
    'no evidence: the disk is not excused',
  );
});

const ev = (o: Partial<EtcdPhaseEvidence> = {}): EtcdPhaseEvidence => ({
  host: host(),
  members: [member()],
  local: true,
  generatorDelay: sync(1000, 1e5, 1e6),
  serverDiskFailed: false,
  serverDiskWords: "etcd's own WAL fsync p99 2-4 ms",
  ...o,
});

test('an etcd phase on a saturated CPU names who used it: other processes, etcd itself, or the generator', () => {
  const others = etcdAttribution(
    ev({ host: host({ busy: 1, psi: 0.95, ours: 0.4 }), members: [member({ cpuCores: { mean: 0.1, max: 0.2 } })] }),
    L,
  );
  assert.deepEqual([others.cause, others.rule], ['host', 'cpu-saturated']);
  assert.match(others.why, /cores used of 2: etcd 0.1, the load generator 0.4, other processes 1.5/);
  const etcd = etcdAttribution(
    ev({ host: host({ busy: 0.97, psi: 0.5, ours: 0.4 }), members: [member({ cpuCores: { mean: 1.5, max: 1.9 } })] }),
    L,
  );
  assert.equal(etcd.cause, 'etcd');
  const client = etcdAttribution(
    ev({ host: host({ busy: 0.95, ours: 1.3 }), members: [member({ cpuCores: { mean: 0.5, max: 0.6 } })] }),
    L,
  );
  assert.equal(client.cause, 'client');
});

test(
  'on a host with CPU to spare: a late generator is the client; etcd seeing a slow disk is the disk; otherwise ' +
    'etcd itself',
  () => {
    const late = etcdAttribution(ev({ generatorDelay: sync(1000, 5e6, 30e6) }), L);
    assert.deepEqual([late.cause, late.rule], ['client', 'generator-late']);
    assert.match(late.why, /requests left 30 ms after their due time at p99 with a client free \(limit 10 ms\)/);
    const disk = etcdAttribution(
      ev({ serverDiskFailed: true, serverDiskWords: "etcd's own WAL fsync p99 16-32 ms" }),
      L,
    );
    assert.deepEqual([disk.cause, disk.rule], ['disk', 'server-disk']);
    const itself = etcdAttribution(ev(), L);
    assert.deepEqual([itself.cause, itself.rule], ['etcd', 'etcd-itself']);
    assert.match(itself.why, /its memory 80 -> 700 MB/);
    assert.equal(
      etcdAttribution(ev({ serverDiskFailed: null }), L).cause,
      'disk',
      'no server view: the disk is not ruled out',
    );
  },
);

test(
  "applying an attribution: failures not the disk's become inconclusive with the cause; passes and the disk's " +
    'own stay',
  () => {
    const c = (id: string, status: Check['status']): Check => ({
      id,
      title: id,
      unit: 'ns',
      comparison: '<',
      measured: 1,
      limit: 1,
      status,
      source: 's',
    });
    const host = etcdAttribution(ev({ host: { ...host0(), cpuBusy: { mean: 1, max: 1 } } }), L);
    const out = applyAttribution([c('a', 'fail'), c('b', 'pass'), c('x', 'fail')], host, (id) => id !== 'x');
    assert.deepEqual(
      out.map((k) => [k.status, k.cause ?? null]),
      [
        ['inconclusive', 'host'],
        ['pass', null],
        ['fail', null],
      ],
    );
    assert.match(out[0]!.note!, /not the disk's: the host's CPU was saturated/);
    const disk = applyAttribution([c('a', 'fail')], etcdAttribution(ev({ serverDiskFailed: true }), L));
    assert.deepEqual([disk[0]!.status, disk[0]!.cause], ['fail', 'disk']);
  },
);

function host0(): HostEvidence {
  return host({ ours: 0.1 });
}

test("a stall is the host's when, in its seconds, the writer waited for a CPU at least as long as it went over", () => {
  const rows: WindowRow[] = [
    { second: 0, count: 100, p50Ns: 1e6, p99Ns: 1e6, maxNs: 1e6 },
    { second: 1, count: 100, p50Ns: 1e6, p99Ns: 1e6, maxNs: 1e6 },
    { second: 2, count: 100, p50Ns: 1e6, p99Ns: 1e6, maxNs: 300e6 },
    { second: 3, count: 100, p50Ns: 1e6, p99Ns: 1e6, maxNs: 1e6 },
  ];
  const busyAt = (wait: number, busy: number) => {
    const h = host();
    h.perSecond = [0, 1, 2, 3, 4].map((second) => ({
      second,
      cpuBusy: second === 2 ? busy : 0.2,
      cpuSteal: 0,
      cpuPressureSome: second === 2 ? busy : 0.05,
      ioPressureSome: 0,
      ioPressureFull: 0,
      memoryPressureSome: 0,
      memAvailableBytes: 1e10,
      processCores: 0.3,
      threadWaitNs: { writer: second === 2 ? wait : 1e5 },
    }));
    return h;
  };
  const stall: Check = {
    id: 'stall',
    title: 'longest write() or sync',
    unit: 'ns',
    comparison: '<',
    measured: 300e6,
    limit: 200e6,
    status: 'fail',
    source: 's',
  };
  const judge = (wait: number, busy: number, offsetSeconds = 0) =>
    attributeLongest(stall, rows, 'writer', { host: busyAt(wait, busy), limits: L, offsetSeconds });
  const a = judge(150e6, 0.99);
  assert.deepEqual([a.status, a.cause], ['inconclusive', 'host']);
  assert.match(
    a.note!,
    /the 300 ms operation \(ended in second 2\) needs 100 ms taken out.*waited 150\.1 ms for a CPU/,
  );
  assert.equal(judge(50e6, 0.99).cause, 'disk', 'waiting less than the excess: the disk stalled');
  assert.equal(judge(150e6, 0.3).cause, 'disk', 'a host with CPU to spare: the disk stalled');
  assert.equal(judge(150e6, 0.99, 1).cause, 'host', "the writer's clock a second behind the sampler's: still near");
  // No reading for the stall's seconds (a sampler that fell behind) is no sign of a quiet host.
  const gap = busyAt(150e6, 0.99);
  gap.perSecond = gap.perSecond.filter((r) => r.second < 1);
  const unread = attributeLongest(stall, rows, 'writer', { host: gap, limits: L, offsetSeconds: 0 });
  assert.match(unread.note!, /with no host reading to weigh it against \(no host reading for seconds 1-2\)/);
  assert.doesNotMatch(unread.note!, /not contended/);
  // Readings without the writer's schedstat (its thread gone before the first): not read, never "waited 0 ms".
  const blind = busyAt(150e6, 0.99);
  blind.threads = {};
  for (const r of blind.perSecond) r.threadWaitNs = {};
  const notRead = attributeLongest(stall, rows, 'writer', { host: blind, limits: L, offsetSeconds: 0 });
  assert.match(notRead.note!, /over seconds 1-2 the writer thread's wait was not read and steal could have taken/);
  assert.doesNotMatch(notRead.note!, /waited 0 ms/);
});

test('a member lost mid-run comes first, even on a saturated host: the failures follow the loss', () => {
  const a = etcdAttribution(
    ev({
      host: host({ busy: 1, psi: 0.9, ours: 0.4 }),
      lost: [{ name: 'm2', how: 'local etcd member m2 exited (SIGKILL)', atSecond: 1 }],
      errors: { GRPCUnavailableError: 336 },
    }),
    L,
  );
  assert.deepEqual([a.cause, a.rule], ['etcd', 'member-lost']);
  assert.equal(a.figures.membersLost, 1);
  assert.match(a.why, /m2 exited \(SIGKILL\) at second 1; 336 requests failed \(GRPCUnavailableError 336\)/);
  const checks = applyAttribution([{ id: 'errors', status: 'fail' } as Check], a, undefined, ['disk']);
  assert.equal(checks[0]!.status, 'inconclusive', "for a disk verdict the loss is not the disk's");
  assert.equal(
    applyAttribution([{ id: 'errors', status: 'fail' } as Check], a, undefined, ['disk', 'etcd'])[0]!.status,
    'fail',
  );
  assert.equal(etcdAttribution(ev({ lost: [] }), L).rule, 'etcd-itself', 'nothing lost: the other rules');
});

test("an event loop running late on the event-loop path is the client's: answers sat unread inside their times", () => {
  const late = etcdAttribution(ev({ eventLoopDelay: { p99Ns: 25e6, maxNs: 80e6 } }), L);
  assert.deepEqual([late.cause, late.rule], ['client', 'event-loop-late']);
  assert.match(late.why, /event loop ran 25 ms late at p99 \(worst 80 ms; limit 10 ms\)/);
  assert.equal(late.figures.eventLoopDelayP99Ns, 25e6);
  // Under the limit, or not measured (the native pacer stamps its own reads): etcd's figures stand.
  assert.equal(etcdAttribution(ev({ eventLoopDelay: { p99Ns: 9e6, maxNs: 30e6 } }), L).rule, 'etcd-itself');
  assert.equal(etcdAttribution(ev({ eventLoopDelay: null }), L).rule, 'etcd-itself');
});

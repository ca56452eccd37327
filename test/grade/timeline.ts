// Synthetic disk phases for the grading contract: a timeline of operations
// (their write() and sync times, stalls, WAL cuts, commits) and the host
// evidence of each second, recorded through the real recorders and judged by
// the real grader, exactly as a run's figures would be.
import { stepsOf, workloadOf } from '../../src/disk/assemble-disk-result.js';
import type { DiskMeasured } from '../../src/disk/disk-grading.js';
import { DISK_OPTION_KEYS, type DiskOptions } from '../../src/disk/disk-option-values.js';
import type { CommitFacts } from '../../src/disk/disk-result.js';
import { keepLongest, type SlowOp } from '../../src/disk/slow-ops.js';
import { diskGrading } from '../../src/grade/grade-disk.js';
import type { HostEvidence, HostSecond } from '../../src/host/host-sampler.js';
import { loadProfile } from '../../src/options/profiles.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';

export interface HostShape {
  /** Shares 0..1 of the whole machine, every second. */
  busy?: number;
  steal?: number;
  psi?: number;
  /** The writer thread's run-queue wait in each second, ms. */
  waitMs?: number | ((second: number) => number);
}

export interface Timeline {
  seconds: number;
  mode?: 'wal' | 'seq';
  syncMethod?: 'fdatasync' | 'dsync';
  /** Operations started per second while the disk keeps up (each starts when the last ended, at most this often). */
  rate?: number;
  /** Each operation's durable time (the sync, or the write() under O_DSYNC) by the second it starts in, ms. */
  syncMs: number | ((second: number) => number);
  /** One operation at this second takes this long instead; `cpuWaitMs`: the wait its writer measured inside it. */
  stalls?: { atSecond: number; ms: number; cpuWaitMs?: number }[];
  /** WAL cuts every `every` s: two extra fsyncs of `syncMs` each inside the batch that cuts. */
  cuts?: { every: number; syncMs: number };
  /** bbolt commits a second (0: none), each `ms`. */
  commits?: { perSecond: number; ms: number };
  /** The first this many commits take 40 ms instead (over the 25 ms limit). */
  slowCommits?: number;
  host?: HostShape;
  /** The target is held in memory (a filesystem name). */
  memory?: string;
}

const WRITE_NS = 20e3;
const at = (v: number | ((s: number) => number), s: number) => (typeof v === 'number' ? v : v(s));

function sample(b: number[], start: number, write: number, sync: number, service: number): void {
  b.push(start, write, sync, service, -1);
}

function hostOf(t: Timeline): HostEvidence {
  const h = t.host ?? {};
  const span = Math.ceil(t.seconds) + 1;
  const rows: HostSecond[] = Array.from({ length: span }, (_, second) => ({
    second,
    cpuBusy: h.busy ?? 0.2,
    cpuSteal: h.steal ?? 0,
    cpuPressureSome: h.psi ?? 0.02,
    ioPressureSome: 0,
    ioPressureFull: 0,
    memoryPressureSome: 0,
    memAvailableBytes: 1e10,
    processCores: 0.1,
    threadWaitNs: { writer: at(h.waitMs ?? 0.05, second) * 1e6, commit: 0 },
  }));
  const mm = (x: number) => ({ mean: x, max: x });
  const waitNs = rows.reduce((a, r) => a + (r.threadWaitNs.writer ?? 0), 0);
  return {
    cpus: 2,
    seconds: span,
    cpuBusy: mm(h.busy ?? 0.2),
    cpuSteal: mm(h.steal ?? 0),
    cpuPressureSome: mm(h.psi ?? 0.02),
    ioPressureSome: mm(0),
    ioPressureFull: mm(0),
    memoryPressureSome: mm(0),
    memAvailableMinBytes: 1e10,
    processCores: mm(0.1),
    threads: { writer: { waitNs, runNs: 1e9 }, commit: { waitNs: 0, runNs: 1e8 } },
    perSecond: rows,
    unknown: [],
  };
}

/** The disk phase a timeline describes, measured. */
export function measure(t: Timeline): DiskMeasured {
  const mode = t.mode ?? 'wal';
  const cli: Record<string, string> = { runtime: `${t.seconds}s` };
  if (t.syncMethod === 'dsync') cli.syncMethod = 'dsync';
  const profile = loadProfile(mode === 'wal' ? 'wal' : 'fio-etcd', DISK_OPTION_KEYS);
  const o: DiskOptions = resolveOptions(DISK_OPTION_KEYS, cli, profile).values;
  const dsync = t.syncMethod === 'dsync';
  const main: number[] = [];
  const cuts: number[] = [];
  const cutSyncs: number[] = [];
  const stalls = [...(t.stalls ?? [])];
  const slowOps: SlowOp[] = [];
  const endNs = t.seconds * 1e9;
  const period = 1e9 / (t.rate ?? 200);
  let nextCut = t.cuts ? t.cuts.every * 1e9 : Infinity;
  for (let start = 0; start < endNs; ) {
    const second = Math.floor(start / 1e9);
    const i = stalls.findIndex((s) => s.atSecond <= second);
    const stall = i >= 0 ? stalls.splice(i, 1)[0]! : null;
    const durable = (stall ? stall.ms : at(t.syncMs, second)) * 1e6;
    let service = WRITE_NS + durable;
    if (t.cuts && start >= nextCut) {
      const c = t.cuts.syncMs * 1e6;
      sample(cutSyncs, start + service, 0, c, c);
      sample(cutSyncs, start + service + c, 0, c, c);
      service += 2 * c;
      sample(cuts, start + WRITE_NS, 0, durable + 2 * c, durable + 2 * c);
      nextCut += t.cuts.every * 1e9;
    }
    if (dsync) sample(main, start, durable, -1, durable);
    else sample(main, start, WRITE_NS, durable, service);
    // What the writer's watcher reports of an operation of 50 ms or more: the wait measured inside it.
    if (service >= 50e6)
      slowOps.push({
        startNs: start,
        durationNs: service,
        cpuWaitNs: (stall?.cpuWaitMs ?? 0.5) * 1e6,
        runNs: 0.1e6,
        slackNs: 5e6,
      });
    start += Math.max(service, period);
  }
  const stats = record(main, endNs)!;
  const commits = t.commits ?? (mode === 'wal' ? { perSecond: 10, ms: 2 } : { perSecond: 0, ms: 0 });
  const commitSamples: number[] = [];
  for (let i = 0; i < commits.perSecond * t.seconds; i++) {
    const s = (i * 1e9) / commits.perSecond;
    const ms = i < (t.slowCommits ?? 0) ? 40 : commits.ms;
    sample(commitSamples, s, 0, ms * 1e6, ms * 1e6);
  }
  const commitStats = mode === 'wal' ? record(commitSamples, endNs) : null;
  const commit: CommitFacts | null = commitStats
    ? {
        commits: commitStats.summaries.op.count,
        expectedCommits: commits.perSecond * t.seconds,
        latency: commitStats.summaries,
        timeSeries: commitStats.timeSeries.op,
        histogram: commitStats.histograms.op,
      }
    : null;
  const workload = workloadOf(o);
  return {
    o,
    workload,
    stats,
    cutSyncs: mode === 'wal' ? record(cutSyncs, endNs) : null,
    cuts: mode === 'wal' ? record(cuts, endNs) : null,
    commit,
    stepChange: stepsOf(stats, workload, o),
    hostEvidence: hostOf(t),
    deviceIo: { available: false, reason: 'synthetic' } as unknown as DiskMeasured['deviceIo'],
    prepareNs: 0,
    memory: t.memory ?? null,
    slowOps: keepLongest(slowOps),
    incompleteReason: undefined,
  };
}

function record(samples: number[], endNs: number) {
  const r = new DiskRecorder();
  if (samples.length > 0) r.add(Float64Array.from(samples));
  return r.finish(endNs);
}

/** The timeline graded: the checks, the letter and the exit code the disk command would give. */
export function judge(t: Timeline) {
  const graded = diskGrading.result(measure(t));
  const exit = graded.passed ? 0 : graded.grade.limitedBy ? 4 : 1;
  return { ...graded, exit };
}

// `lab replay-disk`: a production disk brought home. A report's fdatasync
// distribution (read by the CLI before anything is made) is replayed by
// slowfs over a directory of ours on the target disk: this disk's own floor
// is measured first (our WAL phase under a constant delay of the report's
// p50: what a delayed sync costs beyond its delay), each recorded value less
// that floor becomes a bin slowfs draws from (seeded), our WAL
// phase on the replayed disk shows the replay matches, and then local etcd
// members on it carry the kube load (or one sized --like a cluster) while
// the lab records what etcd did. Everything it made is undone on every path.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { DiskResult } from '../disk/disk-result.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve.js';
import { loadProfile } from '../options/profiles.js';
import { DISK_OPTION_KEYS, type REPLAY_LAB_OPTION_KEYS } from '../options/table.js';
import { prepareDisk, runDiskPlan } from '../disk/run-disk.js';
import { diskGrading } from '../grade/grade-disk.js';
import { EtcdUnhealthyError, electionsInLogs, startLocalEtcd } from '../etcd/local-etcd.js';
import { validateLoadOptions, type ResolvedLoadOptions } from '../load/load-option-values.js';
import { applyLike, isPrometheusSource } from '../like/read-like.js';
import type { LikeSection } from '../like/size-load.js';
import type { RunContext } from '../run/context.js';
import { runHeader } from '../run/header.js';
import { countLogLines } from './lab-result.js';
import { checkMembers, labLoadOptions } from './lab-load.js';
import { labLoad, prepareLab, type LabSession, withLabSession } from './lab-session.js';
import { replayChecks } from './replay-checks.js';
import { type DistFigures, distFigures, recordedValues, replayBins } from './replay-dist.js';
import { REPLAY_LAB_SCHEMA, type ReplayEtcd, type ReplayLabResult, type ReplaySource } from './replay-lab-result.js';
import { mountSlowfs, type SlowfsMount } from './slowfs.js';

export type ResolvedReplayOptions = ResolvedOptions<(typeof REPLAY_LAB_OPTION_KEYS)[number]>;

const COMMAND = 'lab replay-disk';
/** The most bins the replay hands slowfs: enough for an HDR histogram's shape, few enough to read. */
const REPLAY_BINS = 256;

/** The floor's constant delay: the report's p50, at most this. */
const FLOOR_DELAY_MAX_NS = 10e6;

/** The floor's length: a third of the WAL phase, at least 5 s. */
export const floorRuntimeNs = (walRuntimeNs: number): number => Math.max(5e9, Math.round(walRuntimeNs / 3));

/** The durable stream's encoded histogram of a WAL phase (null when it recorded none). */
const durableHistogram = (r: Partial<DiskResult>): string | null => r.histograms?.[r.durableStream ?? 'sync'] || null;

/** The durable stream's figures of a WAL phase (null when it recorded none). */
function durableFigures(r: Partial<DiskResult>): DistFigures | null {
  const encoded = durableHistogram(r);
  if (!encoded) return null;
  const values = recordedValues(encoded);
  return values.length > 0 ? distFigures(values) : null;
}

/**
 * Our WAL phase on `dir` for `runtimeNs`, as the lab's phase `index` of 3; a phase the environment stops before it
 * starts (no room for its segments) comes back as an incomplete result naming why, as one stopped while it ran.
 */
async function walPhase(
  s: LabSession,
  dir: string,
  runtimeNs: number,
  label: { phase: string; index: number; title: string },
  allowLiveEtcd: boolean,
): Promise<Pick<DiskResult, 'complete' | 'incompleteReason'> & Partial<DiskResult>> {
  const r = resolveOptions(DISK_OPTION_KEYS, {}, loadProfile('wal', DISK_OPTION_KEYS));
  r.values.dir = dir;
  r.sources.dir = 'cli';
  r.values.runtime = runtimeNs;
  r.sources.runtime = 'cli';
  r.values.allowLiveEtcd = allowLiveEtcd;
  try {
    return await runDiskPlan(prepareDisk(r), {
      grading: diskGrading,
      cleanup: s.cleanup,
      ...(s.ctx.signal ? { signal: s.ctx.signal } : {}),
      ...(s.ctx.onEvent ? { onEvent: s.ctx.onEvent } : {}),
      argv: s.ctx.argv ?? [],
      label: { command: COMMAND, of: 3, profile: null, ...label },
    });
  } catch (e) {
    if (!(e instanceof EnvironmentError)) throw e;
    return { complete: false, incompleteReason: e.message };
  }
}

/** What etcd did over the load, from its /metrics (the load's server figures) and its logs. */
function etcdFigures(
  load: ReplayLabResult['load'],
  counts: ReturnType<typeof countLogLines>,
  elections: number,
): ReplayEtcd {
  const server = load?.server ?? [];
  const worst = (f: (m: (typeof server)[number]) => number | undefined | null) => {
    const vs = server.map(f).filter((v): v is number => typeof v === 'number');
    return vs.length > 0 ? Math.max(...vs) : null;
  };
  return {
    walFsyncP99Ns: worst((m) => m.walFsync?.p99?.estimateNs),
    backendCommitP99Ns: worst((m) => m.backendCommit?.p99?.estimateNs),
    heartbeatsLate: counts.reduce((a, c) => a + c.heartbeatLate, 0),
    slowFdatasync: counts.reduce((a, c) => a + c.slowFdatasync, 0),
    leaderChanges: worst((m) => m.leaderChanges) ?? 0,
    elections,
    proposalsFailed: server.reduce((a, m) => a + (m.proposalsFailed ?? 0), 0),
    requestP99Ns: load?.latency.response.p99Ns ?? null,
  };
}

/** Checks what can be checked, and sizes the load (--like), before anything is made. */
async function plan(r: ResolvedReplayOptions) {
  const o = r.values;
  checkMembers(o.members);
  for (const k of ['since', 'headroom'] as const)
    if (r.sources[k] === 'cli' && o.like === '')
      throw new UsageError(`--${k}: applies with --like (sizing the load from a cluster's history)`, k);
  if (r.sources.since === 'cli' && o.like !== '' && !isPrometheusSource(o.like))
    throw new UsageError('--since: applies with --like URL; an observe report covers its own window', 'since');
  const lab = prepareLab(o, '');
  const load: ResolvedLoadOptions = labLoadOptions([], { value: o.runtime, source: r.sources.runtime });
  load.values.etcdBin = lab.bin;
  const like: LikeSection | null = o.like !== '' ? await applyLike(o, load) : null;
  if (like) validateLoadOptions({ ...load, values: { ...load.values, endpoints: 'http://127.0.0.1:2379' } });
  return { lab, load, like };
}

type Parts = Partial<ReplayLabResult>;

/** Which of the WAL phases the host limited rather than the disk (each one's attribution, in words), or null. */
function hostLimit(phases: [string, Partial<DiskResult>][]): string | null {
  const limited = phases
    .filter(([, r]) => r.attribution && r.attribution.writer.cause !== 'disk')
    .map(([name, r]) => `${name}: ${r.attribution!.writer.why}`);
  return limited.length > 0 ? limited.join('; ') : null;
}

/** 1-2: this disk's floor through slowfs, then the report's distribution less it, and our WAL phase on it. */
async function replayDisk(
  s: LabSession,
  fs: SlowfsMount,
  source: ReplaySource,
  o: ResolvedReplayOptions['values'],
): Promise<{ parts: Parts; floorNs: number | null; replayed: DistFigures | null; host: string | null; why?: string }> {
  const runtimeNs = floorRuntimeNs(o.walRuntime);
  const setup = { members: o.members, seed: o.seed, floorRuntimeNs: runtimeNs, walRuntimeNs: o.walRuntime, bins: [] };
  // A delayed sync costs more than its delay (the sleep's overshoot, the trip through FUSE, the disk at that rate):
  // measured under a constant delay of the report's own p50, so that it is the cost the replay's syncs pay.
  const delayUs = Math.round(Math.min(FLOOR_DELAY_MAX_NS, source.figures.p50Ns) / 1e3);
  fs.set({ fsyncDelayUs: delayUs });
  const floorRun = await walPhase(
    s,
    fs.mountPoint,
    runtimeNs,
    {
      phase: 'floor',
      index: 1,
      title: `this disk's own floor through slowfs (our WAL phase, ${delayUs / 1e3} ms added)`,
    },
    o.allowLiveEtcd,
  );
  const figures = durableFigures(floorRun);
  if (!floorRun.complete || !figures)
    return {
      parts: { setup },
      floorNs: null,
      replayed: null,
      host: null,
      why: `the floor's WAL phase: ${floorRun.incompleteReason ?? 'no fdatasync recorded'}`,
    };
  const floor = { delayNs: delayUs * 1e3, figures, overheadNs: Math.max(0, figures.p50Ns - delayUs * 1e3) };
  const floorNs = floor.overheadNs;
  const bins = replayBins(source.values, floorNs, REPLAY_BINS);
  fs.set({ fsyncDelayUs: 0, dist: bins, seed: o.seed });
  const run = await walPhase(
    s,
    fs.mountPoint,
    o.walRuntime,
    {
      phase: 'replay',
      index: 2,
      title: `our WAL phase on the replayed disk (${source.phase} phase of ${source.file})`,
    },
    o.allowLiveEtcd,
  );
  const replayed = durableFigures(run);
  const parts: Parts = {
    setup: { ...setup, bins },
    floor,
    replay: { original: source.figures, replayed },
    histograms: { original: source.encoded, replayed: durableHistogram(run) },
    walPhase:
      run.grade && run.checks && run.latency
        ? {
            grade: run.grade,
            passed: Boolean(run.passed),
            checks: run.checks,
            latency: run.latency,
            complete: run.complete,
          }
        : null,
  };
  // Either phase limited by the host rather than the disk (its attribution says so, with the figures).
  const host = hostLimit([
    ['the floor', floorRun],
    ['the replay', run],
  ]);
  const done = { parts: { ...parts, hostLimited: host }, floorNs, replayed, host };
  return run.complete ? done : { ...done, why: `the WAL phase on the replay: ${run.incompleteReason ?? 'incomplete'}` };
}

/** 3: local members on the replayed disk under the load, and what etcd did. */
async function etcdOnReplay(
  s: LabSession,
  fs: SlowfsMount,
  o: ResolvedReplayOptions['values'],
  loadOptions: ResolvedLoadOptions,
  fidelity: { original: DistFigures; replayed: DistFigures | null; floorNs: number | null; host: string | null },
): Promise<{ parts: Parts; why?: string }> {
  let cluster: Awaited<ReturnType<typeof startLocalEtcd>>;
  try {
    cluster = await startLocalEtcd({
      bin: s.plan.bin,
      root: join(s.runDir, 'etcd'),
      members: o.members,
      cleanup: s.cleanup,
      token: `edb-lab-${s.runId}`,
      perMember: Array.from({ length: o.members }, () => ({ dataParent: fs.mountPoint })),
      healthTimeoutMs: 60_000,
    });
  } catch (e) {
    const checks = (noLeader: ReplayLabResult['noLeader']) =>
      replayChecks({ ...fidelity, load: null, heartbeatsLate: null, noLeader });
    // etcd could not start here (a port, its binary): the report says so, marked incomplete.
    if (!(e instanceof EtcdUnhealthyError)) {
      if (!(e instanceof EnvironmentError)) throw e;
      return { parts: { checks: checks(null) }, why: `etcd on the replayed disk: ${e.message}` };
    }
    // No leader at all: that is what this disk does to etcd, and the answer of the lab.
    const noLeader = { elections: e.elections, highestTerm: e.highestTerm, message: e.message };
    return { parts: { noLeader, checks: checks(noLeader) } };
  }
  loadOptions.values.endpoints = cluster.endpoints.join(',');
  loadOptions.sources.endpoints = 'cli';
  const logFiles = cluster.members.map((m) => m.logFile);
  const title = `kube load on etcd ${cluster.version} on the replayed disk`;
  const { load, logsFrom } = await labLoad(
    s,
    loadOptions,
    { command: COMMAND, phase: 'etcd', index: 3, of: 3, title },
    logFiles,
  );
  const counts = countLogLines(logFiles, logsFrom);
  const etcd = etcdFigures(load, counts, electionsInLogs(logFiles, logsFrom).elections);
  const checks = replayChecks({ ...fidelity, load, heartbeatsLate: etcd.heartbeatsLate, noLeader: null });
  const members = cluster.members.map((m, i) => ({ name: m.name, ...counts[i]! }));
  const parts: Parts = { etcdVersion: cluster.version, etcd, load, members, checks };
  return load.incompleteReason ? { parts, why: load.incompleteReason } : { parts };
}

/** Runs the lab on `source` (read and checked by the caller). Bad input throws before anything is made. */
export async function runReplayDisk(
  source: ReplaySource,
  r: ResolvedReplayOptions,
  ctx: RunContext = {},
): Promise<ReplayLabResult> {
  const o = r.values;
  const { lab, load: loadOptions, like } = await plan(r);
  return withLabSession(lab, ctx, async (s) => {
    for (const d of ['backing', 'disk']) mkdirSync(join(s.runDir, d));
    const fs = await mountSlowfs(join(s.runDir, 'backing'), join(s.runDir, 'disk'), { fsyncDelayUs: 0 }, s.cleanup);
    const { values: _values, encoded: _encoded, ...sourceFacts } = source;
    const result = (parts: Parts, incompleteReason?: string): ReplayLabResult => ({
      ...runHeader(REPLAY_LAB_SCHEMA, {
        runId: s.runId,
        startedAt: s.startedAt,
        incompleteReason,
        argv: ctx.argv ?? [],
        profile: null,
      }),
      target: { dir: lab.prepared.target.dir, fsType: lab.prepared.target.fsType },
      source: sourceFacts,
      setup: {
        members: o.members,
        seed: o.seed,
        floorRuntimeNs: floorRuntimeNs(o.walRuntime),
        walRuntimeNs: o.walRuntime,
        bins: [],
      },
      floor: null,
      replay: { original: source.figures, replayed: null },
      histograms: { original: source.encoded, replayed: null },
      walPhase: null,
      etcdVersion: null,
      noLeader: null,
      etcd: null,
      load: null,
      ...(like ? { like } : {}),
      members: [],
      checks: [],
      slowfs: fs.status(),
      warnings: s.warnings,
      ...parts,
    });
    const disk = await replayDisk(s, fs, source, o);
    const fidelity = { original: source.figures, replayed: disk.replayed, floorNs: disk.floorNs, host: disk.host };
    if (disk.why) {
      const checks = replayChecks({ ...fidelity, load: null, heartbeatsLate: null, noLeader: null });
      return result({ ...disk.parts, checks }, disk.why);
    }
    const etcd = await etcdOnReplay(s, fs, o, loadOptions, fidelity);
    return result({ ...disk.parts, ...etcd.parts, slowfs: fs.status() }, etcd.why);
  });
}

// The disk phase as a library call, in two steps. prepareDisk checks and
// chooses everything before anything is written: the options, the workloads
// and their files, the target directory, the storage under it, the engine and
// the addon. runDiskPlan then creates the run directory, runs the workloads
// (or the sync-method comparison), collects statistics, has the caller's
// grader judge them and cleans up. It returns a DiskResult (complete or not);
// only preparing throws (bad input, a refused target, no native addon).
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CleanupRegistry } from '../run/cleanup.js';
import { EnvironmentError } from '../core/errors.js';
import { createRunDir, RUN_DIR_PREFIX } from '../run/run-dir.js';
import { countedDevices, DeviceIoSampler } from '../host/device-io.js';
import { HostSampler } from '../host/host-sampler.js';
import { hostFacts } from '../host/host-facts.js';
import { newRunId } from '../run/run-id.js';
import { runHeader } from '../run/header.js';
import {
  commitFacts,
  neighbourFacts,
  optionRecord,
  stepsOf,
  totalsOf,
  walFacts,
  workloadOf,
  writerThread,
} from './assemble-disk-result.js';
import { compareMethods, type MethodRun } from './compare-methods.js';
import type { WriterError } from './engine.js';
import type { DiskGrading } from './disk-grading.js';
import { loadNativeAddon, type NativeAddon } from './native-engine.js';
import type { ResolvedDiskOptions } from './disk-option-values.js';
import { type DiskPlan, planDisk } from './plan.js';
import { DISK_RESULT_SCHEMA, type DiskResult } from './disk-result.js';
import { runPhase, type PhaseData, type PhaseSnapshot } from './run-phase.js';
import { type EngineChoice, selectEngine } from './select-engine.js';
import { watchSharedEtcd } from '../etcd/shared-etcd-watch.js';
import { checkDirectAlignment, checkFreeSpace } from '../run/target-dir.js';
import { Preparation, type PreparedTarget, prepareTarget } from '../run/preparation.js';
import { validateDiskOptions } from './validate.js';
import { diskTick } from './disk-ticks.js';
import { warningCollector } from '../run/warnings.js';
import { PhaseEvents } from '../events/phase-events.js';
import type { RunContext } from '../run/context.js';
import { volumeHint } from '../options/volume.js';
import { durableStream } from '../options/sync-method.js';

/** A disk phase's context: the one every run gets (src/run/context.ts), and the grader its caller hands in. */
export interface DiskRunContext extends RunContext {
  grading: DiskGrading;
}

function firstError(p: PhaseData): WriterError | undefined {
  return p.outcomes.main.error ?? p.outcomes.commit?.error ?? p.outcomes.neighbours.find((n) => n.error)?.error;
}

/** A disk phase prepared: everything checked and chosen before anything is written. */
export interface DiskPhasePlan {
  resolved: ResolvedDiskOptions;
  runId: string;
  runDir: string;
  workloads: DiskPlan;
  prepared: PreparedTarget;
  engine: EngineChoice;
  addon: NativeAddon | null;
  /** Found while preparing; said when the phase runs. */
  warnings: string[];
}

/**
 * Prepares a disk phase. `given`: the target a caller already checked for every phase it runs (qualify), whose
 * warnings it says itself; otherwise the target is checked here, recorded in `prep`.
 */
export function prepareDisk(
  resolved: ResolvedDiskOptions,
  prep = new Preparation(),
  given?: PreparedTarget,
): DiskPhasePlan {
  const o = resolved.values;
  validateDiskOptions(resolved);
  const runId = newRunId(new Date());
  const runDir = join(resolve(o.dir), `${RUN_DIR_PREFIX}${runId}`);
  const workloads = planDisk(o, runDir);
  const direct = o.direct || o.syncMethods.some((m) => m.startsWith('direct+'));
  if (given && direct) checkDirectAlignment(given.target.logicalBlockSize, o.blockSize);
  const prepared =
    given ??
    prepareTarget(prep, o.dir, {
      direct,
      blockSize: o.blockSize,
      allowLiveEtcd: o.allowLiveEtcd,
    });
  const warnings = given ? [] : [...prepared.target.warnings];
  const engine = selectEngine(o.engine);
  if (engine.fallbackReason) warnings.push(engine.fallbackReason);
  if (engine.engine.name === 'js' && o.mode === 'seq' && o.invalidate)
    warnings.push(
      "the plain-JS engine cannot drop the page cache (Node has no fadvise): fio's invalidate=1 is not applied, " +
        'so a time-based run that wraps overwrites cached pages, an easier workload than fio measures',
    );
  const loaded = loadNativeAddon();
  const addon = 'addon' in loaded ? loaded.addon : null;
  if (!addon && (workloads.main.kind === 'wal' || workloads.commit || workloads.neighbours.length > 0))
    throw new EnvironmentError(
      `the WAL, commit and neighbour workloads need the native writer, which could not load; rebuild it with: npm ` +
        `run build`,
    );
  const hint = !given && o.volume === '' ? volumeHint(prepared.storage.device) : null;
  if (hint) warnings.push(hint);
  return { resolved, runId, runDir, workloads, prepared, engine, addon, warnings };
}

/** Prepares and runs the disk phase. */
export async function runDisk(resolved: ResolvedDiskOptions, ctx: DiskRunContext): Promise<DiskResult> {
  return runDiskPlan(prepareDisk(resolved), ctx);
}

/** Runs a prepared disk phase. */
export async function runDiskPlan(plan: DiskPhasePlan, ctx: DiskRunContext): Promise<DiskResult> {
  const o = plan.resolved.values;
  const events = new PhaseEvents(
    ctx.onEvent,
    ctx.label ?? {
      command: 'disk',
      phase: 'disk',
      index: 1,
      of: 1,
      title: o.mode === 'wal' ? "etcd's WAL shape" : `${o.blockSize}-byte writes, ${o.syncMethod}`,
    },
  );
  return events.run(ctx.signal, () => runDiskPhase(plan, ctx, events));
}

/** The workloads run in the run directory, with the host, the devices and a shared etcd watched meanwhile. */
async function measure(plan: DiskPhasePlan, ctx: DiskRunContext, events: PhaseEvents) {
  const o = plan.resolved.values;
  const { target, storage } = plan.prepared;
  const cleanup = ctx.cleanup ?? new CleanupRegistry();
  createRunDir(resolve(o.dir), plan.runId);
  const removeRunDir = () => rmSync(plan.runDir, { recursive: true, force: true });
  const unregister = cleanup.add(`remove ${plan.runDir}`, removeRunDir);
  let phase: PhaseData;
  let methods: MethodRun[] | null = null;
  const sampler = new HostSampler();
  const counted = countedDevices(storage.device, target.fsType);
  const deviceSampler = new DeviceIoSampler(counted.devices, counted.why);
  const beside = await watchSharedEtcd(target.liveEtcd);
  try {
    plan.workloads.dirs.forEach((d) => {
      mkdirSync(d);
    });
    const label = events.label;
    const emit = ctx.onEvent;
    const on = storage.device ? ` on ${storage.device.stack.join(' -> ')}` : '';
    events.start(o.runtime, `${target.dir} (${target.fsType}${on})`, plan.resolved.profile?.name ?? null);
    const shape = workloadOf(o);
    sampler.start();
    deviceSampler.start();
    const tick = (snap: PhaseSnapshot) => diskTick(snap, label.phase, o, shape, ctx.grading);
    const phaseCtx = {
      signal: ctx.signal,
      onThread: (name: string, tid: number) => sampler.watchThread(name, tid),
      ...(emit
        ? {
            onSecond: (snap: PhaseSnapshot) => emit(tick(snap)),
            rehearseSecond: (snap: PhaseSnapshot) => {
              tick(snap);
            },
          }
        : {}),
    };
    if (o.syncMethods.length > 0) {
      methods = await compareMethods(o, plan.runDir, plan.engine.engine, plan.addon, phaseCtx);
      phase = methods[0]!.phase;
    } else {
      phase = await runPhase(plan.workloads, plan.engine.engine, plan.addon, phaseCtx);
    }
  } finally {
    removeRunDir();
    unregister();
  }
  return {
    phase,
    methods,
    hostEvidence: sampler.stop(),
    deviceIo: deviceSampler.stop(),
    liveEtcd: await beside.finish(),
  };
}

async function runDiskPhase(plan: DiskPhasePlan, ctx: DiskRunContext, events: PhaseEvents): Promise<DiskResult> {
  const o = plan.resolved.values;
  const { target, storage } = plan.prepared;
  const startedAt = new Date();
  // Room for this phase's files, as it starts: a disk short of it fails the phase (qualify reports it).
  checkFreeSpace(target.dir, plan.workloads.bytesNeeded);
  const { warnings, warn } = warningCollector(ctx);
  plan.warnings.forEach(warn);
  const host = await hostFacts();
  const { phase, methods, hostEvidence, deviceIo, liveEtcd } = await measure(plan, ctx, events);
  const failure = methods ? methods.map((m) => firstError(m.phase)).find((e) => e) : firstError(phase);
  const stopped =
    phase.outcomes.main.summary.stopped || Boolean(methods?.some((m) => m.phase.outcomes.main.summary.stopped));
  const interrupted = stopped ? `interrupted (${String(ctx.signal?.reason ?? 'stopped')})` : undefined;
  const incompleteReason = failure ? failure.message : interrupted;
  events.end(failure ? 'failed' : interrupted ? 'interrupted' : 'done', incompleteReason);
  const workload = workloadOf(
    methods ? { ...o, syncMethod: methods[0]!.result.syncMethod, direct: methods[0]!.result.direct } : o,
  );
  const stats = phase.main;
  const commit = commitFacts(phase, o.commitInterval);
  const stepChange = stepsOf(stats, workload, o);
  const wal = walFacts(phase);
  if (wal?.preallocFallbacks)
    warn(
      `fallocate is not supported on ${target.dir}: ${wal.preallocFallbacks} WAL segments were preallocated by ` +
        `extending them with ftruncate, as etcd's own fallback does (their blocks are allocated as they are written)`,
    );
  const graded = ctx.grading.result({
    o,
    workload,
    stats,
    cutSyncs: phase.cutSyncs,
    cuts: phase.cut,
    commit,
    stepChange,
    hostEvidence,
    deviceIo,
    prepareNs: phase.outcomes.main.summary.prepareNs,
    memory: target.memory,
    slowOps: phase.slowOps,
    incompleteReason,
  });
  return {
    ...runHeader(DISK_RESULT_SCHEMA, {
      runId: plan.runId,
      startedAt,
      incompleteReason,
      argv: ctx.argv ?? [],
      profile: plan.resolved.profile,
    }),
    node: o.nodeName !== '' ? o.nodeName : host.hostname,
    target: {
      dir: target.dir,
      runDir: plan.runDir,
      fsType: target.fsType,
      logicalBlockSize: target.logicalBlockSize,
      ...storage,
    },
    engine: plan.engine.engine.name,
    host,
    options: optionRecord(plan.resolved),
    prepareNs: phase.outcomes.main.summary.prepareNs,
    totals: { ...totalsOf(phase.outcomes.main.summary), ...phase.schedule },
    writerThread: writerThread(phase.outcomes.main.summary, phase.jsThreadPolicy),
    durableStream: durableStream(workload.syncMethod),
    latency: stats.summaries,
    workload,
    timeSeries: stats.timeSeries,
    histograms: stats.histograms,
    wal,
    commit,
    neighbours: neighbourFacts(phase),
    stepChange,
    slowOps: phase.slowOps,
    methods: methods ? methods.map((m) => m.result) : null,
    checks: graded.checks,
    hostEvidence,
    deviceIo,
    burst: graded.burst,
    attribution: graded.attribution,
    grade: graded.grade,
    passed: graded.passed,
    warnings,
    liveEtcdGuard: target.liveEtcdGuard,
    ...(liveEtcd.length > 0 ? { liveEtcd } : {}),
    ...(failure ? { error: errorOf(failure) } : {}),
  };
}

function errorOf(f: WriterError): NonNullable<DiskResult['error']> {
  return { message: f.message, code: f.code, errno: f.errno, syscall: f.syscall, path: f.path };
}

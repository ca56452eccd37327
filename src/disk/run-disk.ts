// The disk phase as a library call: check the target, create the run
// directory, run the planned workloads (or the sync-method comparison),
// collect statistics, have the caller's grader judge them, clean up. Returns a DiskResult (complete or not);
// throws only for bad input, a refused target or a missing native addon.
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CleanupRegistry } from '../run/cleanup.js';
import { EnvironmentError } from '../core/errors.js';
import { createRunDir, RUN_DIR_PREFIX } from '../run/run-dir.js';
import { countedDevices, DeviceIoSampler } from '../host/device-io.js';
import { HostSampler } from '../host/host-sampler.js';
import { hostFacts } from '../host/host-facts.js';
import { storageFacts } from '../host/storage-facts.js';
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
import { loadNativeAddon } from './native-engine.js';
import type { ResolvedDiskOptions } from './disk-option-values.js';
import { planDisk } from './plan.js';
import { DISK_RESULT_SCHEMA, type DiskResult } from './disk-result.js';
import { runPhase, type PhaseData, type PhaseSnapshot } from './run-phase.js';
import { selectEngine } from './select-engine.js';
import { watchSharedEtcd } from '../etcd/shared-etcd-watch.js';
import { checkTargetDir } from '../run/target-dir.js';
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

/** Runs the disk phase. */
export async function runDisk(resolved: ResolvedDiskOptions, ctx: DiskRunContext): Promise<DiskResult> {
  const o = resolved.values;
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
  return events.run(ctx.signal, () => runDiskPhase(resolved, ctx, events));
}

async function runDiskPhase(
  resolved: ResolvedDiskOptions,
  ctx: DiskRunContext,
  events: PhaseEvents,
): Promise<DiskResult> {
  const o = resolved.values;
  validateDiskOptions(resolved);
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const runDir = join(resolve(o.dir), `${RUN_DIR_PREFIX}${runId}`);
  const plan = planDisk(o, runDir);
  const anyDirect = o.direct || o.syncMethods.some((m) => m.startsWith('direct+'));
  const target = checkTargetDir(o.dir, plan.bytesNeeded, {
    direct: anyDirect,
    blockSize: o.blockSize,
    allowLiveEtcd: o.allowLiveEtcd,
  });
  const { warnings, warn } = warningCollector(ctx);
  target.warnings.forEach(warn);
  const choice = selectEngine(o.engine);
  if (choice.fallbackReason) warn(choice.fallbackReason);
  if (choice.engine.name === 'js' && o.mode === 'seq' && o.invalidate)
    warn(
      "the plain-JS engine cannot drop the page cache (Node has no fadvise): fio's invalidate=1 is not applied, " +
        'so a time-based run that wraps overwrites cached pages, an easier workload than fio measures',
    );
  const loaded = loadNativeAddon();
  const addon = 'addon' in loaded ? loaded.addon : null;
  if (!addon && (plan.main.kind === 'wal' || plan.commit || plan.neighbours.length > 0))
    throw new EnvironmentError(
      `the WAL, commit and neighbour workloads need the native writer, which could not load; rebuild it with: npm ` +
        `run build`,
    );

  const host = await hostFacts();
  const storage = storageFacts(target.dir);
  const hint = o.volume === '' ? volumeHint(storage.device) : null;
  if (hint) warn(hint);
  const cleanup = ctx.cleanup ?? new CleanupRegistry();
  createRunDir(resolve(o.dir), runId);
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  const unregister = cleanup.add(`remove ${runDir}`, removeRunDir);
  let phase: PhaseData;
  let methods: MethodRun[] | null = null;
  const sampler = new HostSampler();
  const counted = countedDevices(storage.device, target.fsType);
  const deviceSampler = new DeviceIoSampler(counted.devices, counted.why);
  const beside = await watchSharedEtcd(target.liveEtcd);
  try {
    plan.dirs.forEach((d) => {
      mkdirSync(d);
    });
    const label = events.label;
    const emit = ctx.onEvent;
    const on = storage.device ? ` on ${storage.device.stack.join(' -> ')}` : '';
    events.start(o.runtime, `${target.dir} (${target.fsType}${on})`, resolved.profile?.name ?? null);
    const shape = workloadOf(o);
    sampler.start();
    deviceSampler.start();
    const phaseCtx = {
      signal: ctx.signal,
      onThread: (name: string, tid: number) => sampler.watchThread(name, tid),
      ...(emit ? { onSecond: (snap: PhaseSnapshot) => emit(diskTick(snap, label.phase, o, shape, ctx.grading)) } : {}),
    };
    if (o.syncMethods.length > 0) {
      methods = await compareMethods(o, runDir, choice.engine, addon, phaseCtx);
      phase = methods[0]!.phase;
    } else {
      phase = await runPhase(plan, choice.engine, addon, phaseCtx);
    }
  } finally {
    removeRunDir();
    unregister();
  }
  const hostEvidence = sampler.stop();
  const deviceIo = deviceSampler.stop();
  const liveEtcd = await beside.finish();

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
      runId,
      startedAt,
      incompleteReason,
      argv: ctx.argv ?? [],
      profile: resolved.profile,
    }),
    node: o.nodeName !== '' ? o.nodeName : host.hostname,
    target: { dir: target.dir, runDir, fsType: target.fsType, logicalBlockSize: target.logicalBlockSize, ...storage },
    engine: choice.engine.name,
    host,
    options: optionRecord(resolved),
    prepareNs: phase.outcomes.main.summary.prepareNs,
    totals: { ...totalsOf(phase.outcomes.main.summary), ...phase.schedule },
    writerThread: writerThread(phase.outcomes.main.summary),
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
    ...(failure
      ? {
          error: {
            message: failure.message,
            code: failure.code,
            errno: failure.errno,
            syscall: failure.syscall,
            path: failure.path,
          },
        }
      : {}),
  };
}

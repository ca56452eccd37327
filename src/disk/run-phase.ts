// One disk phase: run the planned workloads and turn their samples into
// statistics, one recorder per stream (measured writer, WAL cuts, commits).
import { everySecond } from '../events/every-second.js';
import { DiskRecorder, type DiskSnapshot, type DiskStats } from '../stats/disk-recorder.js';
import type { Engine } from './engine.js';
import type { NativeAddon } from './native-engine.js';
import { PhaseSink } from './phase-sink.js';
import type { DiskPlan } from './plan.js';
import { runWorkloads, type WorkloadOutcomes } from './run-workloads.js';
import { keepLongest, type SlowOp } from './slow-ops.js';
import { warmUpHandOver } from './warm-up.js';
import { type JsThreadPolicy, type Yielding, yieldToWriter } from './yield-to-writer.js';

/**
 * How long after a second's end its last samples can arrive, plus slack: the measured writer's chunk leaves as the
 * next second's first operation ends, the commit stream's batches every 100 ms.
 */
const BATCH_WAIT_MS = 150;

export interface PhaseData {
  outcomes: WorkloadOutcomes;
  /** Open loop (--rate with --runtime): operations due before the end, and how many of them were never issued. */
  schedule: { scheduled: number; notIssued: number };
  main: DiskStats;
  cut: DiskStats | null;
  /** WAL mode: each fsync of a cut besides the tail's (the new segment's header, the directory), one sample each. */
  cutSyncs: DiskStats | null;
  commit: DiskStats | null;
  /** The measured writer's operations of 50 ms or more, with the CPU wait measured inside each (longest first). */
  slowOps: SlowOp[];
  /** The JS thread's policy while the writers ran (yield-to-writer.ts): 'idle', 'idle-until-starved' or null. */
  jsThreadPolicy: JsThreadPolicy;
}

export interface PhaseContext {
  signal?: AbortSignal;
  /** The Linux id of each measuring thread as it starts (to read its run-queue wait). */
  onThread?: (name: 'writer' | 'commit', tid: number) => void;
  /** Once a second while the phase runs: where its streams stand (for live views; never on a writer thread). */
  onSecond?: (s: PhaseSnapshot) => void;
  /**
   * onSecond's work with nothing sent on (no event): run on the warm-up's synthetic seconds, so the run's first
   * second compiles none of it (disk/warm-up.ts).
   */
  rehearseSecond?: (s: PhaseSnapshot) => void;
}

export interface PhaseSnapshot {
  elapsedNs: number;
  main: DiskSnapshot;
  commit: DiskSnapshot | null;
}

function snapshotOf(elapsedNs: number, main: DiskRecorder, commit: DiskRecorder | null): PhaseSnapshot {
  return { elapsedNs, main: main.snapshot(elapsedNs), commit: commit ? commit.snapshot(elapsedNs) : null };
}

/** Runs the plan to its end and summarises every stream. */
export async function runPhase(
  plan: DiskPlan,
  engine: Engine,
  addon: NativeAddon | null,
  ctx: PhaseContext,
): Promise<PhaseData> {
  const rehearse = ctx.rehearseSecond;
  await warmUpHandOver({
    second: rehearse ? (t, m, c) => rehearse(snapshotOf(t, m, c)) : undefined,
    fold: addon ? (samples) => addon.foldSamples(samples) : undefined,
  });
  const main = new DiskRecorder();
  const cut = plan.main.kind === 'wal' ? new DiskRecorder() : null;
  const cutSyncs = plan.main.kind === 'wal' ? new DiskRecorder() : null;
  const commit = plan.commit ? new DiskRecorder() : null;
  const sink = new PhaseSink(main, cut, cutSyncs, commit);
  let outcomes: WorkloadOutcomes | undefined;
  const onSecond = ctx.onSecond;
  let stopTicking: (() => void) | undefined;
  // Seconds count from the measured writer's clock start (after the file is laid
  // out), and each tick waits for the chunk that closes its second (BATCH_WAIT_MS).
  const startTicking = onSecond
    ? () => {
        stopTicking = everySecond(
          process.hrtime.bigint(),
          (elapsedNs) => onSecond(snapshotOf(elapsedNs, main, commit)),
          BATCH_WAIT_MS,
        );
      }
    : undefined;
  // The js engine writes on this thread: it must not yield to itself.
  const yields = engine.name === 'native' || plan.main.kind === 'wal';
  let yielding = null as Yielding | null;
  try {
    outcomes = await runWorkloads(plan, engine, addon, sink, {
      signal: ctx.signal,
      // Not before: a thread started by an idle JS thread would be idle too.
      onStarted: yields ? () => (yielding = yieldToWriter(addon)) : undefined,
      onPrepared: startTicking,
      onThread: ctx.onThread,
    });
  } finally {
    stopTicking?.();
    // Free the histograms even when starting failed; the stats are then discarded.
    if (!outcomes)
      [main, cut, cutSyncs, commit].forEach((r) => {
        r?.finish(0);
      });
    yielding?.restore();
  }
  const elapsed = outcomes.main.summary.elapsedNs;
  const schedule = scheduleOf(plan, outcomes.main.summary.ops, elapsed, outcomes.main.summary.stopped);
  // Due before the end, never issued: each one's lateness at the end counts as its response time.
  for (let k = outcomes.main.summary.ops; k < schedule.scheduled; k++) main.notIssued(elapsed - k * schedule.periodNs);
  return {
    schedule: {
      scheduled: schedule.scheduled,
      notIssued: schedule.scheduled - Math.min(outcomes.main.summary.ops, schedule.scheduled),
    },
    outcomes,
    main: main.finish(elapsed),
    cut: cut ? cut.finish(elapsed) : null,
    cutSyncs: cutSyncs ? cutSyncs.finish(elapsed) : null,
    commit: commit && outcomes.commit ? commit.finish(outcomes.commit.summary.elapsedNs) : null,
    slowOps: keepLongest(sink.slowOps),
    jsThreadPolicy: yielding?.policyDuring ?? null,
  };
}

/**
 * The measured writer's open-loop schedule: operation k is due at k * period; what was due before the end (or the
 * stop).
 */
export function scheduleOf(
  plan: DiskPlan,
  ops: number,
  elapsedNs: number,
  stopped: boolean,
): { scheduled: number; periodNs: number } {
  const rate = plan.main.config.rateOpsPerSec;
  const durationNs = plan.main.config.durationNs ?? 0;
  if (!(rate > 0) || durationNs <= 0) return { scheduled: ops, periodNs: 0 };
  const periodNs = 1e9 / rate;
  const end = stopped ? Math.min(elapsedNs, durationNs) : durationNs;
  return { scheduled: Math.max(ops, Math.ceil(end / periodNs)), periodNs };
}

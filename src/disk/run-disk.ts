// The disk phase as a library call: check the target, create the run
// directory, run one writer, collect statistics, grade, clean up. Returns a
// DiskResult (complete or not); throws only for bad input or a refused target.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CleanupRegistry } from '../cleanup.js';
import { EnvironmentError, isSystemError } from '../errors.js';
import { allPassed, durableStream, syncP99Check } from '../grade/disk-checks.js';
import { specOf } from '../options/table.js';
import { newRunId } from '../run-id.js';
import { DiskRecorder } from '../stats/disk-recorder.js';
import { TOOL } from '../version.js';
import type { WriterConfig, WriterError, WriterSummary } from './engine.js';
import type { ResolvedDiskOptions } from './options.js';
import { DISK_RESULT_SCHEMA, type DiskResult, type DiskWorkload } from './result.js';
import { selectEngine } from './select-engine.js';
import { checkTargetDir } from './target-dir.js';
import { validateDiskOptions } from './validate.js';

export interface DiskRunContext {
  /** Undo steps for what the run creates; the caller drains it on signals. */
  cleanup?: CleanupRegistry;
  /** Aborting stops the writer; the result is then marked incomplete with the abort reason. */
  signal?: AbortSignal;
  /** Warnings as they happen (the result keeps them too). */
  onWarning?: (message: string) => void;
  /** Each batch of samples, after it was recorded (for progress views). */
  onSamples?: (batch: Float64Array, opsSoFar: number) => void;
  argv?: string[];
}

function workloadOf(o: ResolvedDiskOptions['values']): DiskWorkload {
  return {
    blockSize: o.blockSize, fileSize: o.size, syncMethod: o.syncMethod, syncEvery: o.syncEvery, direct: o.direct,
    prepare: o.prepare, timeBased: o.timeBased, runtimeNs: o.runtime, rateOpsPerSec: o.rate, loop: o.rate > 0 ? 'open' : 'closed',
  };
}

function optionRecord(r: ResolvedDiskOptions): DiskResult['options'] {
  const out: DiskResult['options'] = {};
  for (const key of Object.keys(r.values) as (keyof typeof r.values)[]) {
    if (specOf(key).expands) continue; // fio shorthands live on in the options they set
    out[key] = { value: r.values[key], source: r.sources[key] };
  }
  return out;
}

/** Runs the disk phase. */
export async function runDisk(resolved: ResolvedDiskOptions, ctx: DiskRunContext = {}): Promise<DiskResult> {
  const o = resolved.values;
  validateDiskOptions(o);
  const target = checkTargetDir(o.dir, o.size, { direct: o.direct, blockSize: o.blockSize });
  const warnings = [...target.warnings];
  const warn = (m: string) => {
    warnings.push(m);
    ctx.onWarning?.(m);
  };
  target.warnings.forEach((m) => ctx.onWarning?.(m));
  const choice = selectEngine(o.engine);
  if (choice.fallbackReason) warn(choice.fallbackReason);

  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const runDir = join(target.dir, `etcd-disk-bench-${runId}`);
  const cleanup = ctx.cleanup ?? new CleanupRegistry();
  try {
    mkdirSync(runDir, { mode: 0o700 });
  } catch (e) {
    throw new EnvironmentError(`cannot create the run directory ${runDir}: ${(e as Error).message}`, isSystemError(e) ? e.code : undefined);
  }
  const removeRunDir = () => rmSync(runDir, { recursive: true, force: true });
  const unregister = cleanup.add(`remove ${runDir}`, removeRunDir);

  const config: WriterConfig = {
    path: join(runDir, 'seq.dat'), blockSize: o.blockSize, fileSize: o.size, timeBased: o.timeBased, durationNs: o.runtime,
    syncMethod: o.syncMethod, syncEvery: o.syncEvery, direct: o.direct, prepare: o.prepare, rateOpsPerSec: o.rate,
  };
  const recorder = new DiskRecorder();
  let summary: WriterSummary = { ops: 0, bytes: 0, syncs: 0, prepareNs: 0, elapsedNs: 0, stopped: false };
  let failure: WriterError | undefined;
  try {
    const handle = choice.engine.start(config, {
      onSamples: (batch) => {
        recorder.add(batch);
        ctx.onSamples?.(batch, recorder.ops);
      },
    });
    const onAbort = () => handle.stop();
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    if (ctx.signal?.aborted) handle.stop();
    try {
      summary = await handle.done;
    } catch (e) {
      failure = e as WriterError;
      summary = failure.summary ?? summary;
    } finally {
      ctx.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    removeRunDir();
    unregister();
  }

  const stats = recorder.finish(summary.elapsedNs);
  const workload = workloadOf(o);
  const partial = { durableStream: durableStream(o.syncMethod), latency: stats.summaries, workload };
  const checks = [syncP99Check(partial, o.syncP99Limit)];
  const elapsedS = summary.elapsedNs / 1e9;
  const interrupted = summary.stopped ? `interrupted (${String(ctx.signal?.reason ?? 'stopped')})` : undefined;
  const incompleteReason = failure ? failure.message : interrupted;
  return {
    schema: DISK_RESULT_SCHEMA,
    tool: { ...TOOL },
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    complete: incompleteReason === undefined,
    ...(incompleteReason !== undefined ? { incompleteReason } : {}),
    argv: ctx.argv ?? [],
    target: { dir: target.dir, runDir, file: config.path, fsType: target.fsType, logicalBlockSize: target.logicalBlockSize },
    engine: choice.engine.name,
    profile: resolved.profile ? { name: resolved.profile.name, file: resolved.profile.file, description: resolved.profile.description } : null,
    options: optionRecord(resolved),
    prepareNs: summary.prepareNs,
    totals: {
      ops: summary.ops, bytes: summary.bytes, syncs: summary.syncs, elapsedNs: summary.elapsedNs,
      iops: elapsedS > 0 ? Math.round((summary.ops / elapsedS) * 10) / 10 : 0,
      bytesPerSec: elapsedS > 0 ? Math.round(summary.bytes / elapsedS) : 0,
    },
    ...partial,
    timeSeries: stats.timeSeries,
    histograms: stats.histograms,
    checks,
    passed: incompleteReason === undefined && allPassed(checks),
    warnings,
    ...(failure ? { error: { message: failure.message, code: failure.code, errno: failure.errno, syscall: failure.syscall, path: failure.path } } : {}),
  };
}

// What the labs share: the directory they run in and their run's start, the
// kube load on their members, and the jitter rule.
import { rmSync } from 'node:fs';
import { CleanupRegistry } from '../run/cleanup.js';
import { checkTargetDir } from '../run/target-dir.js';
import { UsageError } from '../core/errors.js';
import { LOAD_OPTION_KEYS, type ResolvedLoadOptions } from '../load/load-option-values.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions } from '../options/resolve.js';
import type { ValueSource } from '../options/resolve.js';
import { createRunDir } from '../run/run-dir.js';
import type { RunContext } from '../run/context.js';
import { newRunId } from '../run/run-id.js';

/**
 * The kube profile against `endpoints`, with the lab's --runtime (0, the default, keeps the profile's length: a
 * lab has no --total, so 0 cannot mean "no end") and, when given, another workload shape.
 */
export function labLoadOptions(
  endpoints: string[],
  runtime: { value: number; source: ValueSource },
  workload?: ResolvedLoadOptions['values']['workload'],
): ResolvedLoadOptions {
  const l = resolveOptions(LOAD_OPTION_KEYS, {}, loadProfile('kube', LOAD_OPTION_KEYS));
  l.values.endpoints = endpoints.join(',');
  l.sources.endpoints = 'cli';
  if (workload) l.values.workload = workload;
  if (runtime.value > 0) {
    l.values.runtime = runtime.value;
    l.sources.runtime = runtime.source;
  }
  return l;
}

/** A delay cannot go below 0: --jitter at most --delay. */
export function checkJitter(delayNs: number, jitterNs: number): void {
  if (jitterNs > delayNs)
    throw new UsageError(
      `--jitter: ${jitterNs / 1e6} ms is more than --delay (${delayNs / 1e6} ms); a delay cannot go below 0`,
      'jitter',
    );
}

/** The lab's --dir checked: room for the members (512 MiB), no live etcd on it unless allowed. */
export function labTarget(o: { dir: string; allowLiveEtcd: boolean }): ReturnType<typeof checkTargetDir> {
  return checkTargetDir(o.dir, 512 * 1024 * 1024, { direct: false, blockSize: 1, allowLiveEtcd: o.allowLiveEtcd });
}

/**
 * A lab run's start: its id, its undo steps (the caller's, or its own, which the lab drains), its warnings (the
 * target's first) and its run directory on the target, registered for removal.
 */
export function openLabRun(target: { dir: string; warnings: string[] }, ctx: RunContext) {
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const cleanup = ctx.cleanup ?? new CleanupRegistry();
  const runDir = createRunDir(target.dir, runId);
  cleanup.add(`remove ${runDir}`, () => rmSync(runDir, { recursive: true, force: true }));
  return { startedAt, runId, cleanup, warnings: [...target.warnings], runDir };
}

// The labs' common preamble and frame, in one place: prepared before anything
// is made (the etcd binary chosen, --dir checked with room for the members,
// slowfs available when the lab mounts it), then a session opened (run id,
// run directory registered for removal, warnings, the undo steps drained on
// every exit path), and the kube load run on the lab's members.
import { rmSync } from 'node:fs';
import { EnvironmentError } from '../core/errors.js';
import { requireEtcd } from '../etcd/find-etcd.js';
import { logSize } from '../etcd/local-etcd.js';
import { loadGrading } from '../grade/grade-load.js';
import type { ResolvedLoadOptions } from '../load/load-option-values.js';
import type { LoadResult } from '../load/load-result.js';
import { runEtcdLoad } from '../load/run-load.js';
import { CleanupRegistry } from '../run/cleanup.js';
import type { RunContext } from '../run/context.js';
import { Preparation, type PreparedTarget, prepareTarget } from '../run/preparation.js';
import { createRunDir } from '../run/run-dir.js';
import { checkFreeSpace } from '../run/target-dir.js';
import { newRunId } from '../run/run-id.js';
import { slowfsUnavailable } from './slowfs.js';

/** Room the lab's members may take on --dir. */
const LAB_BYTES = 512 * 1024 * 1024;

/** A lab prepared: what it needs, established before anything is made. */
export interface LabPlan {
  bin: string;
  prepared: PreparedTarget;
}

/**
 * Prepares a lab: the etcd binary, --dir checked (room for the members, no live etcd on it unless allowed), and
 * slowfs when the lab mounts it (`slowfsFor`: how the error names it, e.g. "--disk-delay: "; false: no slowfs).
 */
export function prepareLab(o: { dir: string; allowLiveEtcd: boolean; etcdBin: string }, slowfsFor: string | false) {
  const prep = new Preparation();
  const bin = prep.record('etcd-binary', () => requireEtcd(o.etcdBin));
  const prepared = prepareTarget(prep, o.dir, { direct: false, blockSize: 1, allowLiveEtcd: o.allowLiveEtcd });
  checkFreeSpace(prepared.target.dir, LAB_BYTES);
  if (slowfsFor !== false) {
    const unavailable = slowfsUnavailable();
    if (unavailable) throw new EnvironmentError(`${slowfsFor}${unavailable}`);
  }
  return { bin, prepared } satisfies LabPlan;
}

/** An open lab run: its id and start, its undo steps, its warnings (the target's first) and its run directory. */
export interface LabSession {
  plan: LabPlan;
  startedAt: Date;
  runId: string;
  cleanup: CleanupRegistry;
  warnings: string[];
  runDir: string;
  ctx: RunContext;
}

/**
 * Opens the lab's run directory on the target, registered for removal, and runs `work` in it; the undo steps (the
 * caller's registry, or the session's own, drained here) run whatever happens.
 */
export async function withLabSession<R>(
  plan: LabPlan,
  ctx: RunContext,
  work: (s: LabSession) => Promise<R>,
): Promise<R> {
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const cleanup = ctx.cleanup ?? new CleanupRegistry();
  const target = plan.prepared.target;
  const runDir = createRunDir(target.dir, runId);
  cleanup.add(`remove ${runDir}`, () => rmSync(runDir, { recursive: true, force: true }));
  try {
    return await work({ plan, startedAt, runId, cleanup, warnings: [...target.warnings], runDir, ctx });
  } finally {
    if (!ctx.cleanup) await cleanup.drain();
  }
}

/**
 * The lab's load on its members, as the session's: its events labelled for the lab, its warnings the session's, and
 * the members' logs counted from the load's start (the cluster's own first election is not the lab's). `logsFrom`
 * is filled in as the load begins.
 */
export async function labLoad(
  s: LabSession,
  options: ResolvedLoadOptions,
  label: { command: string; phase: string; title: string; index?: number; of?: number },
  logFiles: string[],
  hooks: { onLoadStart?: () => void; onLoadEnd?: () => void } = {},
): Promise<{ load: LoadResult; logsFrom: number[] }> {
  let logsFrom = logFiles.map(logSize);
  const load = await runEtcdLoad(options, {
    grading: loadGrading,
    cleanup: s.cleanup,
    signal: s.ctx.signal,
    argv: s.ctx.argv,
    onEvent: s.ctx.onEvent,
    label: { index: 1, of: 1, ...label, profile: null },
    onWarning: (m) => s.warnings.push(m),
    onLoadStart: () => {
      logsFrom = logFiles.map(logSize);
      hooks.onLoadStart?.();
    },
    ...(hooks.onLoadEnd ? { onLoadEnd: hooks.onLoadEnd } : {}),
  });
  return { load, logsFrom };
}

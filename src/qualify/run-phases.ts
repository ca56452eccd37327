// qualify's phases, each run once and turned into a Phase record with its
// status and reason: done, failed, interrupted, or not run with why (a phase
// before it did not complete, the run was stopped, no etcd binary). A phase
// never runs after one that did not complete; nothing is patched afterwards.
import { type DiskPhasePlan, runDiskPlan } from '../disk/run-disk.js';
import type { DiskResult } from '../disk/disk-result.js';
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { LoadResult } from '../load/load-result.js';
import { EtcdUnhealthyError } from '../etcd/local-etcd.js';
import { type LoadPhasePlan, type LoadRunContext, runLoadPlan } from '../load/run-load.js';
import type { RunContext } from '../run/context.js';
import type { Phase, PhaseName } from './report.js';
import { diskGrading } from '../grade/grade-disk.js';

export const PHASE_TITLES: Record<PhaseName, string> = {
  fio: "fio's etcd recipe: 2300-byte sequential writes, fdatasync after each, 22 MiB fallocated",
  wal:
    "etcd's WAL: framed records in batches, one write() and one fdatasync each, 64 MB segments, bbolt commits " +
    'every 100 ms beside it',
  etcd: 'a throwaway local etcd on the same disk under the kube workload (what an API server writes)',
};

/** etcd ran on the disk but never held a leader: the disk's verdict, not a broken run. */
export interface NoLeader {
  elections: number;
  why: string;
}

/** The phase's record from its result. */
function phaseOf<R extends { complete: boolean; incompleteReason?: string }>(
  name: PhaseName,
  result: R,
  interrupted: boolean,
  failedHow?: string,
): Phase<R> {
  const title = PHASE_TITLES[name];
  if (result.complete) return { status: 'done', title, result };
  return {
    status: interrupted ? 'interrupted' : 'failed',
    title,
    reason: failedHow ?? result.incompleteReason ?? 'incomplete',
    result,
  };
}

/** A phase that did not run, why, and what would let it run. */
export function notRun<R>(name: PhaseName, reason: string, hint?: string): Phase<R> {
  return { status: 'not-run', title: PHASE_TITLES[name], reason, ...(hint ? { hint } : {}), result: null };
}

/** What a check of a phase that gave no result says: where to look, not the phase's reason again. */
export function phaseWhyNot(name: PhaseName, p: Phase<unknown>): string {
  if (p.status === 'not-run') return `the ${name} phase did not run`;
  if (p.status === 'interrupted') return `the ${name} phase was interrupted`;
  return p.status === 'failed' ? `the ${name} phase failed` : `the ${name} phase gave no result`;
}

/** Why the next phase must not run: a phase before it did not complete, or the run was stopped. */
export function stopReason(done: [PhaseName, Phase<unknown>][], signal: AbortSignal | undefined): string | undefined {
  for (const [name, p] of done) {
    if (p.status === 'failed' || p.status === 'interrupted')
      return `the ${name} phase ${p.status === 'interrupted' ? 'was interrupted' : 'failed'}: ${p.reason}`;
  }
  return signal?.aborted ? `interrupted (${String(signal.reason)})` : undefined;
}

/** A failure the environment caused (reported in the phase), as opposed to a bug (thrown on). */
function environmental(e: unknown): e is Error {
  return e instanceof EnvironmentError || e instanceof UsageError;
}

/** Runs a disk phase (fio recipe or WAL). */
export async function diskPhase(name: 'fio' | 'wal', plan: DiskPhasePlan, ctx: RunContext): Promise<Phase<DiskResult>> {
  try {
    const r = await runDiskPlan(plan, { ...ctx, grading: diskGrading });
    return phaseOf(name, r, Boolean(ctx.signal?.aborted), r.error?.message);
  } catch (e) {
    if (!environmental(e)) throw e;
    return { status: 'failed', title: PHASE_TITLES[name], reason: e.message, result: null };
  }
}

/** Runs the etcd phase; a local etcd that never held a leader on this disk comes back as `noLeader`. */
export async function etcdPhase(
  plan: LoadPhasePlan,
  ctx: LoadRunContext,
): Promise<{ phase: Phase<LoadResult>; noLeader?: NoLeader }> {
  try {
    const r = await runLoadPlan(plan, ctx);
    return { phase: phaseOf('etcd', r, Boolean(ctx.signal?.aborted)) };
  } catch (e) {
    if (!environmental(e)) throw e;
    const interrupted = Boolean(ctx.signal?.aborted);
    const phase: Phase<LoadResult> = {
      status: interrupted ? 'interrupted' : 'failed',
      title: PHASE_TITLES.etcd,
      reason: e.message,
      result: null,
    };
    if (e instanceof EtcdUnhealthyError && !interrupted)
      return { phase, noLeader: { elections: e.elections, why: e.message } };
    return { phase };
  }
}

// --sync-methods: the sequential writer once per method, same block size and
// file size, one after the other (what pg_test_fsync does for PostgreSQL), so
// a user sees which method the disk honours and which is cheap because
// something acknowledges writes that are not yet durable.
import { rmSync } from 'node:fs';
import type { SyncMethod } from './engine.js';
import type { DiskOptions } from './disk-option-values.js';
import { planDisk } from './plan.js';
import type { MethodResult } from './disk-result.js';
import { runPhase, type PhaseContext, type PhaseData } from './run-phase.js';
import type { Engine } from './engine.js';
import type { NativeAddon } from './native-engine.js';
import { durableStream } from '../options/sync-method.js';
import { join } from 'node:path';

/** Durable writes faster than this are not plausible for a device that really flushes. */
export const IMPLAUSIBLY_FAST_NS = 20_000;

export interface MethodRun {
  result: MethodResult;
  phase: PhaseData;
}

function methodResult(method: string, syncMethod: SyncMethod, direct: boolean, p: PhaseData): MethodResult {
  const stream = durableStream(syncMethod);
  const s = p.main.summaries;
  const durable = stream === null ? null : s[stream];
  const fast = durable !== null && durable.count > 0 && durable.p50Ns < IMPLAUSIBLY_FAST_NS;
  const note =
    syncMethod === 'none'
      ? 'nothing made durable: the baseline cost of the write alone'
      : fast
        ? `durable in under ${IMPLAUSIBLY_FAST_NS / 1000} us at p50: a cache (volatile write cache, hypervisor, ` +
          `tmpfs) probably acknowledges it before it is on stable storage`
        : undefined;
  const sum = p.outcomes.main.summary;
  return {
    method,
    syncMethod,
    direct,
    ops: sum.ops,
    iops: sum.elapsedNs > 0 ? Math.round((sum.ops * 1e10) / sum.elapsedNs) / 10 : 0,
    latency: { write: s.write, sync: s.sync, op: s.op },
    durableP50Ns: durable && durable.count > 0 ? durable.p50Ns : null,
    durableP99Ns: durable && durable.count > 0 ? durable.p99Ns : null,
    ...(note ? { note } : {}),
  };
}

/** Runs each method in turn in `runDir`; stops at the first failure or when aborted. */
export async function compareMethods(
  o: DiskOptions,
  runDir: string,
  engine: Engine,
  addon: NativeAddon | null,
  ctx: PhaseContext,
): Promise<MethodRun[]> {
  const runs: MethodRun[] = [];
  for (const [i, method] of o.syncMethods.entries()) {
    const direct = method.startsWith('direct+');
    const syncMethod = method.replace('direct+', '') as SyncMethod;
    const plan = planDisk({ ...o, syncMethod, direct, syncEvery: 1 }, runDir);
    if (plan.main.kind === 'seq') plan.main.config.path = join(runDir, `method-${i}.dat`);
    const phase = await runPhase(plan, engine, addon, ctx);
    if (plan.main.kind === 'seq') rmSync(plan.main.config.path, { force: true });
    runs.push({ result: methodResult(method, syncMethod, direct, phase), phase });
    if (phase.outcomes.main.error || phase.outcomes.main.summary.stopped) break;
  }
  return runs;
}

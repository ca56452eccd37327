import { runDisk } from '../disk/run-disk.js';
import { checkTargetDir } from '../disk/target-dir.js';
import { validateDiskOptions } from '../disk/validate.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { etcdVersion, findEtcd, HOW_TO_GET_ETCD, requireEtcd } from '../etcd/find-etcd.js';
import { validateLoadOptions } from '../etcd/load-options.js';
import { runEtcdLoad } from '../etcd/run-etcd-load.js';
import { EtcdUnhealthyError } from '../etcd/local-etcd.js';
import { gradeOf } from '../grade/letter.js';
import { qualifyChecks, type PhaseInput } from '../grade/qualify-checks.js';
import { hostFacts } from '../host/host-facts.js';
import { storageFacts } from '../host/storage-facts.js';
import { newRunId } from '../run-id.js';
import { TOOL } from '../version.js';
import { runHeader } from '../report/run-header.js';
import { etcdPhaseOptions, fioPhaseOptions, walPhaseOptions, type ResolvedQualifyOptions } from './phase-options.js';
import { QUALIFY_REPORT_SCHEMA, type Phase, type PhaseName, type QualifyReport } from './report.js';
import { verdictOf } from './verdict.js';
import { settleInsideBucket, walAgreement } from './wal-agreement.js';
import { warningCollector } from '../warnings.js';
import type { RunContext } from '../run-context.js';
import type { RunEvent } from '../live/events.js';

/** qualify's context: the one every run gets (src/run-context.ts); its phases get theirs from it. */
export type QualifyRunContext = RunContext;

export const PHASE_TITLES: Record<PhaseName, string> = {
  fio: "fio's etcd recipe: 2300-byte sequential writes, fdatasync after each, 22 MiB fallocated",
  wal:
    "etcd's WAL: framed records in batches, one write() and one fdatasync each, 64 MB segments, bbolt commits " +
    'every 100 ms beside it',
  etcd: 'a throwaway local etcd on the same disk under the kube workload (what an API server writes)',
};

/** POSIX-shell quoting, so a report's command line can be pasted back. */
export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function phaseOf<R extends { complete: boolean; incompleteReason?: string }>(
  title: string,
  result: R,
  interrupted: boolean,
  failedHow?: string,
): Phase<R> {
  if (result.complete) return { status: 'done', title, result };
  return {
    status: interrupted ? 'interrupted' : 'failed',
    title,
    reason: failedHow ?? result.incompleteReason ?? 'incomplete',
    result,
  };
}

/** Runs qualify. Bad input and a refused directory throw before anything is written. */
export async function runQualify(q: ResolvedQualifyOptions, ctx: QualifyRunContext = {}): Promise<QualifyReport> {
  const o = q.values;
  const fioOpts = fioPhaseOptions(q);
  const walOpts = walPhaseOptions(q);
  const etcdOpts = etcdPhaseOptions(q);
  validateDiskOptions(fioOpts);
  validateDiskOptions(walOpts);
  if (o.etcdRuntime > 0) validateLoadOptions(etcdOpts);
  if (o.etcdBin !== '') requireEtcd(o.etcdBin);
  const target = checkTargetDir(o.dir, 0, { direct: false, blockSize: 1 });
  const etcdBin = o.etcdRuntime > 0 ? findEtcd(o.etcdBin) : null;
  const etcd = etcdBin ? { bin: etcdBin, version: etcdVersion(etcdBin) } : null;

  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const { warnings, warn } = warningCollector(ctx);
  target.warnings.forEach(warn);
  const host = await hostFacts();
  // The phases that announced themselves: each ends itself; qualify ends only those that never started.
  const started = new Set<string>();
  const onEvent = (e: RunEvent) => {
    if (e.type === 'phase-start') started.add(e.phase);
    ctx.onEvent?.(e);
  };
  const sub = {
    cleanup: ctx.cleanup,
    signal: ctx.signal,
    onWarning: (m: string) => warnings.push(m),
    argv: ctx.argv,
    onEvent,
  };
  const label = (phase: PhaseName, index: number) => ({
    command: 'qualify',
    phase,
    index,
    of: 3,
    title: PHASE_TITLES[phase],
    profile: q.profile?.name ?? null,
  });
  // Only for a phase that never started: one that started ends itself (PhaseEvents), also when it throws.
  const ended = (phase: PhaseName, p: Phase<unknown>) => {
    if (started.has(phase)) return;
    ctx.onEvent?.({ type: 'phase-end', phase, status: p.status, ...(p.reason ? { reason: p.reason } : {}) });
  };
  const phases: QualifyReport['phases'] = {
    fio: { status: 'not-run', title: PHASE_TITLES.fio, result: null },
    wal: { status: 'not-run', title: PHASE_TITLES.wal, result: null },
    etcd: { status: 'not-run', title: PHASE_TITLES.etcd, result: null },
  };
  let stopReason: string | undefined;
  const stopped = () => stopReason ?? (ctx.signal?.aborted ? `interrupted (${String(ctx.signal.reason)})` : undefined);

  const diskPhase = async (name: 'fio' | 'wal', index: number, opts: typeof fioOpts) => {
    if (stopped()) return;
    try {
      const r = await runDisk(opts, { ...sub, label: label(name, index) });
      const interrupted = Boolean(ctx.signal?.aborted);
      phases[name] = phaseOf(PHASE_TITLES[name], r, interrupted, r.error?.message);
    } catch (e) {
      if (!(e instanceof EnvironmentError) && !(e instanceof UsageError)) throw e;
      phases[name] = { status: 'failed', title: PHASE_TITLES[name], reason: e.message, result: null };
      ended(name, phases[name]);
    }
    if (phases[name].status !== 'done')
      stopReason =
        `the ${name} phase ${phases[name].status === 'interrupted' ? 'was interrupted' : 'failed'}: ` +
        `${phases[name].reason}`;
  };
  await diskPhase('fio', 1, fioOpts);
  await diskPhase('wal', 2, walOpts);

  let noLeader: { elections: number; why: string } | undefined;
  if (o.etcdRuntime === 0) phases.etcd.reason = 'skipped with --etcd-runtime 0';
  else if (!etcd) phases.etcd.reason = `no etcd binary on PATH; ${HOW_TO_GET_ETCD}`;
  else if (stopped()) phases.etcd.reason = stopped();
  else {
    try {
      const r = await runEtcdLoad(etcdOpts, {
        ...sub,
        label: label('etcd', 3),
        serverWalLimitNs: o.syncP99Limit,
        serverCommitLimitNs: o.commitP99Limit,
      });
      phases.etcd = phaseOf(PHASE_TITLES.etcd, r, Boolean(ctx.signal?.aborted));
    } catch (e) {
      if (!(e instanceof EnvironmentError) && !(e instanceof UsageError)) throw e;
      phases.etcd = {
        status: ctx.signal?.aborted ? 'interrupted' : 'failed',
        title: PHASE_TITLES.etcd,
        reason: e.message,
        result: null,
      };
      // etcd ran on this disk but could not keep a leader: that is the disk's verdict, not a broken run.
      if (e instanceof EtcdUnhealthyError && !ctx.signal?.aborted)
        noLeader = { elections: e.elections, why: e.message };
      ended('etcd', phases.etcd);
    }
    if (phases.etcd.status !== 'done' && !noLeader)
      stopReason =
        `the etcd phase ${phases.etcd.status === 'interrupted' ? 'was interrupted' : 'failed'}: ` +
        `${phases.etcd.reason}`;
  }
  if (phases.etcd.status === 'not-run') ended('etcd', phases.etcd);
  if (phases.fio.status === 'not-run' && !phases.fio.reason) phases.fio.reason = stopped();
  if (phases.wal.status === 'not-run' && !phases.wal.reason) phases.wal.reason = stopped();

  const input = <R>(p: Phase<R>): PhaseInput<R> => ({
    result: p.result,
    whyNot: p.reason ?? `the phase ${p.status === 'not-run' ? 'did not run' : p.status}`,
  });
  const agreement = walAgreement(phases.wal.result, phases.etcd.result?.server ?? null);
  const checks = qualifyChecks(
    input(phases.fio),
    input(phases.wal),
    input(phases.etcd),
    {
      syncP99Ns: o.syncP99Limit,
      commitP99Ns: o.commitP99Limit,
      raft: { heartbeatNs: o.heartbeatInterval, electionNs: o.electionTimeout },
      minIops: o.minIops,
      recommendedIops: o.recommendedIops,
      etcd: {
        requestP99Ns: etcdOpts.values.putP99Limit,
        errors: etcdOpts.values.maxErrors,
        throughputFloor: (etcdOpts.values.rate * etcdOpts.values.minThroughputPercent) / 100,
      },
    },
    noLeader,
  ).map((c) => (c.id === 'etcd-wal-fsync-p99' ? settleInsideBucket(c, agreement) : c));
  const incompleteReason = stopped();
  const complete = incompleteReason === undefined;
  const grade = complete
    ? gradeOf(checks, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF })
    : { letter: null, reason: 'the run did not complete' };
  const argv = ctx.argv ?? [];
  return {
    ...runHeader(QUALIFY_REPORT_SCHEMA, { runId, startedAt, incompleteReason, argv, profile: q.profile }),
    commandLine: shellQuote([TOOL.name, ...argv.slice(1)]),
    host,
    target: { dir: target.dir, fsType: target.fsType, ...storageFacts(target.dir) },
    options: Object.fromEntries(
      Object.entries(q.values).map(([k, v]) => [k, { value: v, source: q.sources[k as keyof typeof q.sources] }]),
    ),
    etcd,
    phases,
    checks,
    grade,
    walAgreement: agreement,
    verdict: verdictOf(checks, grade, phases, complete, incompleteReason, agreement),
    warnings: [...new Set(warnings)],
  };
}

import { type DiskPhasePlan, prepareDisk } from '../disk/run-disk.js';
import { type LoadPhasePlan, prepareLoad } from '../load/run-load.js';
import type { ResolvedLoadOptions } from '../load/load-option-values.js';
import { Preparation, type PreparedTarget, prepareTarget } from '../run/preparation.js';
import type { LikeSection } from '../like/size-load.js';
import { watchSharedEtcd } from '../etcd/shared-etcd-watch.js';
import { validateDiskOptions } from '../disk/validate.js';
import { chooseEtcd, etcdVersion, HOW_TO_GET_ETCD, requireEtcd } from '../etcd/find-etcd.js';
import { validateLoadOptions } from '../load/load-option-values.js';
import { gradeOf, memoryGrade } from '../verdict/letter.js';
import { qualifyChecks, type PhaseInput } from '../grade/qualify-checks.js';
import { hostFacts } from '../host/host-facts.js';
import { newRunId } from '../run/run-id.js';
import { commandLineOf } from '../run/command-line.js';
import { runHeader } from '../run/header.js';
import { etcdPhaseOptions, fioPhaseOptions, walPhaseOptions, type ResolvedQualifyOptions } from './phase-options.js';
import { QUALIFY_REPORT_SCHEMA, type Phase, type PhaseName, type QualifyReport } from './report.js';
import { verdictOf } from './verdict.js';
import { diskPhase, etcdPhase, type NoLeader, notRun, PHASE_TITLES, phaseWhyNot, stopReason } from './run-phases.js';
import type { DiskResult } from '../disk/disk-result.js';
import type { LoadResult } from '../load/load-result.js';
import { settleInsideBucket, walAgreement } from './wal-agreement.js';
import { warningCollector } from '../run/warnings.js';
import type { RunContext } from '../run/context.js';
import type { RunEvent } from '../events/events.js';
import { loadGrading } from '../grade/grade-load.js';
import { volumeBurst } from '../grade/burst-forecast.js';
import { volumeHint } from '../options/volume.js';
import { applyLike, checkLikeOptions } from '../like/read-like.js';

/** qualify's context: the one every run gets (src/run/context.ts); its phases get theirs from it. */
export type QualifyRunContext = RunContext;

export { PHASE_TITLES };

/** qualify prepared: every phase checked and chosen, sharing one target check, before anything is written. */
export interface QualifyPlan {
  q: ResolvedQualifyOptions;
  /** What preparing established, once each (the target directory, the storage facts, the etcd binary). */
  prep: Preparation;
  prepared: PreparedTarget;
  fio: DiskPhasePlan;
  wal: DiskPhasePlan;
  /** The etcd phase; null when it will not run (--etcd-runtime 0, or no etcd binary). */
  etcd: LoadPhasePlan | null;
  etcdOpts: ResolvedLoadOptions;
  etcdBinary: QualifyReport['etcd'];
  like: LikeSection | null;
  warnings: string[];
}

/** Prepares qualify. Bad input and a refused directory throw here, before anything is written. */
export async function prepareQualify(q: ResolvedQualifyOptions): Promise<QualifyPlan> {
  const o = q.values;
  const fioOpts = fioPhaseOptions(q);
  const walOpts = walPhaseOptions(q);
  const etcdOpts = etcdPhaseOptions(q);
  validateDiskOptions(fioOpts);
  validateDiskOptions(walOpts);
  if (o.etcdRuntime > 0) validateLoadOptions(etcdOpts);
  checkLikeOptions(o, q.sources);
  const prep = new Preparation();
  // The live-etcd guard first: a refusal to touch someone's etcd disk outranks any other complaint. One check for
  // every phase; each checks its own room as it starts (a disk too small for one fails that phase, and says so).
  const prepared = prepareTarget(prep, o.dir, { direct: false, blockSize: 1, allowLiveEtcd: o.allowLiveEtcd });
  const chosen = o.etcdRuntime > 0 || o.etcdBin !== '' ? prep.record('etcd-binary', () => chooseEtcd(o.etcdBin)) : null;
  if (!chosen && o.etcdBin !== '') requireEtcd(o.etcdBin);
  // The cluster's history sizes the etcd phase before anything is written.
  const like = o.like !== '' ? await applyLike(o, etcdOpts) : null;
  if (like) validateLoadOptions(etcdOpts);
  const runsEtcd = o.etcdRuntime > 0 && chosen !== null;
  const etcdBinary = runsEtcd ? { bin: chosen.bin, version: etcdVersion(chosen.bin), source: chosen.source } : null;
  // Chosen once: the etcd phase runs this very binary.
  if (runsEtcd) etcdOpts.values.etcdBin = chosen.bin;
  const warnings = [...prepared.target.warnings, ...(runsEtcd && chosen.fallback ? [chosen.fallback] : [])];
  const hint = o.volume === '' ? volumeHint(prepared.storage.device) : null;
  if (hint) warnings.push(hint);
  return {
    q,
    prep,
    prepared,
    fio: prepareDisk(fioOpts, prep, prepared),
    wal: prepareDisk(walOpts, prep, prepared),
    etcd: runsEtcd ? prepareLoad(etcdOpts, prep, { bin: chosen.bin, prepared }) : null,
    etcdOpts,
    etcdBinary,
    like,
    warnings,
  };
}

/** Prepares and runs qualify. Bad input and a refused directory throw before anything is written. */
export async function runQualify(q: ResolvedQualifyOptions, ctx: QualifyRunContext = {}): Promise<QualifyReport> {
  return runQualifyPlan(await prepareQualify(q), ctx);
}

/** The three phases in turn, each only when every one before it completed; each record says why not otherwise. */
async function runPhases(plan: QualifyPlan, ctx: QualifyRunContext, warnings: string[]) {
  const o = plan.q.values;
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
    profile: plan.q.profile?.name ?? null,
  });
  // Only for a phase that never started: one that started ends itself (PhaseEvents), also when it throws.
  const ended = (phase: PhaseName, p: Phase<unknown>) => {
    if (started.has(phase)) return;
    ctx.onEvent?.({ type: 'phase-end', phase, status: p.status, ...(p.reason ? { reason: p.reason } : {}) });
  };
  const done: [PhaseName, Phase<unknown>][] = [];
  const beforeFio = stopReason(done, ctx.signal);
  const fio = beforeFio
    ? notRun<DiskResult>('fio', beforeFio)
    : await diskPhase('fio', plan.fio, { ...sub, label: label('fio', 1) });
  if (fio.status !== 'not-run') ended('fio', fio);
  done.push(['fio', fio]);
  const beforeWal = stopReason(done, ctx.signal);
  const wal = beforeWal
    ? notRun<DiskResult>('wal', beforeWal)
    : await diskPhase('wal', plan.wal, { ...sub, label: label('wal', 2) });
  if (wal.status !== 'not-run') ended('wal', wal);
  done.push(['wal', wal]);
  const beforeEtcd = stopReason(done, ctx.signal);
  const ran: { phase: Phase<LoadResult>; noLeader?: NoLeader } =
    o.etcdRuntime === 0
      ? { phase: notRun<LoadResult>('etcd', 'skipped with --etcd-runtime 0') }
      : !plan.etcd
        ? { phase: notRun<LoadResult>('etcd', 'no etcd binary on PATH', HOW_TO_GET_ETCD) }
        : beforeEtcd
          ? { phase: notRun<LoadResult>('etcd', beforeEtcd) }
          : await etcdPhase(plan.etcd, {
              ...sub,
              grading: loadGrading,
              label: label('etcd', 3),
              serverWalLimitNs: o.syncP99Limit,
              serverCommitLimitNs: o.commitP99Limit,
            });
  ended('etcd', ran.phase);
  // A local etcd that never held a leader on this disk is the disk's verdict: the run itself completed.
  if (!ran.noLeader) done.push(['etcd', ran.phase]);
  const phases: QualifyReport['phases'] = { fio, wal, etcd: ran.phase };
  return { phases, noLeader: ran.noLeader, incompleteReason: stopReason(done, ctx.signal) };
}

/** Every check from the phases' results, etcd's own WAL fsync settled against ours, and --volume's forecast. */
function checksOf(plan: QualifyPlan, phases: QualifyReport['phases'], noLeader: NoLeader | undefined) {
  const o = plan.q.values;
  const etcdOpts = plan.etcdOpts.values;
  const input = <R>(name: PhaseName, p: Phase<R>): PhaseInput<R> => ({
    result: p.result,
    whyNot: phaseWhyNot(name, p),
  });
  const agreement = walAgreement(phases.wal.result, phases.etcd.result?.server ?? null);
  const checks = qualifyChecks(
    input('fio', phases.fio),
    input('wal', phases.wal),
    input('etcd', phases.etcd),
    {
      syncP99Ns: o.syncP99Limit,
      commitP99Ns: o.commitP99Limit,
      raft: { heartbeatNs: o.heartbeatInterval, electionNs: o.electionTimeout },
      minIops: o.minIops,
      recommendedIops: o.recommendedIops,
      etcd: {
        requestP99Ns: etcdOpts.putP99Limit,
        errors: etcdOpts.maxErrors,
        throughputFloor: (etcdOpts.rate * etcdOpts.minThroughputPercent) / 100,
      },
    },
    noLeader,
  ).map((c) => (c.id === 'etcd-wal-fsync-p99' ? settleInsideBucket(c, agreement) : c));
  // The burst forecast reads the device writes etcd itself issued under the kube load, at the phase's rate.
  const volume = volumeBurst(
    o.volume,
    phases.etcd.result?.deviceIo,
    `the etcd phase, kube workload at ${etcdOpts.rate}/s${plan.like ? `, ${plan.like.words}` : ''}`,
    `the etcd phase did not run (${phaseWhyNot('etcd', phases.etcd) ?? 'no result'})`,
  );
  if (volume) checks.push(volume.check);
  return { checks, agreement, burst: volume?.forecast ?? null };
}

/** Runs prepared qualify: its three phases in turn, then the checks, the grade and the verdict. */
export async function runQualifyPlan(plan: QualifyPlan, ctx: QualifyRunContext = {}): Promise<QualifyReport> {
  const { q } = plan;
  const o = q.values;
  const { target, storage } = plan.prepared;
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const { warnings, warn } = warningCollector(ctx);
  plan.warnings.forEach(warn);
  const host = await hostFacts();
  const beside = await watchSharedEtcd(target.liveEtcd);
  const { phases, noLeader, incompleteReason } = await runPhases(plan, ctx, warnings);
  const { checks, agreement, burst } = checksOf(plan, phases, noLeader);
  const complete = incompleteReason === undefined;
  const grade = !complete
    ? { letter: null, reason: 'the run did not complete' }
    : target.memory
      ? memoryGrade(target.memory)
      : gradeOf(checks, { aNs: o.gradeA, bNs: o.gradeB, fNs: o.gradeF });
  const argv = ctx.argv ?? [];
  const liveEtcd = await beside.finish();
  return {
    ...runHeader(QUALIFY_REPORT_SCHEMA, { runId, startedAt, incompleteReason, argv, profile: q.profile }),
    node: o.nodeName !== '' ? o.nodeName : host.hostname,
    commandLine: commandLineOf(argv),
    host,
    target: { dir: target.dir, fsType: target.fsType, ...storage },
    options: Object.fromEntries(
      Object.entries(q.values).map(([k, v]) => [k, { value: v, source: q.sources[k as keyof typeof q.sources] }]),
    ),
    etcd: plan.etcdBinary,
    phases,
    checks,
    grade,
    walAgreement: agreement,
    burst,
    like: plan.like,
    verdict: verdictOf(checks, grade, phases, complete, incompleteReason, agreement),
    warnings: [...new Set(warnings)],
    liveEtcdGuard: target.liveEtcdGuard,
    ...(liveEtcd.length > 0 ? { liveEtcd } : {}),
  };
}

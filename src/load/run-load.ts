import type { Etcd3 } from 'etcd3';
import { CleanupRegistry } from '../run/cleanup.js';
import { newRunId } from '../run/run-id.js';
import { LoadRecorder, type LoadStats } from '../stats/load-recorder.js';
import { tlsMaterial } from '../etcd/connection.js';
import { callOn, openWorkloadWatches, choosePacing, closeAll, connectLoad } from './connect-load.js';
import type { WatchStreams } from './watch-streams.js';
import { runLoad, type LoadRun } from './runner.js';
import type { Transport } from './transport/transport.js';
import { validateLoadOptions, type ResolvedLoadOptions } from './load-option-values.js';
import type { LoadResult } from './load-result.js';
import { checkQuota, deletePrefix } from './safety.js';
import { MetricsWatcher } from '../etcd/server-metrics.js';
import { runInWorkers } from './workers.js';
import { workloadFromOptions } from './workloads/from-options.js';
import { everySecond } from '../events/every-second.js';
import { countedDevices, type DeviceIo, DeviceIoSampler } from '../host/device-io.js';
import { type HostEvidence, HostSampler } from '../host/host-sampler.js';
import { startCompactor, type CompactionLog } from './compactor.js';
import { type BackgroundLog, startKubeBackground } from './kube-background.js';
import { WATCHED_RESOURCES } from './workloads/kube-watched.js';
import { warningCollector } from '../run/warnings.js';
import { PhaseEvents } from '../events/phase-events.js';
import type { RunContext } from '../run/context.js';
import { loadTick } from './ticks.js';
import { reach } from '../etcd/connect.js';
import { type LoadTarget, type LocalEtcdPlan, openTarget } from './target.js';
import { Preparation, prepareTarget } from '../run/preparation.js';
import { requireEtcd } from '../etcd/find-etcd.js';
import { assembleLoadResult } from './assemble-load-result.js';
import type { LoadGrading } from './load-grading.js';
import { ETCD_METRICS } from '../etcd/metric-names.js';

/** A load's context: the one every run gets, and what a load adds. */
export interface LoadRunContext extends RunContext {
  /** The grader its caller hands in (src/grade/grade-load.ts): the load measures, it judges. */
  grading: LoadGrading;
  /** Asks for the password of --user USER (no password given). */
  askPassword?: (user: string) => Promise<string>;
  /** The limit etcd's own WAL fsync p99 is judged by (default: the etcd FAQ's 10 ms). */
  serverWalLimitNs?: number;
  /** The limit etcd's own backend commit p99 is judged by (default: the etcd FAQ's 25 ms). */
  serverCommitLimitNs?: number;
  /** Called as the load begins (after connecting and the first metrics read): a lab's schedule starts here. */
  onLoadStart?: () => void;
  /**
   * Called once when sending ends: at the runtime's end on the clock, or earlier when the load stops (before our keys
   * are deleted). A lab's schedule ends here, not when the last slow reply comes in.
   */
  onLoadEnd?: () => void;
}

/** A rough upper bound of what the load adds to the database: every request a new revision of key + value. */
function bytesMayAdd(o: ResolvedLoadOptions['values']): number {
  const requests = o.total > 0 ? o.total : o.rate > 0 ? (o.rate * o.runtime) / 1e9 : (6000 * o.runtime) / 1e9;
  const perRequest =
    o.workload === 'check-perf' ? 1024 + 256 : o.workload === 'kube' ? o.kubeValueSize.max + 64 : o.valSize + o.keySize;
  return Math.round(requests * (perRequest + 64));
}

/** A load prepared: everything checked and chosen before anything is written or connected. */
export interface LoadPhasePlan {
  resolved: ResolvedLoadOptions;
  runId: string;
  /** Where our keys go (and are deleted from afterwards). */
  prefix: string;
  /** The throwaway local etcd (no --endpoints, no --discovery-srv): its binary and the checked --dir. */
  local: LocalEtcdPlan | null;
  /** Found while preparing; said when the load runs. */
  warnings: string[];
}

/**
 * Prepares a load. `given`: the local etcd's directory and binary a caller already checked and chose (qualify),
 * whose warnings it says itself; otherwise they are established here, recorded in `prep`.
 */
export function prepareLoad(
  resolved: ResolvedLoadOptions,
  prep = new Preparation(),
  given?: LocalEtcdPlan,
): LoadPhasePlan {
  const o = resolved.values;
  validateLoadOptions(resolved);
  // --pacing native where it cannot be (TLS, a closed loop, grpc-js, no addon) is refused before anything is written.
  choosePacing(o, { endpoints: o.endpoints === '' ? [] : o.endpoints.split(',') });
  const runId = newRunId(new Date());
  const prefix = o.prefix !== '' ? (o.prefix.endsWith('/') ? o.prefix : `${o.prefix}/`) : `/etcd-disk-bench/${runId}/`;
  if (o.endpoints !== '' || o.discoverySrv !== '') return { resolved, runId, prefix, local: null, warnings: [] };
  if (given) return { resolved, runId, prefix, local: given, warnings: [] };
  const bin = prep.record('etcd-binary', () => requireEtcd(o.etcdBin));
  const prepared = prepareTarget(prep, o.dir, {
    direct: false,
    blockSize: 1,
    allowLiveEtcd: o.allowLiveEtcd,
  });
  return { resolved, runId, prefix, local: { bin, prepared }, warnings: [...prepared.target.warnings] };
}

/** Prepares and runs the load. Throws for bad input and an unusable environment before any key is written. */
export async function runEtcdLoad(resolved: ResolvedLoadOptions, ctx: LoadRunContext): Promise<LoadResult> {
  return runLoadPlan(prepareLoad(resolved), ctx);
}

/** Runs a prepared load. Throws for an unusable environment before any key is written. */
export async function runLoadPlan(plan: LoadPhasePlan, ctx: LoadRunContext): Promise<LoadResult> {
  const o = plan.resolved.values;
  const events = new PhaseEvents(
    ctx.onEvent,
    ctx.label ?? { command: 'load', phase: 'load', index: 1, of: 1, title: `${o.workload} load` },
  );
  return events.run(ctx.signal, () => runLoadPhase(plan, ctx, events));
}

/** Our connections and workload set up, and etcd's /metrics read once, with the quota checked against the load. */
async function connectLoadTo(
  target: LoadTarget,
  o: ResolvedLoadOptions['values'],
  prefix: string,
  transports: Transport[],
  warn: (m: string) => void,
  closers: (() => void)[],
) {
  const { endpoints, conn } = target;
  const workload = workloadFromOptions(o, prefix);
  const pacing = choosePacing(o, conn);
  const paced = pacing.pacing === 'native';
  let watches: WatchStreams | null = null;
  if (o.workers === 1) {
    transports.push(...(await reach(endpoints, () => connectLoad(conn, o.conns, o.transport, prefix, paced))));
    await reach(endpoints, async () => workload.prepare?.(callOn(transports[0]!)));
    watches = await reach(endpoints, () => openWorkloadWatches(conn, workload, callOn(transports[0]!), paced));
    if (watches) closers.push(() => watches?.close());
  }
  const metricsUrls = o.metricsUrls !== '' ? o.metricsUrls.split(',') : endpoints;
  const watcher = new MetricsWatcher(metricsUrls, tlsMaterial(conn));
  await watcher.start();
  try {
    const quotaWarning = checkQuota(
      metricsUrls,
      watcher.beforeTotal(ETCD_METRICS.dbSize.name),
      watcher.beforeTotal(ETCD_METRICS.quotaBytes.name),
      bytesMayAdd(o),
    );
    if (quotaWarning) warn(quotaWarning);
  } catch (e) {
    await watcher.finish();
    throw e;
  }
  return { workload, pacing, paced, watcher, watches };
}

/**
 * A local member that dies mid-run: the load goes on while a quorum is left (reported), and ends (incomplete) when it
 * is not. Returns what turns the watch off.
 */
function watchMembers(
  target: LoadTarget,
  members: number,
  abort: AbortController,
  warn: (m: string) => void,
): () => void {
  const loadStart = process.hrtime.bigint();
  let loading = true;
  const localInfo = target.localInfo;
  for (const m of target.local?.members ?? [])
    m.process.once('exit', (code, sig) => {
      if (!loading || abort.signal.aborted) return;
      const how = `local etcd member ${m.name} exited (${sig ?? code})`;
      localInfo!.lost.push({
        name: m.name,
        how,
        atSecond: Math.floor(Number(process.hrtime.bigint() - loadStart) / 1e9),
      });
      const left = members - localInfo!.lost.length;
      if (left <= Math.floor(members / 2))
        abort.abort(members === 1 ? how : `${how}: ${left} of ${members} members left, no quorum`);
      else warn(`${how}; the load goes on with ${left} of ${members} members, a quorum`);
    });
  return () => {
    loading = false;
  };
}

async function runLoadPhase(plan: LoadPhasePlan, ctx: LoadRunContext, events: PhaseEvents): Promise<LoadResult> {
  const { resolved, runId, prefix } = plan;
  const o = resolved.values;
  const startedAt = new Date();
  // Our own registry, drained here; registered in the caller's so a signal reaches what it holds.
  const own = (ctx.cleanup ?? new CleanupRegistry()).child('the load: keys, local etcd, run directory');
  const cleanup = own.registry;
  const { warnings, warn } = warningCollector(ctx);
  plan.warnings.forEach(warn);
  const clients: Etcd3[] = [];
  const transports: Transport[] = [];
  const closers: (() => void)[] = [];
  try {
    // Where the load goes: a throwaway local etcd on --dir, or the cluster given; checked safe to write.
    const target = await openTarget(o, ctx, { local: plan.local, cleanup, runId, prefix, clients });
    const { workload, pacing, paced, watcher, watches } = await connectLoadTo(
      target,
      o,
      prefix,
      transports,
      warn,
      closers,
    );
    const abort = new AbortController();
    // A member's /metrics past its size limit ends the load: the report is incomplete and says why (exit 3).
    watcher.whenFatal((e) => abort.abort(e.message));
    const onOuterAbort = () => abort.abort(ctx.signal?.reason);
    ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (ctx.signal?.aborted) onOuterAbort();
    const stopWatching = watchMembers(target, o.members, abort, warn);
    const localInfo = target.localInfo;
    events.start(
      o.runtime,
      localInfo
        ? `local etcd ${localInfo.version} on ${localInfo.dir} (${localInfo.fsType})`
        : target.endpoints.join(','),
      resolved.profile?.name ?? null,
    );
    let measured: Measured;
    try {
      measured = await measureLoad({ plan, ctx, events, target, transports, workload, paced, watcher, abort, watches });
    } finally {
      stopWatching();
      ctx.signal?.removeEventListener('abort', onOuterAbort);
    }
    const server = await watcher.finish();
    let deleted: number | null = null;
    try {
      if (o.workers === 1) await workload.finish?.(callOn(transports[0]!));
      deleted = await deletePrefix(target.admin, prefix);
      target.removeKeys();
    } catch (e) {
      warn(`could not delete ${prefix} (${(e as Error).message}); remove it with: etcdctl del --prefix ${prefix}`);
    }
    const incompleteReason = measured.run.stoppedBy;
    events.end(
      incompleteReason === undefined ? 'done' : ctx.signal?.aborted ? 'interrupted' : 'failed',
      incompleteReason,
    );
    return assembleLoadResult({
      resolved,
      ctx,
      runId,
      startedAt,
      ...measured,
      server,
      target,
      prefix,
      deleted,
      warnings,
      incompleteReason,
      grading: ctx.grading,
      pacing,
    });
  } finally {
    // Newest first: our keys are deleted while the cluster still runs, then the local etcd stops.
    for (const close of closers) close();
    closeAll(transports);
    await own.release();
    clients.forEach((c) => {
      c.close();
    });
  }
}

interface Measured {
  run: LoadRun;
  stats: LoadStats;
  cpu: NodeJS.CpuUsage;
  hostEvidence: HostEvidence;
  deviceIo: DeviceIo;
  compaction: CompactionLog | null;
  background: BackgroundLog | null;
}

/** The schedule run, with the host, the devices under a local etcd and the compactor going meanwhile. */
async function measureLoad(m: {
  plan: LoadPhasePlan;
  ctx: LoadRunContext;
  events: PhaseEvents;
  target: LoadTarget;
  transports: Transport[];
  workload: ReturnType<typeof workloadFromOptions>;
  paced: boolean;
  watcher: MetricsWatcher;
  abort: AbortController;
  watches: WatchStreams | null;
}): Promise<Measured> {
  const { plan, ctx, target } = m;
  const o = plan.resolved.values;
  const rec = new LoadRecorder();
  ctx.onLoadStart?.();
  // Sending ends on the clock (a lab's schedule with it), however long the last replies then take.
  let ended = false;
  const endLoad = () => {
    if (ended) return;
    ended = true;
    clearTimeout(endTimer);
    ctx.onLoadEnd?.();
  };
  const endTimer = setTimeout(endLoad, o.runtime > 0 ? o.runtime / 1e6 : 2 ** 31 - 1);
  const emit = ctx.onEvent;
  const limits = { serverWalNs: ctx.serverWalLimitNs ?? 10e6, requestP99Ns: o.putP99Limit };
  const live = o.workers === 1 ? rec : null;
  const stopTicking = emit
    ? everySecond(process.hrtime.bigint(), (elapsedNs) =>
        emit(loadTick(m.events.label.phase, elapsedNs, o.runtime, live, m.watcher.live(), limits, ctx.grading)),
      )
    : undefined;
  const schedule = {
    rate: o.rate,
    clients: o.clients,
    durationNs: o.runtime,
    total: o.total,
    graceNs: o.requestTimeout,
  };
  const cpuBefore = process.cpuUsage();
  const sampler = new HostSampler();
  sampler.start();
  // The devices under our own etcd's data; a cluster given by --endpoints keeps its data on disks we cannot see.
  const counted = plan.local
    ? countedDevices(plan.local.prepared.storage.device, plan.local.prepared.target.fsType)
    : { devices: [], why: 'the cluster given by --endpoints keeps its data on disks this machine cannot see' };
  const deviceSampler = new DeviceIoSampler(counted.devices, counted.why);
  deviceSampler.start();
  // Compaction as kube-apiserver does it, only on our own throwaway etcd (it drops every key's history).
  const stopCompactor =
    target.local && o.workload === 'kube' && o.compactionInterval > 0
      ? startCompactor(target.admin, plan.prefix, o.compactionInterval, o.requestTimeout / 1e6)
      : null;
  let run: LoadRun;
  let stats: LoadStats;
  // kube-apiserver's own reads beside the requests (health, Status, per-resource counts): under our prefix.
  const stopBackground =
    o.workload === 'kube' ? startKubeBackground(target.admin, plan.prefix, WATCHED_RESOURCES) : null;
  let compaction: CompactionLog | null = null;
  let background: BackgroundLog | null = null;
  try {
    if (o.workers > 1) {
      ({ run, stats } = await runInWorkers(o.workers, target.conn, o, plan.prefix, schedule, m.abort.signal, m.paced));
    } else {
      run = await runLoad(m.transports, m.workload, schedule, rec, m.abort.signal);
      if (m.watches) run.watches = m.watches.counts();
      stats = rec.finish(run.elapsedNs);
    }
  } finally {
    endLoad();
    compaction = stopCompactor?.() ?? null;
    background = stopBackground?.() ?? null;
    stopTicking?.();
  }
  const cpu = process.cpuUsage(cpuBefore);
  const hostEvidence = sampler.stop();
  return { run, stats, cpu, hostEvidence, deviceIo: deviceSampler.stop(), compaction, background };
}

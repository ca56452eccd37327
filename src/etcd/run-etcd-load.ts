// The load as a library call: reach the cluster (or start a throwaway local
// etcd on --dir), check it is safe to write, run the workload while scraping
// etcd's metrics, delete our keys, stop what we started. Returns a LoadResult.
import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import { CleanupRegistry } from '../cleanup.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { createRunDir } from '../run-dir.js';
import { checkTargetDir } from '../disk/target-dir.js';
import { loadChecks } from '../grade/load-checks.js';
import { newRunId } from '../run-id.js';
import { LoadRecorder, type LoadStats } from '../stats/load-recorder.js';
import { runHeader } from '../report/run-header.js';
import { openClient, readTlsFiles, type ConnectionOptions } from './connection.js';
import type { TlsMaterial } from './fetch-text.js';
import { requireEtcd } from './find-etcd.js';
import { runLoad, type LoadRun } from './load-runner.js';
import { parseUser, redactArgv, validateLoadOptions, type ResolvedLoadOptions } from './load-options.js';
import { LOAD_RESULT_SCHEMA, type LoadResult } from './load-result.js';
import { KUBEADM_ETCD_FLAGS, startLocalEtcd, type LocalCluster } from './local-etcd.js';
import { checkQuota, checkSpace, deletePrefix, refuseKubernetes, requireEmptyPrefix } from './safety.js';
import { MetricsWatcher } from './server-metrics.js';
import { runInWorkers } from './load-workers.js';
import { workloadFromOptions } from './workloads/from-options.js';
import { everySecond } from '../live/every-second.js';
import { HostSampler } from '../host/host-sampler.js';
import { etcdAttribution } from '../grade/attribution.js';
import { attributionLimits } from '../grade/attribution-limits.js';
import { applyAttribution } from '../grade/apply-attribution.js';
import { serverDiskView } from '../grade/server-disk.js';
import { startCompactor, type CompactionLog } from './compactor.js';
import { warningCollector } from '../warnings.js';
import { PhaseEvents } from '../live/phase-events.js';
import type { RunContext } from '../run-context.js';
import { loadTick } from './load-ticks.js';

/** A load's context: the one every run gets, and what a load adds. */
export interface LoadRunContext extends RunContext {
  /** Asks for the password of --user USER (no password given). */
  askPassword?: (user: string) => Promise<string>;
  /** The limit etcd's own WAL fsync p99 is judged by (default: the etcd FAQ's 10 ms). */
  serverWalLimitNs?: number;
  /** The limit etcd's own backend commit p99 is judged by (default: the etcd FAQ's 25 ms). */
  serverCommitLimitNs?: number;
}

/** Room the local etcd's data may take on --dir. */
const LOCAL_ETCD_BYTES = 512 * 1024 * 1024;

/** A rough upper bound of what the load adds to the database: every request a new revision of key + value. */
function bytesMayAdd(o: ResolvedLoadOptions['values']): number {
  const requests = o.total > 0 ? o.total : o.rate > 0 ? (o.rate * o.runtime) / 1e9 : (6000 * o.runtime) / 1e9;
  const perRequest =
    o.workload === 'check-perf' ? 1024 + 256 : o.workload === 'kube' ? o.kubeValueSize.max + 64 : o.valSize + o.keySize;
  return Math.round(requests * (perRequest + 64));
}

/** The TLS settings as the /metrics scraper needs them: the client's files and verification choice. */
function tlsMaterial(c: ConnectionOptions): TlsMaterial {
  return { ...readTlsFiles(c), ...(c.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}) };
}

/** Makes the first call; a cluster we cannot reach is an environment error naming the endpoints. */
async function reach<T>(endpoints: string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof UsageError || e instanceof EnvironmentError) throw e;
    if (e instanceof Error && /auth|permission|password|token/i.test(`${e.constructor.name} ${e.message}`))
      throw new EnvironmentError(`etcd at ${endpoints.join(',')} refused our credentials: ${e.message}`, 'AUTH', {
        cause: e,
      });
    throw new EnvironmentError(
      `cannot reach etcd at ${endpoints.join(',')}: ` +
        `${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`,
      'UNREACHABLE',
      { cause: e },
    );
  }
}

async function connection(
  o: ResolvedLoadOptions['values'],
  endpoints: string[],
  ctx: LoadRunContext,
): Promise<ConnectionOptions> {
  const user = parseUser(o.user);
  let auth: ConnectionOptions['auth'] = null;
  if (user) {
    const password = user.password ?? (ctx.askPassword ? await ctx.askPassword(user.username) : null);
    if (password === null)
      throw new EnvironmentError(
        `--user ${user.username}: no password given and no terminal to ask for it; use --user ` +
          `${user.username}:PASSWORD or ETCDCTL_USER`,
      );
    auth = { username: user.username, password };
  }
  return {
    endpoints,
    cacert: o.cacert,
    cert: o.cert,
    key: o.key,
    auth,
    dialTimeoutMs: o.dialTimeout / 1e6,
    requestTimeoutMs: o.requestTimeout / 1e6,
    insecureSkipTlsVerify: o.insecureSkipTlsVerify,
  };
}

/** Runs the load. Throws for bad input and an unusable environment before any key is written. */
export async function runEtcdLoad(resolved: ResolvedLoadOptions, ctx: LoadRunContext = {}): Promise<LoadResult> {
  const o = resolved.values;
  const events = new PhaseEvents(
    ctx.onEvent,
    ctx.label ?? { command: 'load', phase: 'load', index: 1, of: 1, title: `${o.workload} load` },
  );
  return events.run(ctx.signal, () => runLoadPhase(resolved, ctx, events));
}

async function runLoadPhase(
  resolved: ResolvedLoadOptions,
  ctx: LoadRunContext,
  events: PhaseEvents,
): Promise<LoadResult> {
  const o = resolved.values;
  validateLoadOptions(resolved);
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const prefix = o.prefix !== '' ? (o.prefix.endsWith('/') ? o.prefix : `${o.prefix}/`) : `/etcd-disk-bench/${runId}/`;
  // Our own registry, drained here; registered in the caller's so a signal reaches what it holds.
  const own = (ctx.cleanup ?? new CleanupRegistry()).child('the load: keys, local etcd, run directory');
  const cleanup = own.registry;
  const { warnings, warn } = warningCollector(ctx);
  const label = events.label;
  let local: LocalCluster | null = null;
  let localInfo: LoadResult['target']['local'] = null;
  const clients: Etcd3[] = [];
  try {
    let endpoints = o.endpoints === '' ? [] : o.endpoints.split(',');
    if (endpoints.length === 0) {
      const bin = requireEtcd(o.etcdBin);
      const target = checkTargetDir(o.dir, LOCAL_ETCD_BYTES, { direct: false, blockSize: 1 });
      target.warnings.forEach(warn);
      const runDir = createRunDir(target.dir, runId);
      cleanup.add(`remove ${runDir}`, () => rmSync(runDir, { recursive: true, force: true }));
      local = await startLocalEtcd({ bin, root: runDir, members: o.members, cleanup, token: `edb-${runId}` });
      endpoints = local.endpoints;
      localInfo = {
        version: local.version,
        members: o.members,
        dir: target.dir,
        fsType: target.fsType,
        flags: [...KUBEADM_ETCD_FLAGS],
        lost: [],
      };
    }
    const conn = await connection(o, endpoints, ctx);
    for (let i = 0; i < o.conns; i++) clients.push(openClient(conn));
    const admin = clients[0]!;
    const kubernetes = await reach(endpoints, () => refuseKubernetes(admin, o.allowKubernetesCluster));
    await reach(endpoints, () => checkSpace(admin));
    await requireEmptyPrefix(admin, prefix);
    const removeKeys = cleanup.add(`delete ${prefix}`, () => deletePrefix(admin, prefix).then(() => undefined));

    const workload = workloadFromOptions(o, prefix);
    if (o.workers === 1) await reach(endpoints, async () => workload.prepare?.(admin));
    const metricsUrls = o.metricsUrls !== '' ? o.metricsUrls.split(',') : endpoints;
    const watcher = new MetricsWatcher(metricsUrls, tlsMaterial(conn));
    await watcher.start();
    try {
      const quotaWarning = checkQuota(
        metricsUrls,
        watcher.beforeTotal('etcd_mvcc_db_total_size_in_bytes'),
        watcher.beforeTotal('etcd_server_quota_backend_bytes'),
        bytesMayAdd(o),
      );
      if (quotaWarning) warn(quotaWarning);
    } catch (e) {
      await watcher.finish();
      throw e;
    }
    const rec = new LoadRecorder();
    const abort = new AbortController();
    const onOuterAbort = () => abort.abort(ctx.signal?.reason);
    ctx.signal?.addEventListener('abort', onOuterAbort, { once: true });
    if (ctx.signal?.aborted) onOuterAbort();
    // A local member that dies mid-run: the load goes on while a quorum is left (reported), and ends (incomplete) when
    // it is not.
    const loadStart = process.hrtime.bigint();
    let loading = true;
    for (const m of local?.members ?? [])
      m.process.once('exit', (code, sig) => {
        if (!loading || abort.signal.aborted) return;
        const how = `local etcd member ${m.name} exited (${sig ?? code})`;
        localInfo!.lost.push({
          name: m.name,
          how,
          atSecond: Math.floor(Number(process.hrtime.bigint() - loadStart) / 1e9),
        });
        const left = o.members - localInfo!.lost.length;
        if (left <= Math.floor(o.members / 2))
          abort.abort(o.members === 1 ? how : `${how}: ${left} of ${o.members} members left, no quorum`);
        else warn(`${how}; the load goes on with ${left} of ${o.members} members, a quorum`);
      });
    let run: LoadRun;
    let stats: LoadStats;
    const emit = ctx.onEvent;
    events.start(
      o.runtime,
      localInfo ? `local etcd ${localInfo.version} on ${localInfo.dir} (${localInfo.fsType})` : endpoints.join(','),
      resolved.profile?.name ?? null,
    );
    const t0 = process.hrtime.bigint();
    const stopTicking = emit
      ? everySecond(t0, (elapsedNs) =>
          emit(
            loadTick(label.phase, elapsedNs, o.runtime, o.workers === 1 ? rec : null, watcher.live(), {
              serverWalNs: ctx.serverWalLimitNs ?? 10e6,
              requestP99Ns: o.putP99Limit,
            }),
          ),
        )
      : undefined;
    const plan = { rate: o.rate, clients: o.clients, durationNs: o.runtime, total: o.total, graceNs: o.requestTimeout };
    const cpuBefore = process.cpuUsage();
    const sampler = new HostSampler();
    sampler.start();
    // Compaction as kube-apiserver does it, only on our own throwaway etcd (it drops every key's history).
    const stopCompactor =
      local && o.workload === 'kube' && o.compactionInterval > 0
        ? startCompactor(admin, prefix, o.compactionInterval, o.requestTimeout / 1e6)
        : null;
    let compaction: CompactionLog | null = null;
    try {
      if (o.workers > 1) {
        ({ run, stats } = await runInWorkers(o.workers, conn, o, prefix, plan, abort.signal));
      } else {
        run = await runLoad(clients, workload, plan, rec, abort.signal);
        stats = rec.finish(run.elapsedNs);
      }
    } finally {
      loading = false;
      compaction = stopCompactor?.() ?? null;
      stopTicking?.();
      ctx.signal?.removeEventListener('abort', onOuterAbort);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const hostEvidence = sampler.stop();
    const server = await watcher.finish();
    let deleted: number | null = null;
    try {
      if (o.workers === 1) await workload.finish?.(admin);
      deleted = await deletePrefix(admin, prefix);
      removeKeys();
    } catch (e) {
      warn(`could not delete ${prefix} (${(e as Error).message}); remove it with: etcdctl del --prefix ${prefix}`);
    }
    const failed = Object.values(stats.errors).reduce((a, n) => a + n, 0);
    const answered = stats.service.count;
    const partial: Pick<LoadResult, 'totals' | 'latency' | 'workload'> = {
      workload: {
        name: o.workload,
        loop: o.rate > 0 ? 'open' : 'closed',
        rateTarget: o.rate,
        clients: o.clients,
        connections: o.conns,
        workers: o.workers,
        runtimeNs: o.runtime,
        total: o.total,
      },
      totals: {
        scheduled: run.scheduled,
        sent: run.sent,
        notSent: run.notSent,
        answered,
        failed,
        conflicts: stats.conflicts,
        elapsedNs: run.elapsedNs,
        achievedPerSec: run.elapsedNs > 0 ? Math.round((answered * 1e10) / run.elapsedNs) / 10 : 0,
        byKind: stats.byKind,
        errors: stats.errors,
      },
      latency: {
        service: stats.service,
        response: stats.response,
        failed: stats.failed,
        lateness: stats.lateness,
        generatorDelay: stats.generatorDelay,
      },
    };
    const client = {
      cpuUserNs: cpu.user * 1000,
      cpuSystemNs: cpu.system * 1000,
      cpuPerRequestNs: answered > 0 ? Math.round(((cpu.user + cpu.system) * 1000) / answered) : 0,
    };
    const serverDisk = serverDiskView(server, ctx.serverWalLimitNs ?? 10e6, ctx.serverCommitLimitNs ?? 25e6);
    const attribution = etcdAttribution(
      {
        host: hostEvidence,
        members: server,
        local: local !== null,
        generatorDelay: stats.generatorDelay,
        serverDiskFailed: serverDisk.failed,
        serverDiskWords: serverDisk.words,
      },
      attributionLimits(o),
    );
    // A load judges the cluster: a miss etcd itself caused is a failure here (qualify, judging the disk, sets it
    // aside).
    const checks = applyAttribution(loadChecks(partial, o), attribution, undefined, ['disk', 'etcd']);
    const incompleteReason = run.stoppedBy;
    events.end(
      incompleteReason === undefined ? 'done' : ctx.signal?.aborted ? 'interrupted' : 'failed',
      incompleteReason,
    );
    return {
      ...runHeader(LOAD_RESULT_SCHEMA, {
        runId,
        startedAt,
        incompleteReason,
        argv: redactArgv(ctx.argv ?? []),
        profile: resolved.profile,
      }),
      target: { endpoints, local: localInfo, kubernetes },
      options: Object.fromEntries(
        Object.entries(resolved.values).map(([k, v]) => [
          k,
          { value: k === 'user' && v ? '(set)' : v, source: resolved.sources[k as keyof typeof resolved.sources] },
        ]),
      ),
      ...partial,
      client,
      timeSeries: stats.timeSeries,
      errorsPerSecond: stats.errorsPerSecond,
      histograms: stats.histograms,
      server,
      keys: { prefix, deleted },
      checks,
      hostEvidence,
      attribution,
      compaction,
      passed:
        incompleteReason === undefined &&
        checks.every((c) => c.status !== 'fail' && c.status !== 'inconclusive') &&
        checks[0]!.status === 'pass',
      warnings,
    };
  } finally {
    // Newest first: our keys are deleted while the cluster still runs, then the local etcd stops.
    await own.release();
    clients.forEach((c) => {
      c.close();
    });
  }
}

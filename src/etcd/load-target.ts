// Where a load goes, reached and checked before any key is written: a
// throwaway local etcd on --dir (kubeadm's flags, data in our run directory),
// or the cluster given by --endpoints; our clients connected, the cluster
// checked safe (not Kubernetes unless allowed, room left, our prefix empty),
// and the deletion of our prefix registered the moment it may hold keys.
import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import type { CleanupRegistry } from '../cleanup.js';
import { checkTargetDir } from '../disk/target-dir.js';
import { EnvironmentError, UsageError } from '../errors.js';
import { createRunDir } from '../run-dir.js';
import { openClient, type ConnectionOptions } from './connection.js';
import { discoverEndpoints } from './discovery-srv.js';
import { endpointUrls } from './endpoints.js';
import { requireEtcd } from './find-etcd.js';
import { parseUser, type ResolvedLoadOptions } from './load-options.js';
import type { LoadResult } from './load-result.js';
import { KUBEADM_ETCD_FLAGS, startLocalEtcd, type LocalCluster } from './local-etcd.js';
import { checkSpace, deletePrefix, refuseKubernetes, requireEmptyPrefix } from './safety.js';

/** Room the local etcd's data may take on --dir. */
const LOCAL_ETCD_BYTES = 512 * 1024 * 1024;

export interface LoadTarget {
  endpoints: string[];
  local: LocalCluster | null;
  localInfo: LoadResult['target']['local'];
  conn: ConnectionOptions;
  admin: Etcd3;
  /** The cluster held /registry/ keys (and that was allowed). */
  kubernetes: boolean;
  /** Unregisters the deletion of our prefix once it was done. */
  removeKeys: () => void;
}

export interface TargetSetup {
  cleanup: CleanupRegistry;
  runId: string;
  prefix: string;
  warn: (m: string) => void;
  /** The caller's list: every client opened is added, so the caller closes them whatever happens. */
  clients: Etcd3[];
}

export /** Makes the first call; a cluster we cannot reach is an environment error naming the endpoints. */
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

/** The connection flags every command that talks to a cluster takes (etcdctl's). */
export type ConnectionValues = Pick<
  ResolvedLoadOptions['values'],
  'user' | 'cacert' | 'cert' | 'key' | 'dialTimeout' | 'requestTimeout' | 'insecureSkipTlsVerify'
>;

/** The connection options from the flags, asking for a password at a terminal when --user has none. */
export async function connection(
  o: ConnectionValues,
  endpoints: string[],
  ctx: { askPassword?: (user: string) => Promise<string> },
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

/** Reaches the load's target; throws for an unusable environment before any key is written. */
export async function openTarget(
  o: ResolvedLoadOptions['values'],
  ctx: { askPassword?: (user: string) => Promise<string> },
  { cleanup, runId, prefix, warn, clients }: TargetSetup,
): Promise<LoadTarget> {
  // etcdctl's forms: a bare host:port is https when TLS files are given, http otherwise.
  const tls = o.cacert !== '' || o.cert !== '' || o.key !== '' || o.insecureSkipTlsVerify;
  let endpoints =
    o.discoverySrv !== ''
      ? await discoverEndpoints(o.discoverySrv, o.discoverySrvName)
      : endpointUrls(o.endpoints, tls);
  let local: LocalCluster | null = null;
  let localInfo: LoadResult['target']['local'] = null;
  if (endpoints.length === 0) {
    const bin = requireEtcd(o.etcdBin);
    const target = checkTargetDir(o.dir, LOCAL_ETCD_BYTES, {
      direct: false,
      blockSize: 1,
      allowLiveEtcd: o.allowLiveEtcd,
    });
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
  // With worker threads, each opens its share of --conns; this thread needs one client of its own.
  const here = o.workers > 1 ? 1 : o.conns;
  for (let i = 0; i < here; i++) clients.push(openClient(conn));
  const admin = clients[0]!;
  const kubernetes = await reach(endpoints, () => refuseKubernetes(admin, o.allowKubernetesCluster));
  await reach(endpoints, () => checkSpace(admin));
  await requireEmptyPrefix(admin, prefix);
  const removeKeys = cleanup.add(`delete ${prefix}`, () => deletePrefix(admin, prefix).then(() => undefined));
  return { endpoints, local, localInfo, conn, admin, kubernetes, removeKeys };
}

// Where a load goes, reached and checked before any key is written: a
// throwaway local etcd on --dir (kubeadm's flags, data in our run directory),
// or the cluster given by --endpoints; our clients connected, the cluster
// checked safe (not Kubernetes unless allowed, room left, our prefix empty),
// and the deletion of our prefix registered the moment it may hold keys.
import { rmSync } from 'node:fs';
import type { Etcd3 } from 'etcd3';
import type { CleanupRegistry } from '../run/cleanup.js';
import type { PreparedTarget } from '../run/preparation.js';
import { checkFreeSpace } from '../run/target-dir.js';
import { createRunDir } from '../run/run-dir.js';
import { connection, reach } from '../etcd/connect.js';
import { openClient, type ConnectionOptions } from '../etcd/connection.js';
import { discoverEndpoints } from '../etcd/discovery-srv.js';
import { endpointUrls } from '../options/endpoints.js';
import type { ResolvedLoadOptions } from './load-option-values.js';
import type { LoadResult } from './load-result.js';
import { startLocalEtcd, type LocalCluster } from '../etcd/local-etcd.js';
import { checkSpace, deletePrefix, refuseKubernetes, requireEmptyPrefix } from './safety.js';

/** Room the local etcd's data may take on --dir. */
export const LOCAL_ETCD_BYTES = 512 * 1024 * 1024;

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

/** A throwaway local etcd prepared: its binary, and the checked directory its data goes on. */
export interface LocalEtcdPlan {
  bin: string;
  prepared: PreparedTarget;
}

export interface TargetSetup {
  /** The local etcd to start (null: the cluster given by --endpoints or --discovery-srv). */
  local: LocalEtcdPlan | null;
  cleanup: CleanupRegistry;
  runId: string;
  prefix: string;
  /** The caller's list: every client opened is added, so the caller closes them whatever happens. */
  clients: Etcd3[];
}

/** Reaches the load's target; throws for an unusable environment before any key is written. */
export async function openTarget(
  o: ResolvedLoadOptions['values'],
  ctx: { askPassword?: (user: string) => Promise<string> },
  { local: plan, cleanup, runId, prefix, clients }: TargetSetup,
): Promise<LoadTarget> {
  // etcdctl's forms: a bare host:port is https when TLS files are given, http otherwise.
  const tls = o.cacert !== '' || o.cert !== '' || o.key !== '' || o.insecureSkipTlsVerify;
  let endpoints =
    o.discoverySrv !== ''
      ? await discoverEndpoints(o.discoverySrv, o.discoverySrvName)
      : endpointUrls(o.endpoints, tls);
  let local: LocalCluster | null = null;
  let localInfo: LoadResult['target']['local'] = null;
  if (plan) {
    const { target } = plan.prepared;
    checkFreeSpace(target.dir, LOCAL_ETCD_BYTES);
    const runDir = createRunDir(target.dir, runId);
    cleanup.add(`remove ${runDir}`, () => rmSync(runDir, { recursive: true, force: true }));
    local = await startLocalEtcd({ bin: plan.bin, root: runDir, members: o.members, cleanup, token: `edb-${runId}` });
    endpoints = local.endpoints;
    localInfo = {
      version: local.version,
      members: o.members,
      dir: target.dir,
      fsType: target.fsType,
      flags: local.flags,
      lost: [],
    };
  }
  const conn = await connection(o, endpoints, ctx);
  // One etcd3 client for what is not the load (safety checks, compaction, deleting our keys); the load's
  // connections are its transports (connect-load.ts).
  clients.push(openClient(conn));
  const admin = clients[0]!;
  const kubernetes = await reach(endpoints, () => refuseKubernetes(admin, o.allowKubernetesCluster));
  await reach(endpoints, () => checkSpace(admin));
  await requireEmptyPrefix(admin, prefix);
  const removeKeys = cleanup.add(`delete ${prefix}`, () => deletePrefix(admin, prefix).then(() => undefined));
  return { endpoints, local, localInfo, conn, admin, kubernetes, removeKeys };
}

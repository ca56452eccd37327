// What protects a live cluster: our own prefix only, refused when it already
// holds keys, deleted afterwards; no run against a Kubernetes cluster unless
// asked; no run into a cluster that is out of space.
import type { Etcd3 } from 'etcd3';
import { EnvironmentError, UsageError } from '../core/errors.js';

/** Refuses a prefix that already holds keys (as etcdctl check perf does). */
export async function requireEmptyPrefix(client: Etcd3, prefix: string): Promise<void> {
  const n = await client.getAll().prefix(prefix).count();
  if (n > 0)
    throw new UsageError(
      `--prefix: ${prefix} already holds ${n} keys; choose another prefix (or remove them yourself: etcdctl del ` +
        `--prefix ${prefix})`,
      'prefix',
    );
}

/** Refuses a cluster holding Kubernetes' /registry/ keys unless the user said they mean it. */
export async function refuseKubernetes(client: Etcd3, allowed: boolean): Promise<boolean> {
  const keys = await client.getAll().prefix('/registry/').limit(1).keys();
  if (keys.length > 0 && !allowed)
    throw new UsageError(
      '--endpoints: this cluster holds /registry/ keys: it serves a Kubernetes cluster, maybe a production one. ' +
        'The load only writes under its own prefix and removes it, but it adds disk and Raft load; pass ' +
        '--allow-kubernetes-cluster if you mean it',
      'allowKubernetesCluster',
    );
  return keys.length > 0;
}

/** The database size, refusing a cluster with an active alarm (NOSPACE, CORRUPT). */
export async function checkSpace(client: Etcd3): Promise<{ dbSizeBytes: number }> {
  const alarms = await client.maintenance.alarm({ action: 'Get', memberID: 0, alarm: 'None' } as never);
  const active = (alarms.alarms ?? []).filter((a) => a.alarm !== 'None');
  if (active.length > 0)
    throw new EnvironmentError(
      `the cluster has active alarms (${active.map((a) => a.alarm).join(', ')}); it refuses writes until an ` +
        `operator clears them`,
      'ALARM',
    );
  const status = await client.maintenance.status();
  return { dbSizeBytes: Number(status.dbSize) };
}

/** Deletes everything under the prefix; returns how many keys went. */
export async function deletePrefix(client: Etcd3, prefix: string): Promise<number> {
  const res = await client.delete().prefix(prefix).exec();
  return Number(res.deleted);
}

/** Share of the quota above which a load is refused: it could push the member into NOSPACE. */
export const QUOTA_REFUSE_SHARE = 0.9;

/** Refuses when a member's database is near its quota; returns a warning when the load may bring it there. */
export function checkQuota(
  urls: string[],
  dbSizes: (number | null)[],
  quotas: (number | null)[],
  bytesMayAdd: number,
): string | null {
  for (const [i, url] of urls.entries()) {
    const db = dbSizes[i];
    const quota = quotas[i];
    if (db == null || quota == null || quota <= 0) continue;
    if (db >= QUOTA_REFUSE_SHARE * quota)
      throw new EnvironmentError(
        `${url}: the database is ${db} bytes of its ${quota}-byte quota (at least ${QUOTA_REFUSE_SHARE * 100} %); ` +
          `a load could raise the NOSPACE alarm. Compact and defragment it first`,
        'QUOTA',
      );
    if (db + bytesMayAdd >= quota)
      return (
        `${url}: the database (${db} bytes) plus what this load may write (about ${bytesMayAdd} bytes) ` +
        `reaches its ${quota}-byte quota; the run stops if NOSPACE is raised`
      );
  }
  return null;
}

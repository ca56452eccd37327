// With --allow-live-etcd, the live etcd that shares the disk is watched from
// its own /metrics for the length of the run: its WAL fsync and backend commit
// during our writes, beside ours, and whether it changed leader meanwhile.
import type { SharedEtcd } from '../run/live-etcd-guard.js';
import { MetricsWatcher, type MemberMetrics } from './server-metrics.js';

export interface LiveEtcdBeside {
  etcd: SharedEtcd;
  /** Its metrics over the run (deltas); null when they could not be read. */
  metrics: MemberMetrics | null;
  note?: string;
}

/** Starts watching; finish() returns what each shared etcd reported during the run. */
export async function watchSharedEtcd(shared: SharedEtcd[]): Promise<{ finish: () => Promise<LiveEtcdBeside[]> }> {
  const readable = shared.filter((s) => s.metricsUrl !== null);
  const watcher =
    readable.length > 0
      ? new MetricsWatcher(
          readable.map((s) => s.metricsUrl!),
          {},
        )
      : null;
  await watcher?.start();
  return {
    finish: async () => {
      const metrics = (await watcher?.finish()) ?? [];
      return shared.map((etcd) => {
        const m = etcd.metricsUrl === null ? undefined : metrics[readable.indexOf(etcd)];
        if (!m) return { etcd, metrics: null, note: 'no metrics URL found on its command line' };
        if (m.scrapes < 2)
          return {
            etcd,
            metrics: null,
            note:
              `its /metrics at ${etcd.metricsUrl} could not be read before and after the run (a TLS-only client ` +
              'port needs client certificates: give that etcd --listen-metrics-urls http://127.0.0.1:PORT)',
          };
        return { etcd, metrics: m };
      });
    },
  };
}

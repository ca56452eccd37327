// What kube-apiserver reads from etcd beside the requests it serves, for the
// kube workload (docs/load.md): the readiness probe's health read each second
// (kubeadm probes /readyz every second; its etcd check reads a health key),
// Status() every 30 s (--etcd-db-metric-poll-interval: the database's size)
// and each cached resource's object count once a minute
// (--etcd-count-metric-poll-period), spread over the minute. All under the
// run's prefix, on the admin client (a few reads a second, off the hot path).
import type { Etcd3 } from 'etcd3';

export interface BackgroundLog {
  health: number;
  status: number;
  counts: number;
  errors: string[];
}

/** Starts the reads for `resources` (each `${prefix}registry/<resource>/`); the returned function stops them. */
export function startKubeBackground(client: Etcd3, prefix: string, resources: readonly string[]): () => BackgroundLog {
  const log: BackgroundLog = { health: 0, status: 0, counts: 0, errors: [] };
  const failed = (e: unknown) => {
    if (log.errors.length < 5) log.errors.push(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));
  };
  let second = 0;
  const tick = () => {
    second++;
    void client
      .get(`${prefix}registry/health`)
      .exec()
      .then(() => void log.health++, failed);
    if (second % 30 === 0) void client.maintenance.status().then(() => void log.status++, failed);
    // The resources whose minute comes round this second.
    const from = Math.floor((((second - 1) % 60) * resources.length) / 60);
    const to = Math.floor(((((second - 1) % 60) + 1) * resources.length) / 60);
    for (const r of resources.slice(from, to))
      void client
        .getAll()
        .prefix(`${prefix}registry/${r}/`)
        .count()
        .then(() => void log.counts++, failed);
  };
  const timer = setInterval(tick, 1000);
  timer.unref();
  return () => {
    clearInterval(timer);
    return log;
  };
}

// Compacts a throwaway local etcd the way kube-apiserver does: every interval
// (--etcd-compaction-interval, 5 minutes by default) it compacts to the
// revision it saw at the previous tick, so a long Kubernetes-shaped load keeps
// the bounded history a real control plane has. Never pointed at a user's
// cluster: compaction discards history of every key, not only ours.
import type { Etcd3 } from 'etcd3';

export interface CompactionLog {
  intervalNs: number;
  /** Each compaction: seconds into the load, and the revision compacted to. */
  done: { atSecond: number; revision: number }[];
  errors: string[];
}

/** Starts the compactor; the returned function stops it and gives its log. */
export function startCompactor(
  client: Etcd3,
  probeKey: string,
  intervalNs: number,
  deadlineMs: number,
): () => CompactionLog {
  const log: CompactionLog = { intervalNs, done: [], errors: [] };
  const start = process.hrtime.bigint();
  let previous: number | null = null;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const res = await client.get(probeKey).exec(); // any read returns the store's revision
      const current = Number(res.header.revision);
      if (previous !== null && previous > 0) {
        await client.kv.compact({ revision: previous }, { deadline: Date.now() + deadlineMs });
        log.done.push({ atSecond: Math.round(Number(process.hrtime.bigint() - start) / 1e9), revision: previous });
      }
      previous = current;
    } catch (e) {
      log.errors.push(e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e));
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), Math.max(1, intervalNs / 1e6));
  timer.unref();
  void tick();
  return () => {
    clearInterval(timer);
    return log;
  };
}

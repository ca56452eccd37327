// Compacts a throwaway local etcd the way kube-apiserver does
// (k8s.io/apiserver pkg/storage/etcd3/compact.go): every interval
// (--etcd-compaction-interval, 5 minutes by default) a transaction "if
// version(compact_rev_key) == t then put(compact_rev_key, rev) else get" (so
// that of several API servers one compacts), and its winner compacts to the
// revision it saw at the previous tick. The key is under the run's prefix.
// Never pointed at a user's cluster: compaction discards history of every
// key, not only ours.
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
  prefix: string,
  intervalNs: number,
  deadlineMs: number,
): () => CompactionLog {
  const log: CompactionLog = { intervalNs, done: [], errors: [] };
  const key = `${prefix}compact_rev_key`;
  const start = process.hrtime.bigint();
  /** The key's version as last seen (the "time" of the last compaction), and the revision seen at the last tick. */
  let t = 0;
  let rev = 0;
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      const res = await client
        .if(key, 'Version', '==', t)
        .then(client.put(key).value(String(rev)))
        .else(client.get(key))
        .commit();
      const current = Number(res.header.revision);
      if (!res.succeeded) {
        // Another compactor moved it on: follow its time, compact nothing.
        t = Number(res.responses[0]?.response_range?.kvs[0]?.version ?? t);
      } else {
        t += 1;
        // Nothing to compact at the first tick (kube-apiserver: "we don't compact on bootstrap").
        if (rev > 0) {
          await client.kv.compact({ revision: rev }, { deadline: Date.now() + deadlineMs });
          log.done.push({ atSecond: Math.round(Number(process.hrtime.bigint() - start) / 1e9), revision: rev });
        }
      }
      rev = current;
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

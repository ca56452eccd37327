// What a Kubernetes API server writes, under our prefix: objects created with
// "if CreateRevision(key)==0 then put", updated with "if ModRevision(key)==rev
// then put else get" (a failed compare is a conflict, counted, not an error),
// deleted likewise, events put with a lease (TTL), and node-lease updates, all
// at keys shaped /registry/<resource>/<namespace>/<name>.
import { randomBytes } from 'node:crypto';
import type { Range } from '../../options/spec.js';
import {
  type CompareTarget,
  decodeLeaseGrant,
  decodeTxn,
  encodeLeaseGrant,
  encodeLeaseRevoke,
  encodePutWithLease,
  encodeTxn,
  METHOD,
  type Op,
} from '../../etcd-grpc/messages/etcd.js';
import type { KubeMix } from '../../options/kube-mix.js';
import type { Call, LoadWorkload, Outcome, Request } from './workload.js';

export const KUBE_KINDS = ['create', 'update', 'delete', 'event', 'node-lease'] as const;
export type KubeKind = (typeof KUBE_KINDS)[number];

export interface KubeOptions {
  prefix: string;
  /** Relative weights of create, update, delete and event. */
  mix: KubeMix;
  objects: number;
  nodes: number;
  valueSize: Range;
  eventTtlSeconds: number;
  /** Target requests/s (0: closed loop), to give node leases their 1-per-10-s share. */
  rate: number;
  /** Which thread of the run this is: event names carry it, so they never collide. */
  instance?: number;
  /** Threads in the run: each owns the objects whose index is its instance modulo this (default 1). */
  instances?: number;
  /** Objects created before the load starts (prepare), as the cluster sized by --like holds them. */
  prefill?: number;
}

/** Creates in flight while prefilling: enough for etcd to batch them into few fsyncs. */
const PREFILL_IN_FLIGHT = 64;

interface ObjectState {
  /** 0: not created (as far as we know). */
  modRevision: number;
}

/**
 * A transaction as kube-apiserver sends it: if `target` of `key` == `revision` then `op` else get the key; its answer
 * updates what we know of the key's revision (`set`), and a failed compare is a conflict.
 */
function txn(
  kind: KubeKind,
  key: string,
  target: CompareTarget,
  revision: number,
  op: Op,
  set: (succeeded: boolean, revision: number) => void,
): Request {
  return {
    kind,
    method: METHOD.txn,
    message: encodeTxn(key, target, revision, op, { range: key }),
    answer: (response): Outcome => {
      const a = decodeTxn(response);
      set(a.succeeded, a.succeeded ? a.revision : a.rangeModRevision);
      return a.succeeded ? 'ok' : 'conflict';
    },
  };
}

/** The kube workload; prepare() grants the events' lease, finish() revokes it (deleting the events). */
export function kubeWorkload(o: KubeOptions): LoadWorkload {
  const pool = randomBytes(o.valueSize.max + 1);
  const value = () =>
    pool.subarray(0, o.valueSize.min + Math.floor(Math.random() * (o.valueSize.max - o.valueSize.min + 1)));
  const objects: ObjectState[] = Array.from({ length: o.objects }, () => ({ modRevision: 0 }));
  const nodes: ObjectState[] = Array.from({ length: o.nodes }, () => ({ modRevision: 0 }));
  const leasesPerSec = o.nodes / 10;
  const leaseShare = o.nodes === 0 ? 0 : o.rate > 0 ? Math.min(1, leasesPerSec / o.rate) : 0.05;
  const weights = Object.entries(o.mix) as [KubeKind, number][];
  const sum = weights.reduce((a, [, w]) => a + w, 0);
  let leaseId = 0n;
  let eventSeq = 0;
  const key = (resource: string, ns: string, name: string) => `${o.prefix}registry/${resource}/${ns}/${name}`;
  const objectKey = (i: number) => key('pods', `ns-${i % 20}`, `pod-${i}`);
  // This thread's objects: index instance, instance + instances, ... (its own, so what it knows of them is true).
  const of = o.instances ?? 1;
  const own = o.instance ?? 0;
  const owned = Math.max(1, Math.floor((o.objects - own + of - 1) / of));
  const pick = () => Math.min(o.objects - 1, own + of * Math.floor(Math.random() * owned));
  // A create's name: one deleted by this thread, else one never written (after the prefilled ones), else any (it
  // conflicts, as an API server's create of a name taken does).
  const freed: number[] = [];
  let fresh = own;
  const newName = () => {
    const again = freed.pop();
    if (again !== undefined) return again;
    if (fresh < o.objects) {
      const i = fresh;
      fresh += of;
      return i;
    }
    return pick();
  };
  const create = (i: number): Request => {
    const k = objectKey(i);
    return txn('create', k, 'create', 0, { put: { key: k, value: value() } }, (_, rev) => {
      objects[i]!.modRevision = rev;
    });
  };

  const update = (k: string, s: ObjectState, kind: KubeKind): Request =>
    txn(kind, k, 'mod', s.modRevision, { put: { key: k, value: value() } }, (_, rev) => {
      s.modRevision = rev;
    });
  const requests: Record<Exclude<KubeKind, 'node-lease'>, () => Request> = {
    create: () => create(newName()),
    update: () => {
      const i = pick();
      return update(objectKey(i), objects[i]!, 'update');
    },
    delete: () => {
      const i = pick();
      const k = objectKey(i);
      const s = objects[i]!;
      return txn('delete', k, 'mod', s.modRevision, { delete: k }, (deleted, rev) => {
        s.modRevision = deleted ? 0 : rev;
        if (deleted) freed.push(i);
      });
    },
    event: () => {
      const k = key(
        'events',
        `ns-${eventSeq % 20}`,
        `pod-${eventSeq % o.objects}.${o.instance ?? 0}-${(eventSeq++).toString(16)}`,
      );
      return { kind: 'event', method: METHOD.put, message: encodePutWithLease(k, value(), leaseId) };
    },
  };
  return {
    name: 'kube',
    prefix: o.prefix,
    async prepare(call: Call) {
      const granted = decodeLeaseGrant(await call(METHOD.leaseGrant, encodeLeaseGrant(o.eventTtlSeconds)));
      if (granted.error !== '' || granted.id === 0n)
        throw new Error(`etcd granted no lease for the events: ${granted.error || 'no id'}`);
      leaseId = granted.id;
      // The cluster's objects, written before the load: each create's answer records the object's revision.
      const prefill = Math.min(o.prefill ?? 0, o.objects);
      const worker = async () => {
        while (fresh < prefill) {
          const i = fresh;
          fresh += of;
          const r = create(i);
          if (r.answer!(await call(r.method, r.message)) === 'conflict')
            throw new Error(`prefill: ${objectKey(i)} already exists under the run's own prefix`);
        }
      };
      await Promise.all(Array.from({ length: PREFILL_IN_FLIGHT }, worker));
    },
    async finish(call: Call) {
      if (leaseId !== 0n) await call(METHOD.leaseRevoke, encodeLeaseRevoke(leaseId));
    },
    next(): Request {
      if (Math.random() < leaseShare) {
        const n = Math.floor(Math.random() * o.nodes);
        return update(key('leases', 'kube-node-lease', `node-${n}`), nodes[n]!, 'node-lease');
      }
      let r = Math.random() * sum;
      for (const [kind, w] of weights) {
        r -= w;
        if (r < 0) return requests[kind as Exclude<KubeKind, 'node-lease'>]();
      }
      return requests.update();
    },
  };
}

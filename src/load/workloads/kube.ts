// What a Kubernetes API server sends etcd (k8s.io/apiserver's etcd3 store and
// lease manager; docs/load.md), under our prefix, at keys shaped
// /registry/<resource>/<namespace>/<name>:
// - create: "if ModRevision(key)==0 then put", no else; a name taken is then
//   read (the registry's get) and counted a conflict;
// - update: "if ModRevision(key)==rev then put else get" (a failed compare is
//   a conflict, counted, not an error);
// - delete: the registry's get (a limit-1 range), then "if ModRevision==rev
//   then delete else get";
// - events: creates with a lease, a new lease granted (for the TTL plus the
//   reuse time) each minute or after 1,000 events, as its lease manager does;
// - node-lease updates, each node every 10 s;
// - list: a consistent LIST's limit-1 range of the resource's prefix.
import { randomBytes } from 'node:crypto';
import type { Range } from '../../options/spec.js';
import {
  decodeLeaseGrant,
  decodeRange,
  decodeTxn,
  encodeLeaseGrant,
  encodeLeaseRevoke,
  encodeRange,
  METHOD,
} from '../../etcd-grpc/messages/etcd.js';
import { encodeTxn, type Op } from '../../etcd-grpc/messages/txn.js';
import type { KubeMix } from '../../options/kube-mix.js';
import { WATCHED_RESOURCES } from './kube-watched.js';
import { type Call, callThrough, type LoadWorkload, type Outcome, type Request } from './workload.js';

export const KUBE_KINDS = ['create', 'update', 'delete', 'event', 'node-lease', 'list'] as const;
export type KubeKind = (typeof KUBE_KINDS)[number];

export interface KubeOptions {
  prefix: string;
  /** Relative weights of create, update, delete, event and list. */
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
  /** Watches held as an API server's watch cache holds them, the first this many of WATCHED_RESOURCES (0: none). */
  watches?: number;
}

/** Creates in flight while prefilling: enough for etcd to batch them into few fsyncs. */
const PREFILL_IN_FLIGHT = 64;

/** kube-apiserver's lease manager: a lease is reused for 5 % of the TTL, at most 60 s, and for 1,000 objects. */
const LEASE_REUSE = { share: 0.05, maxSeconds: 60, maxObjects: 1000 } as const;

/** How long one events' lease is reused (seconds) for a TTL: min(5 % of it, 60 s). */
const leaseReuseSeconds = (ttlSeconds: number) => Math.min(LEASE_REUSE.maxSeconds, ttlSeconds * LEASE_REUSE.share);

interface ObjectState {
  /** 0: not created (as far as we know). */
  modRevision: number;
}

/**
 * A transaction as kube-apiserver sends it: if the mod revision of `key` == `revision` then `op` else get the key; its
 * answer updates what we know of the key's revision (`set`), and a failed compare is a conflict.
 */
function txn(
  kind: KubeKind,
  key: string,
  revision: number,
  op: Op,
  set: (succeeded: boolean, revision: number) => void,
): Request {
  return {
    kind,
    method: METHOD.txn,
    message: encodeTxn(key, 'mod', revision, op, { range: key }),
    answer: (response): Outcome => {
      const a = decodeTxn(response);
      set(a.succeeded, a.succeeded ? a.revision : a.rangeModRevision);
      return a.succeeded ? 'ok' : 'conflict';
    },
  };
}

/** The registry's get of `key` (a limit-1 range); `then` reads the mod revision found (0: none). */
function get(kind: KubeKind, key: string, then: (modRevision: number) => Outcome | Request): Request {
  return {
    kind,
    method: METHOD.range,
    message: encodeRange(key, { limit: 1 }),
    answer: (response) => then(decodeRange(response).modRevision),
  };
}

/**
 * A create as kube-apiserver sends it: if the key's mod revision is 0 then put (with `lease`), no else. A name taken
 * is read back (the registry's get, to tell a conflict from an object being deleted) and counted a conflict.
 */
function create(kind: KubeKind, key: string, value: Buffer, lease: bigint, set: (revision: number) => void): Request {
  return {
    kind,
    method: METHOD.txn,
    message: encodeTxn(key, 'mod', 0, { put: { key, value, lease } }, null),
    answer: (response) => {
      const a = decodeTxn(response);
      if (a.succeeded) {
        set(a.revision);
        return 'ok';
      }
      return get(kind, key, (rev) => {
        set(rev);
        return 'conflict';
      });
    },
  };
}

/** The events' leases as kube-apiserver's lease manager keeps them: one reused for a while, every one granted kept. */
function eventLeases(ttlSeconds: number) {
  const reuseMs = leaseReuseSeconds(ttlSeconds) * 1000;
  let id = 0n;
  let grantedAt = Number.NEGATIVE_INFINITY;
  let attached = 0;
  let askedAt = Number.NEGATIVE_INFINITY;
  const granted: bigint[] = [];
  return {
    granted,
    /** The lease for the next event, or null when a new one must be granted first. */
    current(): bigint | null {
      const now = performance.now();
      const stale = attached >= LEASE_REUSE.maxObjects || now - grantedAt >= reuseMs;
      // While a new one is being granted (for at most 10 s), the old one serves.
      const pending = askedAt > grantedAt && now - askedAt < 10_000;
      if (id === 0n || (stale && !pending)) return null;
      attached++;
      return id;
    },
    /** A LeaseGrant for the TTL plus the reuse time; its answer makes it current, then `then(id)` follows. */
    grant(kind: KubeKind, then: (lease: bigint) => Outcome | Request): Request {
      askedAt = performance.now();
      return {
        kind,
        method: METHOD.leaseGrant,
        message: encodeLeaseGrant(Math.ceil(ttlSeconds + reuseMs / 1000)),
        answer: (response) => {
          const g = decodeLeaseGrant(response);
          if (g.error !== '' || g.id === 0n) throw new Error(`etcd granted no lease for the events: ${g.error}`);
          id = g.id;
          grantedAt = performance.now();
          attached = 1;
          granted.push(g.id);
          return then(g.id);
        },
      };
    },
  };
}

/** The kube workload; finish() revokes the events' leases (deleting the events). */
export function kubeWorkload(o: KubeOptions): LoadWorkload {
  const pool = randomBytes(o.valueSize.max + 1);
  const value = () =>
    pool.subarray(0, o.valueSize.min + Math.floor(Math.random() * (o.valueSize.max - o.valueSize.min + 1)));
  const objects: ObjectState[] = Array.from({ length: o.objects }, () => ({ modRevision: 0 }));
  const nodes: ObjectState[] = Array.from({ length: o.nodes }, () => ({ modRevision: 0 }));
  const leasesPerSec = o.nodes / 10;
  const leaseShare = o.nodes === 0 ? 0 : o.rate > 0 ? Math.min(1, leasesPerSec / o.rate) : 0.05;
  const weights = Object.entries(o.mix).filter(([, w]) => w > 0) as [keyof KubeMix, number][];
  const sum = weights.reduce((a, [, w]) => a + w, 0);
  const leases = eventLeases(o.eventTtlSeconds);
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
  const createObject = (i: number): Request =>
    create('create', objectKey(i), value(), 0n, (rev) => {
      objects[i]!.modRevision = rev;
    });
  const update = (k: string, s: ObjectState, kind: KubeKind): Request =>
    txn(kind, k, s.modRevision, { put: { key: k, value: value() } }, (_, rev) => {
      s.modRevision = rev;
    });
  const event = (lease: bigint): Request => {
    const n = eventSeq++;
    const k = key('events', `ns-${n % 20}`, `pod-${n % o.objects}.${o.instance ?? 0}-${n.toString(16)}`);
    return create('event', k, value(), lease, () => undefined);
  };
  const requests: Record<keyof KubeMix, () => Request> = {
    create: () => createObject(newName()),
    update: () => {
      const i = pick();
      return update(objectKey(i), objects[i]!, 'update');
    },
    // The registry reads the object, then deletes it on that revision; one already gone is a 404 (a conflict).
    delete: () => {
      const i = pick();
      const k = objectKey(i);
      const s = objects[i]!;
      return get('delete', k, (rev) => {
        s.modRevision = rev;
        if (rev === 0) return 'conflict';
        return txn('delete', k, rev, { delete: k }, (deleted, now) => {
          s.modRevision = deleted ? 0 : now;
          if (deleted) freed.push(i);
        });
      });
    },
    event: () => {
      const lease = leases.current();
      return lease === null ? leases.grant('event', event) : event(lease);
    },
    // A consistent LIST: the revision read (a limit-1 range), then the watch asked for progress up to it; served from
    // the watch cache after that, which etcd never sees.
    list: () => ({
      kind: 'list',
      method: METHOD.range,
      message: encodeRange(key('pods', `ns-${Math.floor(Math.random() * 20)}`, ''), { prefix: true, limit: 1 }),
      answer: () => {
        if (podsWatch >= 0) watches?.requestProgress(podsWatch);
        return 'ok';
      },
    }),
  };
  // Each watch an API server's cache holds, on our prefix; only the run's first thread holds them (one API server).
  const watchPrefixes =
    (o.instance ?? 0) === 0 ? WATCHED_RESOURCES.slice(0, o.watches ?? 0).map((r) => `${o.prefix}registry/${r}/`) : [];
  const podsWatch = watchPrefixes.indexOf(`${o.prefix}registry/pods/`);
  let watches: { requestProgress(k: number): void } | null = null;
  return {
    name: 'kube',
    prefix: o.prefix,
    watchPrefixes,
    watching: (w) => {
      watches = w;
    },
    async prepare(call: Call) {
      // The first events' lease, so that events never wait on a grant while none is current (the lease manager's
      // lock makes them wait on one grant; here each would ask for its own).
      await callThrough(
        call,
        leases.grant('event', () => 'ok'),
      );
      // The cluster's objects, written before the load: each create's answer records the object's revision.
      const prefill = Math.min(o.prefill ?? 0, o.objects);
      const worker = async () => {
        while (fresh < prefill) {
          const i = fresh;
          fresh += of;
          if ((await callThrough(call, createObject(i))) === 'conflict')
            throw new Error(`prefill: ${objectKey(i)} already exists under the run's own prefix`);
        }
      };
      await Promise.all(Array.from({ length: PREFILL_IN_FLIGHT }, worker));
    },
    async finish(call: Call) {
      for (const id of leases.granted) await call(METHOD.leaseRevoke, encodeLeaseRevoke(id));
    },
    next(): Request {
      if (Math.random() < leaseShare) {
        const n = Math.floor(Math.random() * o.nodes);
        return update(key('leases', 'kube-node-lease', `node-${n}`), nodes[n]!, 'node-lease');
      }
      let r = Math.random() * sum;
      for (const [kind, w] of weights) {
        r -= w;
        if (r < 0) return requests[kind]();
      }
      return requests.update();
    },
  };
}

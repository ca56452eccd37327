// The kube profile's mix carried by a real kube-apiserver through its REST
// API, at a rate (bench:apiserver): ConfigMaps, Secrets and Pods created,
// updated (PUT with the resourceVersion last seen: the server's
// GuaranteedUpdate) and deleted; Events; node Lease renewals, each node every
// 10 s; consistent LISTs (no resourceVersion). Objects are sized so that what
// etcd stores under /registry matches the profile's value sizes.
import type { KubeMix } from '../src/options/kube-mix.js';
import type { Range } from '../src/options/spec.js';
import type { Answer, ApiClient } from '../test/helpers/kube-apiserver.js';
import { objectBody, RESOURCES, type Resource } from './apiserver-objects.js';

export interface DriverTarget {
  url: string;
  token: string;
  ca: string;
}

export interface DriverOptions {
  rate: number;
  runtimeMs: number;
  mix: KubeMix;
  objects: number;
  nodes: number;
  /** What etcd should store per object (bytes). */
  valueSize: Range;
  /** Bytes etcd stores for an object with an empty payload, per resource (measured by the caller). */
  overhead: Record<Resource | 'events', number>;
  prefill: number;
  inFlight?: number;
  /** Called once the prefill is written, just before the load. */
  atStart?: () => Promise<void>;
}

export type DriverKind = 'create' | 'update' | 'delete' | 'event' | 'node-lease' | 'list';

export interface DriverResult {
  requests: number;
  byKind: Record<DriverKind, { ok: number; conflict: number; failed: number }>;
  /** Requests not sent on time because `inFlight` were outstanding. */
  skipped: number;
  firstErrors: string[];
  elapsedMs: number;
}

const NAMESPACES = 20;

type Obj = { metadata: { name: string; namespace: string; resourceVersion?: string } } & Record<string, unknown>;

const path = (r: Resource | 'events' | 'leases', ns: string, name = '') => {
  const group = r === 'leases' ? '/apis/coordination.k8s.io/v1' : '/api/v1';
  return `${group}/namespaces/${ns}/${r}${name ? `/${name}` : ''}`;
};

/** The namespaces the objects live in, and the nodes' leases; returns the leases as created. */
export async function prepareCluster(api: ApiClient, o: Pick<DriverOptions, 'nodes'>): Promise<Obj[]> {
  for (let i = 0; i < NAMESPACES; i++) {
    const a = await api.call('POST', '/api/v1/namespaces', { metadata: { name: `ns-${i}` } });
    if (a.status !== 201 && a.status !== 409)
      throw new Error(`namespace ns-${i}: ${a.status} ${JSON.stringify(a.body)}`);
  }
  const leases: Obj[] = [];
  for (let n = 0; n < o.nodes; n++) {
    const a = await api.call('POST', path('leases', 'kube-node-lease'), leaseBody(`node-${n}`));
    if (a.status !== 201) throw new Error(`lease node-${n}: ${a.status} ${JSON.stringify(a.body)}`);
    leases.push(a.body as Obj);
  }
  return leases;
}

function leaseBody(name: string, from?: Obj): Obj {
  const now = new Date().toISOString().replace(/\.(\d{3})\d*Z$/, '.$1000Z');
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { ...(from?.metadata ?? { name, namespace: 'kube-node-lease' }) },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: now },
  };
}

/** Runs the mix for `runtimeMs` at `rate`, after creating `prefill` objects. */
export async function driveMix(api: ApiClient, leases: Obj[], o: DriverOptions): Promise<DriverResult> {
  const objects: (Obj | null)[] = Array.from({ length: o.objects }, () => null);
  const resourceOf = (i: number): Resource => RESOURCES[i % RESOURCES.length]!;
  const ns = (i: number) => `ns-${i % NAMESPACES}`;
  const size = (r: Resource | 'events') => {
    const target = o.valueSize.min + Math.floor(Math.random() * (o.valueSize.max - o.valueSize.min + 1));
    return Math.max(0, target - o.overhead[r]);
  };
  const byKind = Object.fromEntries(
    (['create', 'update', 'delete', 'event', 'node-lease', 'list'] as const).map((k) => [
      k,
      { ok: 0, conflict: 0, failed: 0 },
    ]),
  ) as DriverResult['byKind'];
  const firstErrors: string[] = [];
  const count = (kind: DriverKind, a: Answer, ok: number[]) => {
    if (ok.includes(a.status)) byKind[kind].ok++;
    else if (a.status === 409 || a.status === 404) byKind[kind].conflict++;
    else {
      byKind[kind].failed++;
      if (firstErrors.length < 5) firstErrors.push(`${kind}: ${a.status} ${JSON.stringify(a.body).slice(0, 200)}`);
    }
    return ok.includes(a.status);
  };
  const create = async (i: number) => {
    const r = resourceOf(i);
    const a = await api.call('POST', path(r, ns(i)), objectBody(r, ns(i), `obj-${i}`, size(r)));
    if (count('create', a, [201])) objects[i] = a.body as Obj;
  };
  const update = async (i: number) => {
    const cur = objects[i];
    if (!cur) return create(i);
    const r = resourceOf(i);
    const body = objectBody(r, ns(i), cur.metadata.name, size(r));
    body.metadata.resourceVersion = cur.metadata.resourceVersion;
    const a = await api.call('PUT', path(r, ns(i), cur.metadata.name), body);
    if (count('update', a, [200])) objects[i] = a.body as Obj;
    else if (a.status === 404) objects[i] = null;
  };
  const remove = async (i: number) => {
    const cur = objects[i];
    if (!cur) return create(i);
    const a = await api.call('DELETE', path(resourceOf(i), ns(i), cur.metadata.name));
    if (count('delete', a, [200, 202]) || a.status === 404) {
      objects[i] = null;
      freed.push(i);
    }
  };
  let eventSeq = 0;
  const event = async () => {
    const n = eventSeq++;
    const a = await api.call(
      'POST',
      path('events', ns(n)),
      objectBody('events', ns(n), `obj-${n % o.objects}.${n.toString(16)}`, size('events')),
    );
    count('event', a, [201]);
  };
  const renew = async () => {
    const n = Math.floor(Math.random() * leases.length);
    const a = await api.call('PUT', path('leases', 'kube-node-lease', `node-${n}`), leaseBody(`node-${n}`, leases[n]));
    if (count('node-lease', a, [200])) leases[n] = a.body as Obj;
  };
  const list = async () => {
    const i = Math.floor(Math.random() * o.objects);
    count('list', await api.call('GET', path(resourceOf(i), ns(i))), [200]);
  };
  const pick = () => Math.floor(Math.random() * o.objects);
  // A create's name, as the kube workload picks it: one deleted, else one never written, else any (a 409).
  const freed: number[] = [];
  let fresh = 0;
  const newName = () => freed.pop() ?? (fresh < o.objects ? fresh++ : pick());
  // Prefill: the cluster's objects before the load, 32 creates in flight.
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < Math.min(o.prefill, o.objects)) await create(next++);
      fresh = next;
    }),
  );
  for (const k of Object.values(byKind)) Object.assign(k, { ok: 0, conflict: 0, failed: 0 });
  await o.atStart?.();
  const weights = Object.entries(o.mix) as [keyof DriverOptions['mix'], number][];
  const sum = weights.reduce((a, [, w]) => a + w, 0);
  const leaseShare = o.nodes === 0 ? 0 : Math.min(1, o.nodes / 10 / o.rate);
  const one = (): Promise<unknown> => {
    if (Math.random() < leaseShare) return renew();
    let x = Math.random() * sum;
    for (const [kind, w] of weights) {
      x -= w;
      if (x >= 0) continue;
      if (kind === 'create') return create(newName());
      if (kind === 'delete') return remove(pick());
      if (kind === 'event') return event();
      if (kind === 'list') return list();
      break;
    }
    return update(pick());
  };
  // The kubelet's readiness probe, as kubeadm sets it (/readyz every second): its etcd check reads etcd.
  const probe = setInterval(() => void api.call('GET', '/readyz').catch(() => undefined), 1000);
  try {
    return await pace(one, o, byKind, firstErrors);
  } finally {
    clearInterval(probe);
  }
}

/** Sends `one()` at `o.rate` for `o.runtimeMs` (open loop, at most `inFlight` outstanding); waits for the rest. */
async function pace(
  one: () => Promise<unknown>,
  o: DriverOptions,
  byKind: DriverResult['byKind'],
  firstErrors: string[],
): Promise<DriverResult> {
  const limit = o.inFlight ?? 128;
  let sent = 0;
  let skipped = 0;
  let inFlight = 0;
  const pending = new Set<Promise<unknown>>();
  const t0 = performance.now();
  while (performance.now() - t0 < o.runtimeMs) {
    const due = Math.floor(((performance.now() - t0) / 1000) * o.rate);
    for (; sent + skipped < due; ) {
      if (inFlight >= limit) {
        skipped++;
        continue;
      }
      sent++;
      inFlight++;
      const p: Promise<unknown> = one()
        .catch((e: unknown) => {
          if (firstErrors.length < 5) firstErrors.push(String(e));
        })
        .finally(() => {
          inFlight--;
          pending.delete(p);
        });
      pending.add(p);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(pending);
  return { requests: sent, byKind, skipped, firstErrors, elapsedMs: performance.now() - t0 };
}

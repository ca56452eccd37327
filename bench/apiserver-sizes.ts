// What etcd stores for an object the API server writes with an empty payload
// (metadata, managed fields, the protobuf envelope), read back from etcd's
// JSON gateway: the driver subtracts it, so that stored values match the kube
// profile's sizes.
import type { ApiClient } from '../test/helpers/kube-apiserver.js';
import { objectBody, RESOURCES, type Resource } from './apiserver-objects.js';

/** The stored bytes of `key`, from etcd's gRPC gateway (/v3/kv/range). */
export async function storedBytes(endpoint: string, key: string): Promise<number> {
  const res = await fetch(`${endpoint}/v3/kv/range`, {
    method: 'POST',
    body: JSON.stringify({ key: Buffer.from(key).toString('base64') }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = (await res.json()) as { kvs?: { value?: string }[] };
  const value = body.kvs?.[0]?.value;
  if (value === undefined) throw new Error(`etcd holds no ${key}`);
  return Buffer.from(value, 'base64').length;
}

/** Creates one probe of each kind with no payload in ns-0, reads its stored size, deletes it. */
export async function measureOverhead(api: ApiClient, endpoint: string): Promise<Record<Resource | 'events', number>> {
  const out = {} as Record<Resource | 'events', number>;
  for (const r of [...RESOURCES, 'events'] as const) {
    const path = `/api/v1/namespaces/ns-0/${r}`;
    const a = await api.call('POST', path, objectBody(r, 'ns-0', 'probe', 0));
    if (a.status !== 201) throw new Error(`probe ${r}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`);
    out[r] = await storedBytes(endpoint, `/registry/${r}/ns-0/probe`);
    await api.call('DELETE', `${path}/probe`);
  }
  return out;
}

// The objects bench:apiserver writes through a real API server, each with a
// payload of a given size (a ConfigMap's data, a Secret's data, a Pod's
// annotation, an Event's message), so that what etcd stores can be sized.

export const RESOURCES = ['configmaps', 'secrets', 'pods'] as const;
export type Resource = (typeof RESOURCES)[number];

export type Body = {
  metadata: { name: string; namespace: string; resourceVersion?: string; annotations?: Record<string, string> };
} & Record<string, unknown>;

const filler = (n: number) => 'x'.repeat(n);

/** The JSON a create or update sends: `resource` named `name` in `ns` with `payload` bytes of its own. */
export function objectBody(resource: Resource | 'events', ns: string, name: string, payload: number): Body {
  const metadata = { name, namespace: ns };
  switch (resource) {
    case 'configmaps':
      return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { v: filler(payload) } };
    case 'secrets':
      // base64 on the wire; etcd holds the decoded bytes.
      return { apiVersion: 'v1', kind: 'Secret', metadata, data: { v: Buffer.alloc(payload, 120).toString('base64') } };
    case 'pods':
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { ...metadata, annotations: { pad: filler(payload) } },
        spec: { containers: [{ name: 'c', image: 'registry.invalid/pause:1' }] },
      };
    case 'events':
      return {
        apiVersion: 'v1',
        kind: 'Event',
        metadata,
        involvedObject: { kind: 'Pod', namespace: ns, name: name.split('.')[0] },
        reason: 'Bench',
        message: filler(payload),
        type: 'Normal',
        source: { component: 'etcd-disk-bench' },
      };
  }
}

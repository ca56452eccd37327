// etcd's Watch messages as kube-apiserver's watch cache sends them, by hand
// from etcd's rpc.proto (field numbers as there): a prefix watch with PrevKV
// and progress notify, a progress request, and what the load reads of a
// WatchResponse (its watch id, created or canceled, how many events, the
// header's revision).
import { bytes, encode, FieldReader, varint } from './protobuf.js';
import { headerRevision, prefixEnd } from './etcd.js';

export const WATCH_METHOD = '/etcdserverpb.Watch/Watch';

/** A WatchRequest creating a watch of every key under `prefix`, with the previous KV and progress notify. */
export function encodeWatchCreate(
  prefix: string,
  o: { prevKv: boolean; progressNotify: boolean; startRevision?: number },
) {
  const create = encode([
    ...bytes(1, prefix),
    ...bytes(2, prefixEnd(prefix)),
    ...varint(3, o.startRevision ?? 0),
    ...varint(4, o.progressNotify ? 1 : 0),
    ...varint(6, o.prevKv ? 1 : 0),
  ]);
  return encode(bytes(1, create, true));
}

/** A WatchRequest asking for a progress notification (kube-apiserver's RequestWatchProgress). */
export function encodeWatchProgress(): Buffer {
  return encode(bytes(3, Buffer.alloc(0), true));
}

export interface WatchAnswer {
  watchId: number;
  created: boolean;
  canceled: boolean;
  /** Events in it (0 in a progress notification). */
  events: number;
  /** The header's revision. */
  revision: number;
}

/** What the load reads of a WatchResponse. */
export function decodeWatchResponse(msg: Buffer): WatchAnswer {
  const out: WatchAnswer = { watchId: 0, created: false, canceled: false, events: 0, revision: 0 };
  const r = new FieldReader(msg);
  while (r.next()) {
    if (r.no === 1 && r.wire === 2) out.revision = headerRevision(r);
    else if (r.no === 2 && r.wire === 0) out.watchId = r.int64();
    else if (r.no === 3 && r.wire === 0) out.created = r.value !== 0;
    else if (r.no === 4 && r.wire === 0) out.canceled = r.value !== 0;
    else if (r.no === 11) out.events++;
  }
  return out;
}

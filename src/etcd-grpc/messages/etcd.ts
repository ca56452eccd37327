// The etcd v3 messages the load sends and the parts of the answers it reads,
// by hand from etcd's rpc.proto and kv.proto (field numbers as there): the
// kube workload's transactions (compare, then put or delete, else range),
// puts with a lease, leases granted and revoked, and password authentication.
// Tested byte for byte against the protobuf definitions etcd3 ships.
import { bytes, encode, type Field, FieldReader, varint } from './protobuf.js';

/** The gRPC methods the load calls. */
export const METHOD = {
  put: '/etcdserverpb.KV/Put',
  range: '/etcdserverpb.KV/Range',
  deleteRange: '/etcdserverpb.KV/DeleteRange',
  txn: '/etcdserverpb.KV/Txn',
  leaseGrant: '/etcdserverpb.Lease/LeaseGrant',
  leaseRevoke: '/etcdserverpb.Lease/LeaseRevoke',
  status: '/etcdserverpb.Maintenance/Status',
  authenticate: '/etcdserverpb.Auth/Authenticate',
} as const;
export type Method = (typeof METHOD)[keyof typeof METHOD];

/** A PutRequest's bytes: key (field 1) and value (field 2), each tag, length, bytes. The put path's hot encoder. */
export function encodePut(key: Buffer | string, value: Buffer): Buffer {
  const k = typeof key === 'string' ? Buffer.from(key) : key;
  const out = Buffer.allocUnsafe(putHeaderLength(k.length) + k.length + putHeaderLength(value.length) + value.length);
  let at = writeField(out, 0, 0x0a, k.length);
  at += k.copy(out, at);
  at = writeField(out, at, 0x12, value.length);
  value.copy(out, at);
  return out;
}

/** The bytes before a length-delimited field's content: its one-byte tag and its length as a varint. */
export function putHeaderLength(length: number): number {
  let n = 2;
  for (let l = length; l >= 0x80; l >>>= 7) n++;
  return n;
}

/** Writes a length-delimited field's tag and length at `at`; returns where its content starts. */
export function writeField(out: Buffer, at: number, tag: number, length: number): number {
  let p = at;
  out[p++] = tag;
  let l = length;
  while (l >= 0x80) {
    out[p++] = (l & 0x7f) | 0x80;
    l >>>= 7;
  }
  out[p++] = l;
  return p;
}

/** PutRequest fields: key, value, lease (an int64 id, as a decimal string or bigint). */
function putFields(key: Buffer | string, value: Buffer, lease?: bigint): Field[] {
  return [...bytes(1, key), ...bytes(2, value), ...varint(3, lease ?? 0n)];
}

/** A PutRequest with a lease. */
export function encodePutWithLease(key: Buffer | string, value: Buffer, lease: bigint): Buffer {
  return encode(putFields(key, value, lease));
}

/** The key just past every key that starts with `prefix` (etcd's range_end for a prefix). */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  let i = end.length - 1;
  while (i >= 0 && end[i] === 0xff) i--;
  if (i < 0) return Buffer.from([0]);
  end[i]! += 1;
  return end.subarray(0, i + 1);
}

/**
 * A RangeRequest: `key`, or every key under it as a prefix (`prefix`), at most `limit` of them (0: all), or only
 * their count (`countOnly`): kube-apiserver's get (limit 1), a consistent LIST's current revision (a prefix, limit
 * 1) and its per-resource object count (a prefix, count only).
 */
export function encodeRange(key: string, o: { prefix?: boolean; limit?: number; countOnly?: boolean } = {}): Buffer {
  return encode([
    ...bytes(1, key),
    ...(o.prefix ? bytes(2, prefixEnd(key)) : []),
    ...varint(3, o.limit ?? 0),
    ...varint(9, o.countOnly ? 1 : 0),
  ]);
}

/** What the load reads of a RangeResponse: the header's revision and the first kv's mod revision (0: none). */
export function decodeRange(msg: Buffer): { revision: number; modRevision: number } {
  return readRange(new FieldReader(msg));
}

function readRange(r: FieldReader): { revision: number; modRevision: number } {
  const out = { revision: 0, modRevision: 0 };
  let seen = false;
  while (r.next()) {
    if (r.no === 1 && r.wire === 2) out.revision = headerRevision(r);
    else if (r.no === 2 && r.wire === 2 && !seen) {
      seen = true;
      out.modRevision = kvModRevision(r.sub());
    }
  }
  return out;
}

/** What the load reads of a TxnResponse. */
export interface TxnAnswer {
  succeeded: boolean;
  /** The store's revision after the transaction (its header's). */
  revision: number;
  /** Else branch's range: the key's mod revision, 0 when the key does not exist. */
  rangeModRevision: number;
}

/** A ResponseHeader's revision, the current field of `r`. */
export function headerRevision(r: FieldReader): number {
  const h = r.sub();
  let revision = 0;
  while (h.next()) if (h.no === 3 && h.wire === 0) revision = h.int64();
  return revision;
}

/** A KeyValue's mod revision. */
function kvModRevision(kv: FieldReader): number {
  let found = 0;
  while (kv.next()) if (kv.no === 3 && kv.wire === 0) found = kv.int64();
  return found;
}

/** Reads a TxnResponse: succeeded, the header's revision, the else-range's mod revision. */
export function decodeTxn(msg: Buffer): TxnAnswer {
  const out: TxnAnswer = { succeeded: false, revision: 0, rangeModRevision: 0 };
  let first = true;
  const r = new FieldReader(msg);
  while (r.next()) {
    if (r.no === 1 && r.wire === 2) out.revision = headerRevision(r);
    else if (r.no === 2 && r.wire === 0) out.succeeded = r.value !== 0;
    else if (r.no === 3 && r.wire === 2 && first) {
      first = false;
      const op = r.sub();
      while (op.next()) if (op.no === 1 && op.wire === 2) out.rangeModRevision = readRange(op.sub()).modRevision;
    }
  }
  return out;
}

/** A LeaseGrantRequest for `ttlSeconds` (the server picks the id). */
export function encodeLeaseGrant(ttlSeconds: number): Buffer {
  return encode(varint(1, ttlSeconds));
}

/** A LeaseGrantResponse's id, and its error text (etcd sets one instead of failing the call in old versions). */
export function decodeLeaseGrant(msg: Buffer): { id: bigint; error: string } {
  let id = 0n;
  let error = '';
  const r = new FieldReader(msg);
  while (r.next()) {
    if (r.no === 2 && r.wire === 0) id = BigInt.asIntN(64, r.bigint());
    else if (r.no === 4 && r.wire === 2) error = r.bytes().toString();
  }
  return { id, error };
}

/** A LeaseRevokeRequest. */
export function encodeLeaseRevoke(id: bigint): Buffer {
  return encode(varint(1, id));
}

/** An AuthenticateRequest. */
export function encodeAuthenticate(name: string, password: string): Buffer {
  return encode([...bytes(1, name), ...bytes(2, password)]);
}

/** An AuthenticateResponse's token. */
export function decodeAuthenticate(msg: Buffer): string {
  let token = '';
  const r = new FieldReader(msg);
  while (r.next()) if (r.no === 2 && r.wire === 2) token = r.bytes().toString();
  return token;
}

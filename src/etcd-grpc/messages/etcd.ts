// The etcd v3 messages the load sends and the parts of the answers it reads,
// by hand from etcd's rpc.proto and kv.proto (field numbers as there): the
// kube workload's transactions (compare, then put or delete, else range),
// puts with a lease, leases granted and revoked, and password authentication.
// Tested byte for byte against the protobuf definitions etcd3 ships.
import { bytes, encode, type Field, int64, readFields, varint } from './protobuf.js';

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

/** Compare.target: what of the key a transaction compares (etcd's CompareTarget). */
export type CompareTarget = 'create' | 'mod';

/** A Compare: `target` of `key` == `revision` (result EQUAL, the zero value, is left out; the oneof member is not). */
function compare(key: Buffer | string, target: CompareTarget, revision: number): Buffer {
  const t = target === 'create' ? 1 : 2;
  const member = target === 'create' ? 5 : 6;
  return encode([...varint(2, t), ...bytes(3, key), ...varint(member, revision, true)]);
}

/** One RequestOp of a transaction. */
export type Op =
  | { put: { key: Buffer | string; value: Buffer; lease?: bigint } }
  | { range: Buffer | string }
  | { delete: Buffer | string };

function requestOp(op: Op): Buffer {
  if ('put' in op) return encode(bytes(2, encode(putFields(op.put.key, op.put.value, op.put.lease)), true));
  if ('range' in op) return encode(bytes(1, encode(bytes(1, op.range)), true));
  return encode(bytes(3, encode(bytes(1, op.delete)), true));
}

/** A TxnRequest: if `target` of `key` == `revision` then `then` else `otherwise` (kube-apiserver's shape). */
export function encodeTxn(
  key: Buffer | string,
  target: CompareTarget,
  revision: number,
  then: Op,
  otherwise: Op | null,
): Buffer {
  return encode([
    ...bytes(1, compare(key, target, revision), true),
    ...bytes(2, requestOp(then), true),
    ...(otherwise ? bytes(3, requestOp(otherwise), true) : []),
  ]);
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
  const out = { revision: 0, modRevision: 0 };
  readFields(msg, (no, v) => {
    if (no === 1 && v.bytes !== null) out.revision = headerRevision(v.bytes);
  });
  out.modRevision = firstModRevision(msg);
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

function headerRevision(header: Buffer): number {
  let revision = 0;
  readFields(header, (no, v) => {
    if (no === 3 && v.varint !== null) revision = int64(v.varint);
  });
  return revision;
}

/** The first kv's mod revision in a RangeResponse (0: none). */
function firstModRevision(range: Buffer): number {
  let found = 0;
  let seen = false;
  readFields(range, (no, v) => {
    if (no !== 2 || v.bytes === null || seen) return;
    seen = true;
    readFields(v.bytes, (k, kv) => {
      if (k === 3 && kv.varint !== null) found = int64(kv.varint);
    });
  });
  return found;
}

/** Reads a TxnResponse: succeeded, the header's revision, the else-range's mod revision. */
export function decodeTxn(msg: Buffer): TxnAnswer {
  const out: TxnAnswer = { succeeded: false, revision: 0, rangeModRevision: 0 };
  let first = true;
  readFields(msg, (no, v) => {
    if (no === 1 && v.bytes !== null) out.revision = headerRevision(v.bytes);
    else if (no === 2 && v.varint !== null) out.succeeded = v.varint !== 0n;
    else if (no === 3 && v.bytes !== null && first) {
      first = false;
      readFields(v.bytes, (op, r) => {
        if (op === 1 && r.bytes !== null) out.rangeModRevision = firstModRevision(r.bytes);
      });
    }
  });
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
  readFields(msg, (no, v) => {
    if (no === 2 && v.varint !== null) id = BigInt.asIntN(64, v.varint);
    else if (no === 4 && v.bytes !== null) error = v.bytes.toString();
  });
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
  readFields(msg, (no, v) => {
    if (no === 2 && v.bytes !== null) token = v.bytes.toString();
  });
  return token;
}

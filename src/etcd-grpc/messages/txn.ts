// etcd's TxnRequest in kube-apiserver's shape (one compare, one op, an
// optional else op), written in one pass into one buffer: the kube load sends
// one for nearly every request, so it is sized first and then written, with
// no field lists or nested buffers between. Field numbers from etcd's
// rpc.proto; zero scalars and empty bytes left out as proto3 encoders do,
// except a oneof member, which says which member is set.
import { varintLength, writeVarint } from './protobuf.js';

/** Compare.target: what of the key a transaction compares (etcd's CompareTarget). */
export type CompareTarget = 'create' | 'mod';

/** One RequestOp of a transaction. */
export type Op =
  | { put: { key: Buffer | string; value: Buffer; lease?: bigint } }
  | { range: Buffer | string }
  | { delete: Buffer | string };

const byteLength = (b: Buffer | string) => (typeof b === 'string' ? Buffer.byteLength(b) : b.length);
/** A length-delimited field of a field number under 16 (a one-byte tag), its content `len` bytes. */
const field = (len: number) => 1 + varintLength(len) + len;
const optional = (len: number) => (len === 0 ? 0 : field(len));

function opContent(op: Op): number {
  if ('put' in op) {
    const { key, value, lease } = op.put;
    return optional(byteLength(key)) + optional(value.length) + (lease ? 1 + varintLength(lease) : 0);
  }
  return optional(byteLength('range' in op ? op.range : op.delete));
}

function compareContent(key: Buffer | string, revision: number): number {
  return 2 + optional(byteLength(key)) + 1 + varintLength(revision);
}

/** A TxnRequest: if `target` of `key` == `revision` then `then` else `otherwise` (kube-apiserver's shape). */
export function encodeTxn(
  key: Buffer | string,
  target: CompareTarget,
  revision: number,
  then: Op,
  otherwise: Op | null,
): Buffer {
  const compare = compareContent(key, revision);
  const thenOp = field(opContent(then));
  const elseOp = otherwise ? field(opContent(otherwise)) : 0;
  const out = Buffer.allocUnsafe(field(compare) + field(thenOp) + (otherwise ? field(elseOp) : 0));
  let at = header(out, 0, 1, compare);
  at = header(out, at, 2, target === 'create' ? 1 : 2, 0);
  at = optionalBytes(out, at, 3, key);
  at = header(out, at, target === 'create' ? 5 : 6, revision, 0);
  at = writeOp(out, header(out, at, 2, thenOp), then);
  if (otherwise) at = writeOp(out, header(out, at, 3, elseOp), otherwise);
  if (at !== out.length) throw new Error(`TxnRequest sized ${out.length} bytes, written ${at}`);
  return out;
}

/** A field's tag (wire type 2, or 0 for a varint) and its length or value; returns where its content starts. */
function header(out: Buffer, at: number, no: number, n: number | bigint, wire = 2): number {
  out[at] = no * 8 + wire;
  return writeVarint(out, at + 1, n);
}

function optionalBytes(out: Buffer, at: number, no: number, b: Buffer | string): number {
  const len = byteLength(b);
  if (len === 0) return at;
  const p = header(out, at, no, len);
  return p + (typeof b === 'string' ? out.write(b, p) : b.copy(out, p));
}

function writeOp(out: Buffer, at: number, op: Op): number {
  if ('put' in op) {
    const { key, value, lease } = op.put;
    let p = header(out, at, 2, opContent(op));
    p = optionalBytes(out, p, 1, key);
    p = optionalBytes(out, p, 2, value);
    return lease ? header(out, p, 3, lease, 0) : p;
  }
  const [no, key] = 'range' in op ? [1, op.range] : [3, op.delete];
  return optionalBytes(out, header(out, at, no, opContent(op)), 1, key);
}

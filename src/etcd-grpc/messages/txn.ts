// etcd's TxnRequest in kube-apiserver's shape (one compare, one op, an
// optional else op), written in one pass into one buffer: the kube load sends
// one for nearly every request, so it is sized first and then written, with
// no field lists or nested buffers between. Field numbers from etcd's
// rpc.proto; zero scalars and empty bytes left out as proto3 encoders do,
// except a oneof member, which says which member is set.
import { putHeaderLength, writeField } from './etcd.js';
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
const field = (len: number) => putHeaderLength(len) + len;
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
  const thenContent = opContent(then);
  const elseContent = otherwise ? opContent(otherwise) : 0;
  const thenOp = field(thenContent);
  const elseOp = otherwise ? field(elseContent) : 0;
  const out = Buffer.allocUnsafe(field(compare) + field(thenOp) + (otherwise ? field(elseOp) : 0));
  let at = writeField(out, 0, tag(1), compare);
  at = varintField(out, at, 2, target === 'create' ? 1 : 2);
  at = optionalBytes(out, at, 3, key);
  at = varintField(out, at, target === 'create' ? 5 : 6, revision);
  at = writeOp(out, writeField(out, at, tag(2), thenOp), then, thenContent);
  if (otherwise) at = writeOp(out, writeField(out, at, tag(3), elseOp), otherwise, elseContent);
  if (at !== out.length) throw new Error(`TxnRequest sized ${out.length} bytes, written ${at}`);
  return out;
}

/** A length-delimited field's one-byte tag. */
const tag = (no: number) => no * 8 + 2;

/** A varint field (its one-byte tag, then the value); returns where the next field starts. */
function varintField(out: Buffer, at: number, no: number, n: number | bigint): number {
  out[at] = no * 8;
  return writeVarint(out, at + 1, n);
}

function optionalBytes(out: Buffer, at: number, no: number, b: Buffer | string): number {
  const len = byteLength(b);
  if (len === 0) return at;
  const p = writeField(out, at, tag(no), len);
  return p + (typeof b === 'string' ? out.write(b, p) : b.copy(out, p));
}

/** A RequestOp's member: `op` whose content (sized by opContent) is `content` bytes. */
function writeOp(out: Buffer, at: number, op: Op, content: number): number {
  if ('put' in op) {
    const { key, value, lease } = op.put;
    let p = writeField(out, at, tag(2), content);
    p = optionalBytes(out, p, 1, key);
    p = optionalBytes(out, p, 2, value);
    return lease ? varintField(out, p, 3, lease) : p;
  }
  const [no, key] = 'range' in op ? [1, op.range] : [3, op.delete];
  return optionalBytes(out, writeField(out, at, tag(no), content), 1, key);
}

// Protocol Buffers' wire format, as much of it as etcd's load messages use:
// varints (int64 as a number while it fits in 53 bits, else a bigint),
// length-delimited fields, and a reader that walks a message's fields.
// Zero-valued scalars are left out, as proto3 encoders do; a oneof member is
// written even when zero (it says which member is set).

const VARINT = 0;
const FIXED64 = 1;
const LENGTH = 2;
const FIXED32 = 5;

/** Bytes a varint of `n` takes (n >= 0, or a negative int64 as its two's complement: 10 bytes). */
function varintLength(n: number | bigint): number {
  if (typeof n === 'bigint') {
    let v = BigInt.asUintN(64, n);
    let len = 1;
    while (v >= 0x80n) {
      v >>= 7n;
      len++;
    }
    return len;
  }
  if (n < 0) return 10;
  let len = 1;
  let v = n;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    len++;
  }
  return len;
}

function writeVarint(out: Buffer, at: number, n: number | bigint): number {
  let p = at;
  if (typeof n === 'bigint' || n < 0) {
    let v = BigInt.asUintN(64, BigInt(n));
    while (v >= 0x80n) {
      out[p++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    out[p++] = Number(v);
    return p;
  }
  let v = n;
  while (v >= 0x80) {
    out[p++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  out[p++] = v;
  return p;
}

/** One field ready to be written: its tag and content. */
export type Field = { no: number; varint: number | bigint } | { no: number; bytes: Buffer };

/** A varint field; left out when zero unless `always` (a oneof member). */
export function varint(no: number, value: number | bigint, always = false): Field[] {
  return value === 0 || value === 0n ? (always ? [{ no, varint: 0 }] : []) : [{ no, varint: value }];
}

/** A length-delimited field (bytes, a string, or an encoded message); an empty one is left out unless `always`. */
export function bytes(no: number, value: Buffer | string, always = false): Field[] {
  const b = typeof value === 'string' ? Buffer.from(value) : value;
  return b.length === 0 && !always ? [] : [{ no, bytes: b }];
}

/** Encodes fields in the order given. */
export function encode(fields: Field[]): Buffer {
  let size = 0;
  for (const f of fields)
    size +=
      varintLength(f.no * 8) + ('bytes' in f ? varintLength(f.bytes.length) + f.bytes.length : varintLength(f.varint));
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const f of fields) {
    if ('bytes' in f) {
      at = writeVarint(out, at, f.no * 8 + LENGTH);
      at = writeVarint(out, at, f.bytes.length);
      at += f.bytes.copy(out, at);
    } else {
      at = writeVarint(out, at, f.no * 8 + VARINT);
      at = writeVarint(out, at, f.varint);
    }
  }
  return out;
}

/** A field as read: a varint's value, or a length-delimited field's bytes (a view into the message). */
export type Value = { varint: bigint; bytes: null } | { varint: null; bytes: Buffer };

/** Calls `on` for each field of `msg` in order; throws on a malformed message. Fixed-width fields are skipped. */
export function readFields(msg: Buffer, on: (no: number, v: Value) => void): void {
  let p = 0;
  const next = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (p >= msg.length) throw new Error('truncated varint');
      const b = msg[p++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return result;
      shift += 7n;
      if (shift > 63n) throw new Error('varint too long');
    }
  };
  while (p < msg.length) {
    const key = Number(next());
    const no = key >>> 3;
    const type = key & 7;
    if (type === VARINT) on(no, { varint: next(), bytes: null });
    else if (type === LENGTH) {
      const len = Number(next());
      if (p + len > msg.length) throw new Error('truncated field');
      on(no, { varint: null, bytes: msg.subarray(p, p + len) });
      p += len;
    } else if (type === FIXED64) p += 8;
    else if (type === FIXED32) p += 4;
    else throw new Error(`wire type ${type} not supported`);
    if (p > msg.length) throw new Error('truncated field');
  }
}

/** An int64 as read (two's complement) for a revision or a count: a number. */
export function int64(v: bigint): number {
  return Number(BigInt.asIntN(64, v));
}

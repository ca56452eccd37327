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
export function varintLength(n: number | bigint): number {
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

export function writeVarint(out: Buffer, at: number, n: number | bigint): number {
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

/**
 * Walks a message's fields in order without allocating: each `next()` moves to the next field and sets `no`,
 * `wire` and either `value` (a varint, exact while under 2^53; `bigint()` reads any exactly) or the bounds of a
 * length-delimited field's content in `buf`, [`start`, `end`). Fixed-width fields are skipped. Throws on a
 * malformed message. Reading the answers this way, rather than a value object and a view per field, is what keeps
 * the load's client from feeding the garbage collector on every reply.
 */
export class FieldReader {
  no = 0;
  wire = 0;
  value = 0;
  start = 0;
  end = 0;
  private p: number;
  private varintAt = 0;

  constructor(
    readonly buf: Buffer,
    from = 0,
    private readonly limit = buf.length,
  ) {
    this.p = from;
  }

  next(): boolean {
    for (;;) {
      if (this.p >= this.limit) return false;
      const key = this.readVarint();
      this.no = Math.floor(key / 8);
      this.wire = key % 8;
      if (this.wire === VARINT) {
        this.varintAt = this.p;
        this.value = this.readVarint();
        return true;
      }
      if (this.wire === LENGTH) {
        const len = this.readVarint();
        if (this.p + len > this.limit) throw new Error('truncated field');
        this.start = this.p;
        this.end = this.p + len;
        this.p = this.end;
        return true;
      }
      if (this.wire === FIXED64) this.p += 8;
      else if (this.wire === FIXED32) this.p += 4;
      else throw new Error(`wire type ${this.wire} not supported`);
      if (this.p > this.limit) throw new Error('truncated field');
    }
  }

  /** The current length-delimited field's content as a message of its own. */
  sub(): FieldReader {
    return new FieldReader(this.buf, this.start, this.end);
  }

  /** The current length-delimited field's content (a view into the message). */
  bytes(): Buffer {
    return this.buf.subarray(this.start, this.end);
  }

  /** The current varint, exact at any size, as its 64 bits unsigned. */
  bigint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let p = this.varintAt; ; p++) {
      const b = this.buf[p]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) return BigInt.asUintN(64, result);
      shift += 7n;
    }
  }

  /** The current varint as an int64 (two's complement) for a revision or a count: a number. */
  int64(): number {
    return this.value < 2 ** 53 ? this.value : Number(BigInt.asIntN(64, this.bigint()));
  }

  private readVarint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; ; i++) {
      if (this.p >= this.limit) throw new Error('truncated varint');
      const b = this.buf[this.p++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      if (i === 9) throw new Error('varint too long');
      scale *= 128;
    }
  }
}

// Reads an etcd WAL segment back, checking the framing of every record the
// way etcd's decoder does, and the CRC-32C chain.
import { readFileSync } from 'node:fs';

export interface WalRecord {
  offset: number;
  type: number;
  crc: number;
  dataLength: number;
  pad: number;
}

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC-32C continuing from `crc` (Go's crc32.Update with the Castagnoli table). */
export function crc32c(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  for (const b of data) c = (TABLE[(c ^ b) & 0xff]! ^ (c >>> 8)) >>> 0;
  return ~c >>> 0;
}

function varint(buf: Buffer, at: number): [number, number] {
  let v = 0;
  let shift = 0;
  for (let i = at; ; i++) {
    const b = buf[i]!;
    v += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [v, i + 1];
    shift += 7;
  }
}

/** Decodes frames from the start until a zero length (preallocated space) or the end. Throws on bad framing or crc. */
export function decodeSegment(
  path: string,
  prevCrc: number,
): { records: WalRecord[]; end: number; crc: number; size: number } {
  const buf = readFileSync(path);
  const records: WalRecord[] = [];
  let crc = prevCrc;
  let at = 0;
  while (at + 8 <= buf.length) {
    const lenField = buf.readBigUInt64LE(at);
    if (lenField === 0n) break;
    const top = Number(lenField >> 56n);
    const payload = Number(lenField & 0x00ffffffffffffffn);
    const pad = top & 0x80 ? top & 0x7 : 0;
    if (top !== 0 && top !== (0x80 | pad)) throw new Error(`bad pad marker 0x${top.toString(16)} at ${at}`);
    if ((payload + pad) % 8 !== 0)
      throw new Error(`record at ${at} is not 8-byte aligned (payload ${payload}, pad ${pad})`);
    const start = at + 8;
    const end = start + payload;
    for (let i = end; i < end + pad; i++) if (buf[i] !== 0) throw new Error(`non-zero padding at ${i}`);
    let p = start;
    let type = -1;
    let recCrc = -1;
    let data = Buffer.alloc(0);
    while (p < end) {
      const tag = buf[p++]!;
      if (tag === 0x08) [type, p] = varint(buf, p);
      else if (tag === 0x10) [recCrc, p] = varint(buf, p);
      else if (tag === 0x1a) {
        let len: number;
        [len, p] = varint(buf, p);
        data = buf.subarray(p, p + len);
        p += len;
      } else throw new Error(`unknown protobuf tag 0x${tag.toString(16)} at ${p - 1}`);
    }
    if (p !== end) throw new Error(`record at ${at} overruns its length`);
    crc = crc32c(crc, data);
    if (recCrc !== crc) throw new Error(`crc mismatch at ${at}: record ${recCrc}, chain ${crc}`);
    records.push({ offset: at, type, crc: recCrc, dataLength: data.length, pad });
    at = end + pad;
  }
  return { records, end: at, crc, size: buf.length };
}

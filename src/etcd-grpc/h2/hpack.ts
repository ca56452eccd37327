// HPACK (RFC 7541) as a gRPC client needs it: a full decoder for what the
// server sends (static and dynamic table, size updates, Huffman strings),
// and an encoder for the tool's own fixed request headers that uses neither
// table nor Huffman (literals without indexing), so the block can be made
// once per connection and sent as it is with every request.
import { huffmanDecode } from './huffman.js';

const STATIC: readonly (readonly [string, string])[] = [
  [':authority', ''],
  [':method', 'GET'],
  [':method', 'POST'],
  [':path', '/'],
  [':path', '/index.html'],
  [':scheme', 'http'],
  [':scheme', 'https'],
  [':status', '200'],
  [':status', '204'],
  [':status', '206'],
  [':status', '304'],
  [':status', '400'],
  [':status', '404'],
  [':status', '500'],
  ...[
    'accept-charset',
    'accept-encoding',
    'accept-language',
    'accept-ranges',
    'accept',
    'access-control-allow-origin',
    'age',
    'allow',
    'authorization',
    'cache-control',
    'content-disposition',
    'content-encoding',
    'content-language',
    'content-length',
    'content-location',
    'content-range',
    'content-type',
    'cookie',
    'date',
    'etag',
    'expect',
    'expires',
    'from',
    'host',
    'if-match',
    'if-modified-since',
    'if-none-match',
    'if-range',
    'if-unmodified-since',
    'last-modified',
    'link',
    'location',
    'max-forwards',
    'proxy-authenticate',
    'proxy-authorization',
    'range',
    'referer',
    'refresh',
    'retry-after',
    'server',
    'set-cookie',
    'strict-transport-security',
    'transfer-encoding',
    'user-agent',
    'vary',
    'via',
    'www-authenticate',
  ].map((name) => [name, name === 'accept-encoding' ? 'gzip, deflate' : ''] as const),
];

export type HeaderSink = (name: string, value: string) => void;

/** The decoding side of one connection: its dynamic table lives as long as the connection. */
export class HpackDecoder {
  /** Newest first. */
  private readonly dynamic: [string, string][] = [];
  private size = 0;
  /** The table's size now: the limit, or less if the encoder said so. */
  private max: number;
  private p = 0;

  /** `limit`: the table size this side announced (SETTINGS_HEADER_TABLE_SIZE; 4096 unless changed). */
  constructor(private readonly limit = 4096) {
    this.max = limit;
  }

  /** Decodes one complete header block, each field to `sink`, in order. Throws on a malformed block. */
  decode(block: Buffer, sink: HeaderSink): void {
    this.p = 0;
    while (this.p < block.length) {
      const b = block[this.p]!;
      if (b & 0x80) {
        const [name, value] = this.entry(this.int(block, 7));
        sink(name, value);
      } else if (b & 0x40) {
        const field = this.literal(block, 6);
        this.add(field);
        sink(field[0], field[1]);
      } else if (b & 0x20) {
        const size = this.int(block, 5);
        if (size > this.limit) throw new Error(`HPACK: table size ${size} over the limit ${this.limit}`);
        this.evictTo(size);
        this.max = size;
      } else {
        const [name, value] = this.literal(block, 4);
        sink(name, value);
      }
    }
  }

  private entry(index: number): readonly [string, string] {
    if (index >= 1 && index <= STATIC.length) return STATIC[index - 1]!;
    const e = this.dynamic[index - STATIC.length - 1];
    if (!e) throw new Error(`HPACK: no table entry ${index}`);
    return e;
  }

  private literal(block: Buffer, prefix: number): [string, string] {
    const index = this.int(block, prefix);
    const name = index === 0 ? this.string(block) : this.entry(index)[0];
    return [name, this.string(block)];
  }

  private add(field: [string, string]): void {
    const size = 32 + field[0].length + field[1].length;
    this.evictTo(Math.max(0, this.max - size));
    if (size > this.max) return; // larger than the table: it empties it and is not kept
    this.dynamic.unshift(field);
    this.size += size;
  }

  private evictTo(size: number): void {
    while (this.size > size) {
      const [n, v] = this.dynamic.pop()!;
      this.size -= 32 + n.length + v.length;
    }
  }

  /** An integer with an N-bit prefix (section 5.1), from the current position. */
  private int(block: Buffer, prefix: number): number {
    const mask = (1 << prefix) - 1;
    let value = block[this.p++]! & mask;
    if (value < mask) return value;
    let shift = 0;
    let b: number;
    do {
      if (this.p >= block.length) throw new Error('HPACK: integer cut short');
      b = block[this.p++]!;
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (shift > 28) throw new Error('HPACK: integer too large');
    } while (b & 0x80);
    return value;
  }

  /** A string literal (section 5.2): plain or Huffman-coded. */
  private string(block: Buffer): string {
    if (this.p >= block.length) throw new Error('HPACK: string cut short');
    const huffman = (block[this.p]! & 0x80) !== 0;
    const length = this.int(block, 7);
    const start = this.p;
    this.p += length;
    if (this.p > block.length) throw new Error('HPACK: string cut short');
    return huffman ? huffmanDecode(block, start, this.p) : block.toString('latin1', start, this.p);
  }
}

/** Writes an integer with an N-bit prefix whose high bits are `first`. */
function pushInt(out: number[], first: number, prefix: number, value: number): void {
  const mask = (1 << prefix) - 1;
  if (value < mask) {
    out.push(first | value);
    return;
  }
  out.push(first | mask);
  let rest = value - mask;
  while (rest >= 0x80) {
    out.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  out.push(rest);
}

/**
 * A header block of literals without indexing (the static table's name where it has one, plain strings), so the
 * same bytes can be sent again on the connection without changing either side's dynamic table. Pseudo-headers first.
 */
export function encodeHeaderBlock(fields: readonly (readonly [string, string])[]): Buffer {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const full = STATIC.findIndex(([n, v]) => n === name && v === value);
    if (full >= 0) {
      pushInt(out, 0x80, 7, full + 1);
      continue;
    }
    const named = STATIC.findIndex(([n]) => n === name);
    pushInt(out, 0x00, 4, named + 1);
    if (named < 0) pushString(out, name);
    pushString(out, value);
  }
  return Buffer.from(out);
}

function pushString(out: number[], s: string): void {
  const bytes = Buffer.from(s, 'latin1');
  pushInt(out, 0x00, 7, bytes.length);
  out.push(...bytes);
}

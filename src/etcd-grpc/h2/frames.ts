// HTTP/2 framing (RFC 9113) as the tool's gRPC client uses it: frame types,
// flags, the frame header, and the few control frames it sends.
export const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');
export const FRAME_HEADER = 9;

export const DATA = 0x0;
export const HEADERS = 0x1;
export const RST_STREAM = 0x3;
export const SETTINGS = 0x4;
export const PING = 0x6;
export const GOAWAY = 0x7;
export const WINDOW_UPDATE = 0x8;
export const CONTINUATION = 0x9;

export const END_STREAM = 0x1;
export const ACK = 0x1;
export const END_HEADERS = 0x4;
export const PADDED = 0x8;
export const PRIORITY = 0x20;

export const SETTINGS_HEADER_TABLE_SIZE = 0x1;
export const SETTINGS_ENABLE_PUSH = 0x2;
export const SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTINGS_INITIAL_WINDOW_SIZE = 0x4;
export const SETTINGS_MAX_FRAME_SIZE = 0x5;

export const ERROR_CANCEL = 0x8;
export const DEFAULT_WINDOW = 65_535;
export const DEFAULT_MAX_FRAME = 16_384;
export const MAX_STREAM_ID = 0x7fff_ffff;

/** Writes a frame header at `at`; returns where the payload starts. */
export function writeFrameHeader(out: Buffer, at: number, length: number, type: number, flags: number, id: number) {
  out[at] = length >>> 16;
  out[at + 1] = (length >>> 8) & 0xff;
  out[at + 2] = length & 0xff;
  out[at + 3] = type;
  out[at + 4] = flags;
  out.writeUInt32BE(id, at + 5);
  return at + FRAME_HEADER;
}

/** A whole frame with a payload. */
export function frame(type: number, flags: number, id: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  payload.copy(out, writeFrameHeader(out, 0, payload.length, type, flags, id));
  return out;
}

/** A frame whose payload is 32-bit words (WINDOW_UPDATE, RST_STREAM, GOAWAY without debug data). */
export function wordsFrame(type: number, id: number, ...words: number[]): Buffer {
  const payload = Buffer.allocUnsafe(4 * words.length);
  words.forEach((w, k) => {
    payload.writeUInt32BE(w >>> 0, 4 * k);
  });
  return frame(type, 0, id, payload);
}

/** A SETTINGS frame from (identifier, value) pairs. */
export function settingsFrame(pairs: readonly (readonly [number, number])[]): Buffer {
  const payload = Buffer.allocUnsafe(6 * pairs.length);
  pairs.forEach(([key, value], k) => {
    payload.writeUInt16BE(key, 6 * k);
    payload.writeUInt32BE(value, 6 * k + 2);
  });
  return frame(SETTINGS, 0, 0, payload);
}

/** A frame's payload past `extra` bytes, without its padding (PADDED: a pad length byte, then pad bytes at the end). */
export function unpad(flags: number, payload: Buffer, extra = 0): Buffer {
  if (!(flags & PADDED)) return payload.subarray(extra);
  if (payload.length < 1) throw new Error('padded frame without its pad length');
  const pad = payload[0]!;
  if (1 + extra + pad > payload.length) throw new Error('padding longer than the frame');
  return payload.subarray(1 + extra, payload.length - pad);
}

/** What a client sends first: the preface, SETTINGS (no push; `window` per stream) and the connection's window. */
export function clientPreface(window: number): Buffer {
  return Buffer.concat([
    PREFACE,
    settingsFrame([
      [SETTINGS_ENABLE_PUSH, 0],
      [SETTINGS_INITIAL_WINDOW_SIZE, window],
    ]),
    wordsFrame(WINDOW_UPDATE, 0, window - DEFAULT_WINDOW),
  ]);
}

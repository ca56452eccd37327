// Splits the bytes a socket delivers into HTTP/2 frames (RFC 9113 section 4.1):
// each whole frame goes to the handler as soon as it is complete, and a partial
// one is kept (copied, since a socket may reuse its read buffer) until the rest
// arrives. Both sessions, unary and streaming, read their connection with it.
import { DEFAULT_MAX_FRAME, FRAME_HEADER, MAX_STREAM_ID } from './frames.js';

export type FrameHandler = (type: number, flags: number, id: number, payload: Buffer) => void;

export class FrameReader {
  private rest: Buffer | null = null;

  constructor(private readonly onFrame: FrameHandler) {}

  /**
   * Hands every frame that `chunk` completes to the handler, in order. Throws on a frame larger than the
   * default size, which is all the tool advertises (the server's FRAME_SIZE error), and passes on what the
   * handler throws; either way the connection is beyond use.
   */
  read(chunk: Buffer): void {
    let buf = this.rest ? Buffer.concat([this.rest, chunk]) : chunk;
    let p = 0;
    while (buf.length - p >= FRAME_HEADER) {
      const length = (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!;
      if (length > DEFAULT_MAX_FRAME) throw new Error(`a frame of ${length} bytes`);
      if (buf.length - p < FRAME_HEADER + length) break;
      const payload = buf.subarray(p + FRAME_HEADER, p + FRAME_HEADER + length);
      this.onFrame(buf[p + 3]!, buf[p + 4]!, buf.readUInt32BE(p + 5) & MAX_STREAM_ID, payload);
      p += FRAME_HEADER + length;
    }
    buf = buf.subarray(p);
    this.rest = buf.length > 0 ? Buffer.from(buf) : null;
  }
}

// Random bytes for per-request keys without a CSPRNG call per request: one
// 64 KiB randomBytes() fill serves 512 keys of check perf's shape (a call per
// put cost 9.4 us of the client's CPU in a profile of check-perf-m).
import { randomBytes } from 'node:crypto';

const HEX = Buffer.from('0123456789abcdef');

export class RandomPool {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;

  constructor(private readonly fill = 1 << 16) {}

  /** `n` fresh random bytes (a view into the pool: use them before the next call if you keep them). */
  take(n: number): Buffer {
    const from = this.reserve(n);
    return this.buf.subarray(from, from + n);
  }

  /** Where the next `n` unused bytes start (the pool refilled when fewer are left). */
  private reserve(n: number): number {
    if (this.at + n > this.buf.length) {
      this.buf = randomBytes(Math.max(this.fill, n));
      this.at = 0;
    }
    const from = this.at;
    this.at += n;
    return from;
  }

  /** Writes `n` fresh random bytes as 2n lowercase hex characters into `out` at `at`; returns the end. */
  hexInto(out: Buffer, at: number, n: number): number {
    const from = this.reserve(n);
    const b = this.buf;
    let p = at;
    for (let i = from; i < from + n; i++) {
      const x = b[i]!;
      out[p++] = HEX[x >> 4]!;
      out[p++] = HEX[x & 15]!;
    }
    return p;
  }
}

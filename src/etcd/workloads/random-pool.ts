// Random bytes for per-request keys without a CSPRNG call per request: one
// 64 KiB randomBytes() fill serves 512 keys of check perf's shape (a call per
// put cost 9.4 us of the client's CPU in a profile of check-perf-m).
import { randomBytes } from 'node:crypto';

export class RandomPool {
  private buf: Buffer = Buffer.alloc(0);
  private at = 0;

  constructor(private readonly fill = 1 << 16) {}

  /** `n` fresh random bytes (a view into the pool: use them before the next call if you keep them). */
  take(n: number): Buffer {
    if (this.at + n > this.buf.length) {
      this.buf = randomBytes(Math.max(this.fill, n));
      this.at = 0;
    }
    const out = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}

// Latency histograms: HDR, integer nanoseconds, 1 ns to 60 s, 3 significant
// digits. hdr-histogram-js clamps nothing and silently resizes, so every value
// is checked here; values past the range are clamped and counted, never lost.
import hdr from 'hdr-histogram-js';

/** The smallest and largest latency a histogram tells apart, in ns. */
export const LOWEST_NS = 1;
export const HIGHEST_NS = 60e9;
export const SIGNIFICANT_DIGITS = 3;

let wasmReady = false;

function ensureWasm(): void {
  if (!wasmReady) {
    hdr.initWebAssemblySync();
    wasmReady = true;
  }
}

/**
 * Kept out of record(): with the message built inline, V8's optimised code turned numbers into strings on every
 * call of a recorder that inlined several histograms (a tenth of the disk phase's main-thread time, issue 41).
 */
function badLatency(ns: number): never {
  throw new RangeError(`latency must be a finite number of ns >= 0, got ${ns}`);
}

/** One latency distribution. WebAssembly-backed: call destroy() when done. */
export class LatencyHistogram {
  private readonly h: hdr.Histogram;
  /** Values above HIGHEST_NS, recorded as HIGHEST_NS. */
  clampedHigh = 0;

  constructor() {
    ensureWasm();
    this.h = hdr.build({
      lowestDiscernibleValue: LOWEST_NS,
      highestTrackableValue: HIGHEST_NS,
      numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
      bitBucketSize: 64,
      autoResize: false,
      useWebAssembly: true,
    });
  }

  /** Records one latency; a non-finite or negative value is a bug upstream and throws. */
  record(ns: number): void {
    if (!Number.isFinite(ns) || ns < 0) badLatency(ns);
    let v = Math.round(ns);
    if (v < LOWEST_NS) v = LOWEST_NS;
    if (v > HIGHEST_NS) {
      v = HIGHEST_NS;
      this.clampedHigh++;
    }
    this.h.recordValue(v);
  }

  /** Records `count` values of `ns` at once (a folded chunk's pair, stats/folded.ts); checked as record() is. */
  recordCount(ns: number, count: number): void {
    if (!Number.isFinite(ns) || ns < 0) badLatency(ns);
    let v = Math.round(ns);
    if (v < LOWEST_NS) v = LOWEST_NS;
    if (v > HIGHEST_NS) {
      v = HIGHEST_NS;
      this.clampedHigh += count;
    }
    this.h.recordValueWithCount(v, count);
  }

  get count(): number {
    return this.h.totalCount;
  }
  get minNs(): number {
    return this.count === 0 ? 0 : this.h.minNonZeroValue;
  }
  get maxNs(): number {
    return this.h.maxValue;
  }
  get meanNs(): number {
    return this.count === 0 ? 0 : this.h.mean;
  }
  get stddevNs(): number {
    return this.count === 0 ? 0 : this.h.stdDeviation;
  }
  /**
   * The value at percentile p (0-100), as HDR reports it (the highest value
   * equivalent to the sample's bucket), but never above the recorded maximum:
   * otherwise a p99 could read higher than the max beside it.
   */
  percentileNs(p: number): number {
    return this.count === 0 ? 0 : Math.min(this.h.getValueAtPercentile(p), this.h.maxValue);
  }

  /** Adds another histogram's counts (exact merge). */
  add(other: LatencyHistogram): void {
    this.h.add(other.h);
    this.clampedHigh += other.clampedHigh;
  }

  /**
   * Adds an encoded histogram (from encode(), possibly another thread's): an exact merge.
   * The encoding does not keep how many values were clamped: pass the sender's clampedHigh.
   */
  addEncoded(base64: string, clampedHigh = 0): void {
    const other = hdr.decodeFromCompressedBase64(base64, 64, true);
    this.h.add(other);
    other.destroy();
    this.clampedHigh += clampedHigh;
  }

  reset(): void {
    this.h.reset();
    this.clampedHigh = 0;
  }

  /** Compressed base64 in HdrHistogram's standard encoding, for reports. */
  encode(): string {
    return hdr.encodeIntoCompressedBase64(this.h);
  }

  /** Frees the WebAssembly memory. */
  destroy(): void {
    this.h.destroy();
  }
}

/** Decodes an encoded histogram back into a plain-JS HDR histogram (for re-analysis). */
export function decodeHistogram(base64: string): hdr.Histogram {
  return hdr.decodeFromCompressedBase64(base64, 64, false);
}

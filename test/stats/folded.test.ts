// The folded hand-over (native/src/fold.h, src/stats/folded.ts) against the
// one-by-one path: the same operations, recorded either way, must give the
// same histograms, summaries, windows and log buckets, to the count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadNativeAddon } from '../../src/disk/native-engine.js';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';
import { F_HEADER, F_LAST_END, F_NEXT_SECOND, F_OPS, F_SECOND } from '../../src/stats/folded.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';

const loaded = loadNativeAddon();
if (!('addon' in loaded)) throw new Error(`the native addon must load in tests: ${loaded.error.message}`);
const fold = (samples: Float64Array) => loaded.addon.foldSamples(samples);

/** A small deterministic generator (xorshift), so a failure repeats. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Values on the histogram's and the log buckets' edges, and past its range (60 s). */
const EDGES = [0, 1, 2, 2047, 2048, 2049, 4095, 4096, 32_000, 32_001, 32_015, 32_016, 64_000, 64_001, 61e9, 1e11];

/** `n` operations over about `seconds` s: some unsynced, some paced, latencies spread over six decades. */
function operations(n: number, seconds: number, seed: number): Float64Array {
  const r = random(seed);
  const b = new Float64Array(n * SAMPLE_STRIDE);
  let t = 0;
  for (let i = 0; i < n; i++) {
    const edge = i % 50 === 0 ? EDGES[(i / 50) % EDGES.length]! : -1;
    const write = edge >= 0 && i % 100 === 0 ? edge : Math.round(2000 + r() * 3e4);
    const sync = i % 9 === 4 ? -1 : edge >= 0 ? edge : Math.round(3e4 * Math.exp(r() * 6));
    const total = write + Math.max(0, sync);
    b.set([t, write, sync, total, i % 3 === 0 ? total + Math.round(r() * 1e5) : -1], i * SAMPLE_STRIDE);
    // Starts in order, ends in order: the next operation starts after this one ended.
    t += total + (seconds * 1e9) / n;
  }
  return b;
}

function bothWays(samples: Float64Array) {
  const one = new DiskRecorder();
  one.add(samples);
  const folded = new DiskRecorder();
  const chunks = fold(samples);
  for (const c of chunks) folded.addFolded(c);
  return { one, folded, chunks };
}

test('folded chunks give the histograms, summaries, windows and log buckets of the operations one by one', () => {
  for (const seed of [1, 7, 2026]) {
    const samples = operations(20_000, 3.5, seed);
    const { one, folded } = bothWays(samples);
    assert.equal(folded.ops, one.ops);
    assert.deepEqual(folded.snapshot(4e9).syncBuckets, one.snapshot(4e9).syncBuckets);
    const [a, b] = [folded.finish(4e9), one.finish(4e9)];
    assert.deepEqual(a.summaries, b.summaries, `seed ${seed}`);
    assert.deepEqual(a.timeSeries, b.timeSeries, `seed ${seed}`);
    assert.deepEqual(a.histograms, b.histograms, `seed ${seed}`);
    assert.ok(b.summaries.sync.clampedHigh > 0, 'values past 60 s were among them');
  }
});

test('a chunk per second of completion, each naming the second that closed it, the last one open', () => {
  const samples = operations(9000, 3.2, 3);
  const { chunks } = bothWays(samples);
  const ends: number[] = [];
  for (let i = 0; i < samples.length; i += SAMPLE_STRIDE) ends.push(samples[i]! + samples[i + 3]!);
  const seconds = [...new Set(ends.map((e) => Math.floor(e / 1e9)))];
  assert.deepEqual(
    chunks.map((c) => c[F_SECOND]),
    seconds,
  );
  assert.deepEqual(
    chunks.map((c) => c[F_NEXT_SECOND]),
    [...seconds.slice(1), -1],
  );
  assert.deepEqual(
    chunks.map((c) => c[F_OPS]),
    seconds.map((s) => ends.filter((e) => Math.floor(e / 1e9) === s).length),
  );
  assert.equal(chunks.at(-1)![F_LAST_END], ends.at(-1));
});

test('a busy second folds into far fewer pairs than operations: the point of folding', () => {
  // 10,000 fdatasyncs of 40-60 us in one second: HDR's buckets there are 32 ns wide, so at most 626 pairs.
  const r = random(11);
  const b = new Float64Array(10_000 * SAMPLE_STRIDE);
  for (let i = 0; i < 10_000; i++) {
    const sync = Math.round(4e4 + r() * 2e4);
    b.set([i * 9e4, 3000, sync, 3000 + sync, -1], i * SAMPLE_STRIDE);
  }
  const [chunk] = fold(b);
  const syncAt = F_HEADER + 4 + 2 * chunk![F_HEADER]!;
  assert.equal(fold(b).length, 1);
  assert.equal(chunk![syncAt + 1], 10_000, 'the sync column holds every value');
  assert.ok(chunk![syncAt]! <= 626, `${chunk![syncAt]} pairs`);
  // One write() latency throughout: one pair of 9,998, its min and max beside it.
  assert.deepEqual([...chunk!.subarray(F_HEADER, F_HEADER + 6)], [1, 10_000, 3000, 3000, 3000, 9998]);
});

test('the minimum and maximum stay exact where a bucket is wider than a nanosecond', () => {
  // 100,003 ns and 100,010 ns share a bucket 64 ns wide that starts at 99,968: folded, neither may read lower.
  const b = new Float64Array([
    ...[0, 3000, 100_010, 103_010, -1],
    ...[2e5, 3000, 100_003, 103_003, -1],
    ...[4e5, 3000, 100_020, 103_020, -1],
  ]);
  const { one, folded } = bothWays(b);
  const [a, c] = [folded.finish(1e9), one.finish(1e9)];
  assert.equal(a.summaries.sync.minNs, 100_003);
  assert.equal(a.summaries.sync.maxNs, 100_020);
  assert.deepEqual(a.summaries, c.summaries);
});

test('no operations, no chunk; a stride that does not divide is refused', () => {
  assert.deepEqual(fold(new Float64Array(0)), []);
  assert.throws(() => fold(new Float64Array(7)), /multiple of the sample stride/);
});

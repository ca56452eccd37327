import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeHistogram, HIGHEST_NS, LatencyHistogram } from '../../src/stats/histogram.js';
import { percentilesOfEncoded, summarize } from '../../src/stats/summary.js';

test('1..1000 ns: exact percentiles, mean and stddev (values below 2048 are exact at 3 digits)', () => {
  const h = new LatencyHistogram();
  for (let v = 1; v <= 1000; v++) h.record(v);
  const s = summarize(h, 2e9);
  assert.equal(s.count, 1000);
  assert.equal(s.minNs, 1);
  assert.equal(s.maxNs, 1000);
  assert.equal(s.p50Ns, 500);
  assert.equal(s.p90Ns, 900);
  assert.equal(s.p99Ns, 990);
  assert.equal(s.p999Ns, 999);
  assert.equal(s.p9999Ns, 1000);
  assert.equal(s.meanNs, 500.5);
  assert.equal(s.stddevNs, Math.round(Math.sqrt((1000 * 1000 - 1) / 12) * 1000) / 1000);
  assert.equal(s.opsPerSec, 500);
  h.destroy();
});

test('large values keep 3 significant digits', () => {
  const h = new LatencyHistogram();
  h.record(123_456_789); // 123.456789 ms
  const p = h.percentileNs(100);
  assert.ok(Math.abs(p - 123_456_789) / 123_456_789 < 1e-3, `got ${p}`);
  h.destroy();
});

test('out-of-range values are clamped and counted; bad values throw', () => {
  const h = new LatencyHistogram();
  h.record(0);
  h.record(0.2);
  h.record(HIGHEST_NS * 10);
  assert.equal(h.count, 3);
  assert.equal(h.minNs, 1);
  assert.equal(h.clampedHigh, 1);
  assert.ok(h.maxNs >= HIGHEST_NS * 0.999 && h.maxNs <= HIGHEST_NS * 1.001);
  assert.throws(() => h.record(-1), RangeError);
  assert.throws(() => h.record(Number.NaN), RangeError);
  assert.equal(h.count, 3);
  h.destroy();
});

test('empty histogram summarises to zeros, not NaN', () => {
  const h = new LatencyHistogram();
  const s = summarize(h, 0);
  assert.deepEqual([s.count, s.minNs, s.maxNs, s.p99Ns, s.meanNs, s.stddevNs, s.opsPerSec], [0, 0, 0, 0, 0, 0, 0]);
  h.destroy();
});

test('merging is exact and encoding round-trips', () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  for (let v = 1; v <= 500; v++) a.record(v);
  for (let v = 501; v <= 1000; v++) b.record(v);
  a.add(b);
  assert.equal(a.count, 1000);
  assert.equal(a.percentileNs(99), 990);
  const decoded = decodeHistogram(a.encode());
  assert.equal(decoded.totalCount, 1000);
  assert.equal(decoded.getValueAtPercentile(50), 500);
  a.destroy();
  b.destroy();
});

test('percentiles re-read from a stored histogram equal the summary, also when the top two share a bucket', () => {
  const h = new LatencyHistogram();
  for (let i = 0; i < 9998; i++) h.record(200_000 + i);
  // both in the bucket 17,072,128-17,088,511 ns: a decoded histogram knows only the bucket
  h.record(17_081_000);
  h.record(17_083_419);
  const s = summarize(h, 1e9);
  const encoded = h.encode();
  h.destroy();
  assert.equal(s.maxNs, 17_083_419);
  assert.equal(s.p9999Ns, 17_083_419);
  const again = percentilesOfEncoded(encoded, [50, 99, 99.9, 99.99], s.maxNs);
  assert.deepEqual(again, [s.p50Ns, s.p99Ns, s.p999Ns, s.p9999Ns]);
});

// A report's distribution made into slowfs bins: the floor taken off each
// value, at most maxBins bins kept, and the figures a replay is judged by.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { distFigures, recordedValues, replayBins } from '../../src/lab/replay-dist.js';
import { LatencyHistogram } from '../../src/stats/histogram.js';

function encoded(values: [number, number][]): string {
  const h = new LatencyHistogram();
  try {
    for (const [ns, n] of values) for (let i = 0; i < n; i++) h.record(ns);
    return h.encode();
  } finally {
    h.destroy();
  }
}

const near = (a: number, b: number, share: number) => Math.abs(a - b) <= share * b;

test('1 ms for 97 % and 20 ms for 3 %, less a 0.3 ms floor: two bins, 0.7 ms and 19.7 ms', () => {
  const values = recordedValues(
    encoded([
      [1e6, 9700],
      [20e6, 300],
    ]),
  );
  assert.equal(values.length, 2);
  const f = distFigures(values);
  assert.equal(f.count, 10_000);
  assert.ok(near(f.p50Ns, 1e6, 0.001) && near(f.p99Ns, 20e6, 0.001), JSON.stringify(f));
  const bins = replayBins(values, 0.3e6);
  assert.equal(bins.length, 2);
  assert.ok(near(bins[0]![0], 700, 0.002) && bins[0]![1] === 9700, JSON.stringify(bins));
  assert.ok(near(bins[1]![0], 19_700, 0.002) && bins[1]![1] === 300, JSON.stringify(bins));
});

test('a value under the floor replays as no delay; a wide distribution keeps at most maxBins bins', () => {
  assert.deepEqual(
    replayBins(
      [
        [0.2e6, 5],
        [2e6, 1],
      ],
      0.3e6,
    ),
    [
      [0, 5],
      [1700, 1],
    ],
  );
  const wide: [number, number][] = Array.from({ length: 2000 }, (_, i) => [1e4 * 1.01 ** i, 1 + (i % 7)]);
  const bins = replayBins(wide, 0, 256);
  assert.ok(bins.length <= 256, `${bins.length} bins`);
  const total = (xs: [number, number][]) => xs.reduce((a, [, n]) => a + n, 0);
  assert.equal(total(bins), total(wide), 'every operation kept');
  // Merging moves a value by at most the bins' ratio: the replay's p99 stays within 10 % of the original's.
  const p99 = distFigures(wide).p99Ns;
  const replayed = distFigures(bins.map(([us, n]) => [us * 1e3, n])).p99Ns;
  assert.ok(near(replayed, p99, 0.1), `p99 ${p99} -> ${replayed}`);
});

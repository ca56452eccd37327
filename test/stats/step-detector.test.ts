import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSteps, type StepOptions } from '../../src/stats/step-detector.js';
import type { WindowRow } from '../../src/stats/windows.js';

const OPTS: StepOptions = { limitNs: 10e6, factor: 4, floorNs: 1e6, minSeconds: 10, baselineSeconds: 60e9 };

/** One row per second with the given p99s (ms); null = nothing completed that second. */
function series(p99sMs: (number | null)[]): WindowRow[] {
  return p99sMs.map((ms, second) => ({
    second,
    count: ms === null ? 0 : 100,
    p50Ns: ms === null ? null : (ms * 1e6) / 2,
    p99Ns: ms === null ? null : ms * 1e6,
    maxNs: ms === null ? null : ms * 2e6,
  }));
}
const flat = (n: number, ms: number) => Array<number>(n).fill(ms);

test('a flat series: judged, no findings', () => {
  const r = detectSteps(series(flat(120, 0.5)), OPTS);
  assert.deepEqual(
    [r.judged, r.baselineSeconds, r.baselineP99Ns, r.baselineStartSecond, r.findings],
    [true, 19, 0.5e6, 1, []],
  ); // at most a sixth of the run
  assert.match(r.detectable, /4x the run's lowest 19 s stretch.*lasting 10 s or more, anywhere after second 1/);
});

test('a step 5 s into the run is found: the baseline is the lowest stretch, not the first minute', () => {
  const r = detectSteps(series([...flat(5, 0.4), ...flat(40, 3)]), OPTS);
  assert.equal(r.baselineP99Ns, 0.4e6);
  assert.equal(r.baselineStartSecond, 1);
  assert.deepEqual(r.findings, [{ kind: 'step', startSecond: 5, seconds: 40, medianP99Ns: 3e6, levelNs: 1.6e6 }]);
});

test('a step down (a disk that gets faster) is not a finding after the slower start', () => {
  const r = detectSteps(series([...flat(60, 1), ...flat(60, 1.2)]), OPTS);
  assert.deepEqual(r.findings, []);
});

test('a burst-credit cliff: a step at second 90 that then stays above the limit', () => {
  const r = detectSteps(series([...flat(90, 2), ...flat(40, 80)]), OPTS);
  assert.equal(r.baselineP99Ns, 2e6);
  assert.deepEqual(r.findings, [
    { kind: 'above-limit', startSecond: 90, seconds: 40, medianP99Ns: 80e6, levelNs: 10e6 },
    { kind: 'step', startSecond: 90, seconds: 40, medianP99Ns: 80e6, levelNs: 8e6 },
  ]);
});

test('a step that stays under the limit is still a step', () => {
  const r = detectSteps(series([...flat(70, 0.5), ...flat(15, 3)]), OPTS);
  assert.deepEqual(r.findings, [{ kind: 'step', startSecond: 70, seconds: 15, medianP99Ns: 3e6, levelNs: 2e6 }]);
});

test('short spikes (shorter than minSeconds) are not findings', () => {
  const s = flat(100, 1);
  for (let i = 70; i < 79; i++) s[i] = 50;
  assert.deepEqual(detectSteps(series(s), OPTS).findings, []);
});

test('jitter on a very fast disk stays under the 1 ms floor', () => {
  const r = detectSteps(series([...flat(60, 0.1), ...flat(30, 0.5)]), OPTS);
  assert.deepEqual(r.findings, []);
});

test('seconds with no completions count as stalls', () => {
  const r = detectSteps(series([...flat(65, 1), ...Array<null>(12).fill(null), ...flat(10, 1)]), OPTS);
  assert.deepEqual(r.findings, [
    { kind: 'above-limit', startSecond: 65, seconds: 12, medianP99Ns: null, levelNs: 10e6 },
    { kind: 'step', startSecond: 65, seconds: 12, medianP99Ns: null, levelNs: 4e6 },
  ]);
});

test(
  'a short run uses a sixth of it (at least 3 s) as baseline; too short is not judged, and says what it could ' +
    'detect',
  () => {
    const r = detectSteps(series([...flat(15, 1), ...flat(15, 20)]), OPTS);
    assert.equal(r.baselineSeconds, 4);
    assert.deepEqual(
      r.findings.map((f) => [f.kind, f.startSecond, f.seconds]),
      [
        ['above-limit', 15, 15],
        ['step', 15, 15],
      ],
    );
    const short = detectSteps(series(flat(8, 1)), OPTS);
    assert.equal(short.judged, false);
    assert.match(short.reason!, /needs at least 14 s of samples.*the run had 8 s/);
    assert.match(short.detectable, /lasting 10 s or more/);
  },
);

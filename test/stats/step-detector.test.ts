import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectSteps, type StepOptions } from '../../src/stats/step-detector.js';
import type { WindowRow } from '../../src/stats/windows.js';

const OPTS: StepOptions = { limitNs: 10e6, factor: 4, floorNs: 1e6, minSeconds: 10, baselineSeconds: 60e9 };

/** One row per second with the given p99s (ms); null = nothing completed that second. */
function series(p99sMs: (number | null)[]): WindowRow[] {
  return p99sMs.map((ms, second) => ({
    second, count: ms === null ? 0 : 100, p50Ns: ms === null ? null : (ms * 1e6) / 2, p99Ns: ms === null ? null : ms * 1e6, maxNs: ms === null ? null : ms * 2e6,
  }));
}
const flat = (n: number, ms: number) => Array<number>(n).fill(ms);

test('a flat series: judged, no findings', () => {
  const r = detectSteps(series(flat(120, 0.5)), OPTS);
  assert.deepEqual(r, { judged: true, baselineSeconds: 40, baselineP99Ns: 0.5e6, findings: [] }); // at most a third of the run
});

test('a burst-credit cliff: a step at second 90 that then stays above the limit', () => {
  const r = detectSteps(series([...flat(90, 2), ...flat(40, 80)]), OPTS);
  assert.equal(r.baselineP99Ns, 2e6);
  assert.deepEqual(r.findings, [
    { kind: 'above-limit', startSecond: 90, seconds: 40, medianP99Ns: 80e6 },
    { kind: 'step', startSecond: 90, seconds: 40, medianP99Ns: 80e6 },
  ]);
});

test('a step that stays under the limit is still a step', () => {
  const r = detectSteps(series([...flat(70, 0.5), ...flat(15, 3)]), OPTS);
  assert.deepEqual(r.findings, [{ kind: 'step', startSecond: 70, seconds: 15, medianP99Ns: 3e6 }]);
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
    { kind: 'above-limit', startSecond: 65, seconds: 12, medianP99Ns: null },
    { kind: 'step', startSecond: 65, seconds: 12, medianP99Ns: null },
  ]);
});

test('a short run uses a third of it as baseline; too short is not judged', () => {
  const r = detectSteps(series([...flat(15, 1), ...flat(15, 20)]), OPTS);
  assert.equal(r.baselineSeconds, 10);
  assert.deepEqual(r.findings.map((f) => [f.kind, f.startSecond, f.seconds]), [['above-limit', 15, 15], ['step', 15, 15]]);
  const short = detectSteps(series(flat(8, 1)), OPTS);
  assert.equal(short.judged, false);
  assert.match(short.reason!, /needs at least 13 s of samples.*the run had 8 s/);
});

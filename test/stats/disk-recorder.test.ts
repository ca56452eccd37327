import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../../src/stats/samples.js';

/** start, write, sync, service, response */
function op(startNs: number, writeNs: number, syncNs: number, responseNs = -1): number[] {
  return [startNs, writeNs, syncNs, writeNs + Math.max(syncNs, 0), responseNs];
}

test('write, sync, op and response streams are kept apart', () => {
  const r = new DiskRecorder();
  const batch = new Float64Array([
    ...op(0, 4, 100),
    ...op(200, 6, -1), // no sync on this op (sync every 2)
    ...op(400, 5, 300, 900),
    ...op(1.2e9, 7, -1),
  ]);
  r.add(batch);
  assert.equal(r.ops, 4);
  const s = r.finish(2e9);
  assert.equal(s.summaries.write.count, 4);
  assert.equal(s.summaries.write.maxNs, 7);
  assert.equal(s.summaries.sync.count, 2);
  assert.equal(s.summaries.sync.minNs, 100);
  assert.equal(s.summaries.sync.maxNs, 300);
  assert.equal(s.summaries.op.count, 4);
  assert.equal(s.summaries.op.maxNs, 305);
  assert.equal(s.summaries.response.count, 1);
  assert.equal(s.summaries.response.maxNs, 900);
  assert.equal(s.summaries.op.opsPerSec, 2);
  assert.deepEqual(
    s.timeSeries.op.map((w) => w.count),
    [3, 1],
  );
  assert.deepEqual(
    s.timeSeries.sync.map((w) => w.count),
    [2, 0],
  );
  assert.equal(typeof s.histograms.sync, 'string');
});

test('a batch with a broken stride is refused', () => {
  const r = new DiskRecorder();
  assert.throws(() => r.add(new Float64Array(7)), RangeError);
  r.finish(0);
});

test("a tick's figures are the full summary's, without the ones that walk the whole histogram", () => {
  const r = new DiskRecorder();
  const b = new Float64Array(1000 * SAMPLE_STRIDE);
  for (let i = 0; i < 1000; i++) {
    const at = i * SAMPLE_STRIDE;
    b[at + S_START] = i * 1e6;
    b[at + S_WRITE] = 1e4 + i;
    b[at + S_SYNC] = 5e4 + i * 100;
    b[at + S_SERVICE] = 6e4 + i * 100;
    b[at + S_RESPONSE] = -1;
  }
  r.add(b);
  const tick = r.snapshot(2e9).summaries.sync;
  const full = r.finish(2e9).summaries.sync;
  assert.deepEqual(tick, {
    count: full.count,
    p50Ns: full.p50Ns,
    p99Ns: full.p99Ns,
    p999Ns: full.p999Ns,
    maxNs: full.maxNs,
    opsPerSec: full.opsPerSec,
  });
  assert.equal(tick.count, 1000);
  assert.equal(tick.opsPerSec, 500);
});

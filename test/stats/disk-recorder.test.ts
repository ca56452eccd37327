import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';

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

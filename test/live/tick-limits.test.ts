// Each stream in a tick carries the bound it is judged by, so a view marks a
// 20 ms request (bound 100 ms) differently from a 20 ms fdatasync (bound 10 ms).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workloadOf } from '../../src/disk/assemble-disk-result.js';
import { diskTick } from '../../src/disk/disk-ticks.js';
import { DISK_OPTION_KEYS } from '../../src/disk/disk-option-values.js';
import { S_START, S_SERVICE, S_SYNC, S_WRITE, S_RESPONSE, SAMPLE_STRIDE } from '../../src/stats/samples.js';
import { loadTick } from '../../src/load/ticks.js';
import { loadProfile } from '../../src/options/profiles.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';
import { LoadRecorder } from '../../src/stats/load-recorder.js';
import { diskGrading } from '../../src/grade/grade-disk.js';
import { loadGrading } from '../../src/grade/grade-load.js';

/** `n` operations of 1 ms write + `syncNs` sync, back to back from 0. */
function batch(n: number, syncNs: number): Float64Array {
  const b = new Float64Array(n * SAMPLE_STRIDE);
  for (let i = 0; i < n; i++) {
    const o = i * SAMPLE_STRIDE;
    b[o + S_START] = i * (1e6 + syncNs);
    b[o + S_WRITE] = 1e6;
    b[o + S_SYNC] = syncNs;
    b[o + S_SERVICE] = 1e6 + syncNs;
    b[o + S_RESPONSE] = -1;
  }
  return b;
}

test('a disk tick bounds write() by the stall limit, the sync by the p99 rule and commits by the commit limit', () => {
  const o = resolveOptions(DISK_OPTION_KEYS, { commitP99Limit: '30ms' }, loadProfile('wal', DISK_OPTION_KEYS)).values;
  const main = new DiskRecorder();
  const commit = new DiskRecorder();
  main.add(batch(100, 20e6));
  commit.add(batch(10, 5e6));
  const tick = diskTick(
    { elapsedNs: 3e9, main: main.snapshot(3e9), commit: commit.snapshot(3e9) },
    'disk',
    o,
    workloadOf(o),
    diskGrading,
  );
  assert.deepEqual(
    tick.streams.map((s) => [s.name, s.limitNs]),
    [
      ['WAL write()', 200e6],
      ['WAL fdatasync', 10e6],
      ['commit', 30e6],
    ],
  );
  assert.equal(tick.seriesLimitNs, 10e6);
  assert.equal(tick.streams[1]!.total.p99Ns > tick.streams[1]!.limitNs!, true, 'the 20 ms syncs are over their bound');
  main.finish(3e9);
  commit.finish(3e9);
});

test("a load tick bounds requests by the profile's request p99, and etcd's WAL fsync by the server limit", () => {
  const rec = new LoadRecorder();
  for (let i = 0; i < 50; i++) rec.ok('put', false, i * 1e6, i * 1e6, i * 1e6 + 20e6);
  const tick = loadTick('load', 2e9, 10e9, rec, [], { serverWalNs: 10e6, requestP99Ns: 100e6 }, loadGrading);
  assert.deepEqual(
    tick.streams.map((s) => [s.name, s.limitNs]),
    [['request', 100e6]],
  );
  assert.equal(tick.seriesLimitNs, 100e6);
  assert.ok(
    tick.streams[0]!.total.p99Ns < 100e6 && tick.streams[0]!.total.p99Ns >= 19e6,
    '20 ms requests are under their bound',
  );
  assert.equal(tick.checks.find((c) => c.id === 'etcd-wal-fsync-p99')?.limit, 10e6);
  rec.finish(2e9);
});

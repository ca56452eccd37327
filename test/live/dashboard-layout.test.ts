// The dashboard drawn on a fake 120 x 40 terminal from a phase-start and a
// tick, read back as text: boxes, latency rows, the checks with their causes.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { Dashboard } from '../../src/live/dashboard.js';
import type { TickEvent } from '../../src/events/events.js';
import { check } from '../helpers/check.js';
import type { LatencySummary } from '../../src/stats/summary.js';

function fakeTerminal(cols: number, rows: number) {
  const output = Object.assign(new PassThrough(), { columns: cols, rows, isTTY: true });
  output.resume(); // nothing reads the escape sequences
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  return { input, output };
}

const summary = (p99Ns: number, count = 1000): LatencySummary => ({
  count,
  minNs: 1e5,
  meanNs: p99Ns / 2,
  stddevNs: 1e5,
  maxNs: p99Ns * 2,
  p50Ns: p99Ns / 3,
  p90Ns: p99Ns / 2,
  p99Ns,
  p999Ns: p99Ns * 1.5,
  p9999Ns: p99Ns * 2,
  opsPerSec: 2000,
  clampedHigh: 0,
});

test('the dashboard on a fake terminal: header, latency rows against their limits, checks with a cause', () => {
  const term = fakeTerminal(120, 40);
  const d = new Dashboard({ onStop: () => undefined, terminal: term });
  try {
    d.handle({
      type: 'phase-start',
      command: 'qualify',
      phase: 'wal',
      index: 2,
      of: 3,
      title: "etcd's WAL",
      plannedNs: 45e9,
      target: '/var/tmp (ext4 on vda)',
      profile: 'standard',
    });
    const tick: TickEvent = {
      type: 'tick',
      phase: 'wal',
      elapsedNs: 12e9,
      plannedNs: 45e9,
      ops: 24000,
      opsLastSecond: 2000,
      errors: 0,
      streams: [
        { name: 'WAL write()', lastSecond: null, total: summary(0.02e6), limitNs: 200e6 },
        {
          name: 'WAL fdatasync',
          lastSecond: { second: 11, count: 2000, p50Ns: 2e5, p99Ns: 4e5, maxNs: 9e5 },
          total: summary(0.45e6),
          limitNs: 10e6,
        },
      ],
      syncBuckets: [0, 0, 10, 500, 20000, 3000, 400, 80, 10, 0, 0, 0, 0, 0, 0, 0],
      series: Array.from({ length: 12 }, (_, s) => ({ second: s, count: 2000, p50Ns: 2e5, p99Ns: 4e5, maxNs: 9e5 })),
      seriesLimitNs: 10e6,
      server: null,
      checks: [
        check('sync-p99', 'pass', 0.45e6),
        check('commit-p99', 'inconclusive', 30e6, { cause: 'host', limit: 25e6 }),
      ],
      letter: 'A',
    };
    d.handle(tick);
    const rows = d.screenText();
    const screen = rows.join('\n');
    assert.equal(rows.length, 40);
    assert.match(screen, /etcd-disk-bench qualify {2}\/var\/tmp/, 'the header names the command and the target');
    assert.match(screen, /phase 2\/3 wal/);
    assert.match(screen, /\/var\/tmp \(ext4 on vda\)/);
    assert.match(screen, /WAL fdatasync +0\.200 +0\.400 +0\.900\|/, "the last second's p50, p99, max in ms");
    assert.match(screen, /PASS sync-p99/);
    assert.match(screen, /HOST commit-p99/, "a miss that is not the disk's names its cause");
    assert.ok(rows.every((r) => r.length <= 120));
  } finally {
    d.destroy();
  }
});

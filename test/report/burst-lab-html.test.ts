// The page of a `lab burst-credits` result: credits and etcd's WAL fsync p99
// per second on one time axis, the forecast and the drain marked on both, and
// the numbers behind them equal to the result's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BURST_LAB_SCHEMA, type BurstLabResult } from '../../src/lab/burst-lab-result.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { renderBurstLabHtml } from '../../src/report/html/burst-lab-html.js';

const qualify = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'qualify-pass.json'), 'utf8'),
) as QualifyReport;

/** A 40-second drain: 500 credits a second against a refill of 100, from 8,000 credits; the step at second 21. */
function result(): BurstLabResult {
  const load = qualify.phases.etcd.result!;
  return {
    schema: BURST_LAB_SCHEMA,
    tool: load.tool,
    runId: 'run-1',
    startedAt: load.startedAt,
    finishedAt: load.finishedAt,
    complete: true,
    argv: ['lab', 'burst-credits', '--credits', '8000'],
    profile: null,
    target: { dir: '/var/tmp', fsType: 'ext4' },
    etcdVersion: '3.4.23',
    bucket: {
      creditsFull: 8000,
      baselineIops: 100,
      demandIops: 500,
      forecastEmptySecond: 20,
      emptiedAtSecond: 21,
      walFsyncP99BeforeMs: 3.2,
      walFsyncP99AfterMs: 41.5,
    },
    elections: { leaderChanges: 1, inLogs: 2 },
    timeline: Array.from({ length: 40 }, (_, i) => ({
      second: i + 1,
      credits: i < 20 ? 500 : 100,
      creditsLeft: Math.max(0, 8000 - 400 * (i + 1)),
      walFsyncP99Ms: i < 20 ? 3.2 : 41.5,
    })),
    load,
    warnings: [],
  };
}

test('credits and WAL fsync p99 on one time axis, the forecast and the drain marked on both', () => {
  const html = renderBurstLabHtml(result());
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(/i);
  assert.match(html, /<p class="verdict grade--">EMPTIED AT SECOND 21<\/p>/);
  const charts = [...html.matchAll(/<svg class="chart"[^>]*aria-label="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(charts.slice(0, 2), [
    'Credits left in the lowest bucket, per second',
    "etcd's WAL fsync p99 per second, the worst member",
  ]);
  // The same seconds on both: the x axis of each ends at 40 (ticks 0, 10, ... 40).
  const [credits, latency] = html.split('<svg class="chart"').slice(1, 3);
  for (const chart of [credits!, latency!]) {
    assert.match(chart, />40<\/text>/);
    assert.match(chart, /<title>forecast: empty at second 20<\/title>/);
    assert.match(chart, /<title>emptied: at second 21<\/title>/);
  }
  assert.match(latency!, /limit 10 ms/);
  const rows = [...html.matchAll(/<tr><td>(\d+)<\/td><td>(\d+)<\/td><td>(\d+)<\/td><td>([\d.]+)<\/td><\/tr>/g)];
  assert.equal(rows.length, 40, 'one row per second behind the charts');
  assert.deepEqual(rows[20]!.slice(1), ['21', '100', '0', '41.50']);
  assert.ok(html.includes("etcd's WAL fsync p99 3.20 ms before, 41.50 ms after; 1 leader changes"));
});

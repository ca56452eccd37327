// The HTML page of a qualify report, read as text: self-contained (no script,
// no URL it would fetch), one chart per phase view with its series, the
// numbers in its tables equal to the report's, and a 45-minute series kept
// small (display downsampling only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { renderQualifyHtml } from '../../src/report/html/qualify-html.js';
import { downsample, ticks } from '../../src/report/html/svg-chart.js';

const fixture = (f: string) =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', f), 'utf8')) as QualifyReport;

test('self-contained: no script, nothing fetched, every chart titled for screen readers', () => {
  const html = renderQualifyHtml(fixture('qualify-pass.json'));
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(/i);
  const charts = [...html.matchAll(/<svg class="chart"[^>]*aria-label="([^"]+)"[^>]*data-series="(\d+)"/g)];
  assert.deepEqual(
    charts.map((m) => [m[1], Number(m[2])]),
    [
      ["fio's etcd recipe: fdatasync latency per second", 3],
      ["fio's etcd recipe: fdatasync latency distribution", 1],
      ["etcd's WAL shape: fdatasync latency per second", 3],
      ["etcd's WAL shape: fdatasync latency distribution", 1],
      ['etcd: request latency per second', 3],
    ],
  );
  assert.equal((html.match(/<path class="series/g) ?? []).length, 9, 'p50, p99 and max in each time chart');
});

test("the tables hold the report's own numbers; a failing report says FAIL and draws bars over the limit", () => {
  const pass = fixture('qualify-pass.json');
  const html = renderQualifyHtml(pass);
  const p99 = (pass.phases.wal.result!.latency.sync.p99Ns / 1e6).toFixed(3);
  assert.ok(html.includes(`<td>${p99}</td>`), `the WAL p99 ${p99} ms is in a table`);
  assert.match(html, new RegExp(`<p class="verdict grade-${pass.grade.letter}">PASS, grade ${pass.grade.letter}</p>`));
  for (const c of pass.checks)
    assert.ok(
      html.includes(c.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')),
      c.title,
    );
  const slow = renderQualifyHtml(fixture('qualify-slow-20ms.json'));
  assert.match(slow, /<p class="verdict grade-[DF]">FAIL, grade [DF]<\/p>/);
  assert.match(slow, /<rect class="bar over"/, 'the fsyncs beyond the 10 ms limit are marked');
  assert.match(slow, /<tr class="status-fail"><td>FAIL<\/td>/);
});

test('a 45-minute run: under 1 MB, drawn from at most 600 points a series, peaks kept', () => {
  const r = fixture('qualify-pass.json');
  const wal = r.phases.wal.result!;
  const rows = Array.from({ length: 2700 }, (_, s) => ({
    second: s,
    count: 500,
    p50Ns: 250_000,
    p99Ns: s === 1861 ? 48e6 : 400_000,
    maxNs: s === 1861 ? 90e6 : 900_000,
  }));
  const long = {
    ...r,
    phases: {
      ...r.phases,
      wal: { ...r.phases.wal, result: { ...wal, timeSeries: { ...wal.timeSeries, sync: rows } } },
    },
  };
  const html = renderQualifyHtml(long as QualifyReport);
  assert.ok(html.length < 1_000_000, `${html.length} bytes`);
  const kept = downsample(
    rows.map((x) => [x.second, x.p99Ns]),
    600,
  );
  assert.ok(kept.length <= 600);
  assert.equal(Math.max(...kept.map((p) => p[1] ?? 0)), 48e6, 'the one slow second survives downsampling');
  assert.match(html, /<td>1845-1889<\/td><td>22500<\/td><td>0\.250<\/td><td>48\.000<\/td><td>90\.000<\/td>/);
});

test('axes start at zero and use round ticks', () => {
  assert.deepEqual(ticks(9.3), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(ticks(0.00042), [0, 0.0001, 0.0002, 0.0003, 0.0004, 0.0005]);
  assert.deepEqual(ticks(0), [0]);
});

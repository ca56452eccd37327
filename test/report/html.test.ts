// The HTML page of a qualify report, read as text: self-contained (no script,
// no URL it would fetch), one chart per phase view with its series, the
// numbers in its tables equal to the report's, and a 45-minute series kept
// small (display downsampling only); pages never written over a file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { renderQualifyHtml } from '../../src/report/html/qualify-html.js';
import { downsample, ticks } from '../../src/report/html/svg-chart.js';
import { CLI } from '../helpers/cli.js';
import { listing, tempDir } from '../helpers/tmp.js';

const fixture = (f: string) =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', f), 'utf8')) as QualifyReport;

test('self-contained: no script, nothing fetched, every chart titled for screen readers', () => {
  const html = renderQualifyHtml(fixture('qualify-pass.json'));
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(/i);
  const charts = [...html.matchAll(/<svg class="chart"[^>]*aria-label="([^"]+)"[^>]*data-series="(\d+)"/g)];
  assert.deepEqual(
    charts.map((m) => [m[1], Number(m[2])]),
    [
      ["fio's etcd recipe: fdatasync latency distribution", 1],
      ["etcd's WAL shape: fdatasync latency per second", 3],
      ["etcd's WAL shape: fdatasync latency distribution", 1],
      ["etcd's WAL shape: backend commit latency per second", 3],
      ['etcd: request latency (response time) per second', 3],
      ['etcd: response and service time distribution', 2],
      ["WAL fsync in etcd's buckets", 2],
      ["backend commit in etcd's buckets", 1],
    ],
  );
  assert.equal((html.match(/<path class="series/g) ?? []).length, 9, 'p50, p99 and max in each time chart');
  // The fio phase ran 2 s: two points are no chart.
  assert.match(
    html,
    /fio's etcd recipe: fdatasync latency per second: too short for a chart \(2 s\); the seconds are in the table/,
  );
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

test('what happened is drawn where it happened: step changes shaded, cuts and stalls marked, percentiles lined', () => {
  const r = fixture('qualify-pass.json');
  const wal = r.phases.wal.result!;
  const sync = wal.timeSeries.sync.map((row) => (row.second === 3 ? { ...row, maxNs: 250e6 } : row));
  const marked = {
    ...r,
    phases: {
      ...r.phases,
      wal: {
        ...r.phases.wal,
        result: {
          ...wal,
          timeSeries: { ...wal.timeSeries, sync },
          wal: { ...wal.wal!, timeSeries: [{ second: 2, count: 1, p50Ns: 9e5, p99Ns: 9e5, maxNs: 9e5 }] },
          stepChange: {
            ...wal.stepChange,
            findings: [{ kind: 'step' as const, startSecond: 4, seconds: 3, medianP99Ns: 12e6 }],
          },
        },
      },
    },
  };
  const html = renderQualifyHtml(marked as QualifyReport);
  assert.match(html, /<title>segment cut: 1 in second 2, the longest 0\.900 ms<\/title>/);
  assert.match(
    html,
    /<title>stall: a write\(\) and fdatasync took 250\.000 ms in second 3 \(limit 200\.000 ms\)<\/title>/,
  );
  assert.match(html, /<rect class="band"[^>]*><title>step change from second 4 for 3 s, p99 12\.000 ms<\/title>/);
  const p99 = (wal.latency.sync.p99Ns / 1e6).toFixed(3);
  assert.ok(html.includes(`<title>p99 ${p99} ms</title>`), 'the p99 line on the distribution');
  assert.match(html, /<title>limit 10\.000 ms<\/title>/);
});

test('pages are never written over a file: report html --out and qualify --html refuse with exit 2', () => {
  const dir = tempDir('edb-html-cli-');
  const json = join(dir, 'r.json');
  copyFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'qualify-pass.json'), json);
  const first = spawnSync(process.execPath, [CLI, 'report', 'html', json], { encoding: 'utf8' });
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /html: .*r\.html \(\d+ KiB\)/);
  const again = spawnSync(process.execPath, [CLI, 'report', 'html', json, '--out', join(dir, 'r.html')], {
    encoding: 'utf8',
  });
  assert.equal(again.status, 2, again.stderr);
  assert.match(again.stderr, /--out: .* already exists/);
  // qualify --html: a page name already taken is refused before anything runs (no phase starts, nothing written)
  writeFileSync(join(dir, 'r2.html'), 'mine');
  const q = spawnSync(process.execPath, [CLI, 'qualify', '--dir', dir, '--out', join(dir, 'r2.json'), '--html'], {
    encoding: 'utf8',
  });
  assert.equal(q.status, 2, q.stderr);
  assert.match(q.stderr, /--html: .*r2\.html already exists/);
  assert.deepEqual(listing(dir), ['r.html', 'r.json', 'r2.html']);
  assert.equal(readFileSync(join(dir, 'r2.html'), 'utf8'), 'mine');
});

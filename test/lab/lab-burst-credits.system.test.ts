// lab burst-credits: the bucket empties about when the lab forecast it would, etcd's fsyncs slow down after,
// and nothing is left mounted or running.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import type { BurstLabResult } from '../../src/lab/burst-lab-result.js';
import { runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { slowfsMountsUnder } from '../helpers/mounts.js';
import { listing, tempDir } from '../helpers/tmp.js';

test('one member on a bucket of 10000 at 100/s: it empties within 30 % of the forecast, and fsyncs slow after', {
  skip: needs('root', 'slowfs', 'etcd'),
}, async (t) => {
  const dir = tempDir('edb-burst-');
  const out = join(tempDir('edb-burst-out-'), 'burst.json');
  const r = await runCli(
    ['lab', 'burst-credits', '--dir', dir, '--members', '1', '--baseline', '100', '--credits', '10000'].concat([
      '--runtime',
      '40s',
      '--json',
      '--out',
      out,
      '--html',
    ]),
    180_000,
  );
  assert.equal(r.code, 0, r.stderr);
  const res = JSON.parse(r.stdout) as BurstLabResult;
  // The result saved as --json printed it, with its page beside it; both read back by `report`.
  assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), res);
  const page = readFileSync(out.replace(/\.json$/, '.html'), 'utf8');
  assert.equal((page.match(/<svg class="chart"/g) ?? []).length >= 2, true);
  assert.match(page, /aria-label="Credits left in the lowest bucket, per second"/);
  // A row per second; once empty, a bucket's level goes below 0 (credits owed by operations waiting for them).
  const rows = [...page.matchAll(/<tr><td>\d+<\/td><td>\d+<\/td><td>-?\d+<\/td><td>[\d.-]+<\/td><\/tr>/g)];
  assert.equal(rows.length, res.timeline.length);
  const show = await runCli(['report', 'show', out]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^FORECAST: /m);
  const again = await runCli(['report', 'html', out, '--out', join(dirname(out), 'again.html')]);
  assert.equal(again.code, 0, again.stderr);
  const b = res.bucket;
  t.diagnostic(
    `demand ${b.demandIops}/s, forecast ${b.forecastEmptySecond} s, emptied ${b.emptiedAtSecond} s, WAL p99 ` +
      `${b.walFsyncP99BeforeMs} -> ${b.walFsyncP99AfterMs} ms`,
  );
  assert.deepEqual([b.creditsFull, b.baselineIops], [10000, 100]);
  assert.ok(res.timeline.length >= 35, `${res.timeline.length} seconds in the timeline`);
  assert.ok(b.demandIops! > 100, `the kube load takes ${b.demandIops} credits a second`);
  assert.ok(b.forecastEmptySecond !== null, 'a demand above the baseline gives a forecast');
  if (b.forecastEmptySecond > 34) {
    // A slow disk takes fewer credits: the bucket outlasts this short run, as the forecast said it would.
    assert.equal(b.emptiedAtSecond, null, `emptied at ${b.emptiedAtSecond} s, forecast ${b.forecastEmptySecond} s`);
    return;
  }
  assert.ok(b.emptiedAtSecond !== null, `forecast ${b.forecastEmptySecond} s, but it never emptied`);
  assert.ok(
    Math.abs(b.emptiedAtSecond / b.forecastEmptySecond - 1) <= 0.3,
    `emptied at ${b.emptiedAtSecond} s, forecast ${b.forecastEmptySecond} s`,
  );
  // Once empty, the member gets 100 credits a second: what it takes is paced by the refill.
  const after = res.timeline.filter((s) => s.second > b.emptiedAtSecond! + 1);
  assert.ok(after.length > 0 && after.every((s) => s.credits <= 130), after.map((s) => s.credits).join(','));
  assert.ok(b.walFsyncP99AfterMs! > b.walFsyncP99BeforeMs!, `${b.walFsyncP99BeforeMs} -> ${b.walFsyncP99AfterMs}`);
  assert.match(r.stderr, /^FORECAST: demand \d+ credits\/s in the first seconds: the first bucket empties at second/m);
  assert.match(r.stderr, /^WHAT HAPPENED: the first bucket emptied at second \d+; etcd's WAL fsync p99 /m);
  assert.deepEqual(slowfsMountsUnder(dir), []);
  assert.deepEqual(listing(dir), []);
});

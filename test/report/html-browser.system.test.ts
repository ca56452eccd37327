// The HTML pages opened in a real headless browser (Debian's chromium, driven
// by puppeteer-core), rendered from runs made here and now: a quick qualify
// on a temporary directory (its page written by qualify --html), one on a disk
// slowed by 20 ms (slowfs) that fails, the compare of the two, their fleet, a
// disk and a load result, and an observe report of a live member under load.
// No console error, no request leaves the page, every chart has drawn its
// series, and the numbers in the tables are the report's. Screenshots (light,
// dark) and the pages are kept for a person to look at: in $EDB_SCREENSHOTS,
// or a directory under the system's temporary directory that the test names.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { LoadResult } from '../../src/load/load-result.js';
import { mountSlowfs } from '../../src/lab/slowfs.js';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { CLI, qualifyArgs, runCli, startCli, waitFor } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

const skip = needs('chromium', 'etcd', 'root', 'slowfs');
const cleanup = new CleanupRegistry();
after(() => cleanup.drain());
const work = tempDir('edb-html-');
const out = tempDir('edb-html-out-');
const CHROMIUM = '/usr/lib/chromium/chromium';
// Kept after the run (the test's own directories are removed): where to look is printed once.
const shots = process.env.EDB_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), 'edb-html-screenshots-'));
mkdirSync(shots, { recursive: true });
process.stderr.write(`# html pages and screenshots: ${shots}\n`);
let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

const ms = (ns: number) => (ns / 1e6).toFixed(3);
const read = <T>(f: string) => JSON.parse(readFileSync(f, 'utf8')) as T;

function cli(args: string[], input?: string): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The page's charts and table cells, after checking it loads cleanly and keeping screenshots. */
async function open(html: string): Promise<{ cells: string[]; verdict: string; labels: string[] }> {
  browser ??= await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => requests.push(r.url()));
  await page.setViewport({ width: 1200, height: 900 });
  await page.goto(`file://${html}`, { waitUntil: 'load' });
  const charts = await page.$$eval('svg.chart', (svgs) =>
    svgs.map((s) => ({
      label: s.getAttribute('aria-label') ?? '',
      expected: Number(s.getAttribute('data-series')),
      lines: [...s.querySelectorAll('path.series')].filter((p) => (p.getAttribute('d') ?? '').length > 1).length,
      bars: [...s.querySelectorAll('g.bar-series')].filter((g) => g.querySelector('rect.bar')).length,
      width: s.getBoundingClientRect().width,
    })),
  );
  assert.ok(charts.length >= 1, `${html}: no chart`);
  for (const c of charts) {
    assert.equal(c.lines + c.bars, c.expected, `${c.label}: ${c.lines + c.bars} of ${c.expected} series drawn`);
    assert.ok(c.width > 300, `${c.label} is laid out (${c.width} px)`);
  }
  assert.deepEqual(errors, [], html);
  assert.deepEqual(
    requests.filter((u) => !u.startsWith('file://')),
    [],
    'nothing but the page itself is requested',
  );
  const cells = await page.$$eval('table td', (tds) => tds.map((t) => t.textContent ?? ''));
  const verdict = await page.$eval('.verdict', (e) => e.textContent ?? '');
  const shot = join(shots, basename(html, '.html'));
  copyFileSync(html, `${shot}.html`);
  await page.screenshot({ path: `${shot}.png`, fullPage: true });
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.screenshot({ path: `${shot}-dark.png`, fullPage: true });
  assert.ok((await page.pdf({ format: 'A4' })).length > 10_000, 'it prints');
  await page.close();
  return { cells, verdict, labels: charts.map((c) => c.label) };
}

const pass = join(out, 'pass.json');
const slow = join(out, 'slow.json');

// The WAL phases and the disk run last 6 s: a per-second chart needs 5 seconds or more (MIN_CHART_SECONDS).
before(async () => {
  if (skip) return;
  mkdirSync(join(work, 'disk'));
  const q = await runCli([...qualifyArgs(join(work, 'disk'), pass, '2s', '6s', '3s'), '--html'], 120_000);
  assert.ok(q.code === 0 || q.code === 1 || q.code === 4, q.stderr);
  mkdirSync(join(work, 'back'));
  mkdirSync(join(work, 'mnt'));
  const fs = await mountSlowfs(join(work, 'back'), join(work, 'mnt'), { fsyncDelayUs: 20_000 }, cleanup);
  const s = await runCli(qualifyArgs(fs.mountPoint, slow, '2s', '6s', '0', ['--node-name', 'slow-node']), 120_000);
  assert.equal(s.code, 1, s.stderr);
});

test('qualify --html: the page beside the report, in the browser; the WAL p99 and count in its tables', {
  skip,
}, async () => {
  const html = pass.replace(/\.json$/, '.html');
  assert.ok(existsSync(html), 'qualify --html wrote the page beside the report');
  const report = read<QualifyReport>(pass);
  const page = await open(html);
  const wal = report.phases.wal.result!;
  assert.ok(page.cells.includes(ms(wal.latency.sync.p99Ns)), 'the WAL p99 in its table');
  assert.ok(page.cells.includes(String(wal.latency.sync.count)), 'the WAL fsync count in its table');
  assert.equal(page.verdict, `${report.verdict.passed ? 'PASS' : 'FAIL'}, grade ${report.grade.letter}`);
  assert.ok(page.labels.includes("WAL fsync in etcd's buckets"), "etcd's own view is drawn");
  assert.ok(page.labels.includes('etcd: response and service time distribution'));
});

test('the 20 ms slowfs run fails, and its page says so with the fsyncs over the limit', { skip }, async () => {
  const r = cli(['report', 'html', slow]);
  assert.equal(r.code, 0, r.stderr);
  const report = read<QualifyReport>(slow);
  const page = await open(slow.replace(/\.json$/, '.html'));
  assert.match(page.verdict, /^FAIL, grade [DF]$/);
  assert.ok(page.cells.includes(ms(report.phases.wal.result!.latency.sync.p99Ns)));
  assert.ok(page.cells.includes('FAIL'), 'a failed check in the checks table');
  assert.match(readFileSync(slow.replace(/\.json$/, '.html'), 'utf8'), /<rect class="bar over"/);
});

test('report compare --html: both runs on the same axes, the comparison table the text one', { skip }, async () => {
  const html = join(out, 'compare.html');
  const r = cli(['report', 'compare', pass, slow, '--html', html]);
  assert.equal(r.code, 1, r.stderr);
  const page = await open(html);
  assert.match(page.verdict, /^WORSE: \d+ figures?$/);
  assert.ok(page.labels.includes("etcd's WAL shape: fdatasync p99 per second, before and after"));
  const svg = readFileSync(html, 'utf8');
  assert.match(svg, /<path class="series c-before"/);
  assert.match(svg, /<path class="series c-after"/);
  const walP99 = (f: string) => ms(read<QualifyReport>(f).phases.wal.result!.latency.sync.p99Ns);
  assert.ok(page.cells.includes(walP99(pass)) && page.cells.includes(walP99(slow)), 'both WAL p99s in the table');
  const again = cli(['report', 'compare', pass, slow, '--html', html]);
  assert.equal(again.code, 2, 'an existing --html is never overwritten');
  assert.match(again.stderr, /--html: .* already exists/);
});

test('report merge --html, and report html of a saved fleet: the slow node named worst', { skip }, async () => {
  const html = join(out, 'merged.html');
  const m = cli(['report', 'merge', pass, slow, '--json', '--html', html]);
  assert.equal(m.code, 1, m.stderr);
  const page = await open(html);
  assert.match(page.verdict, /^FAIL, \d of 2 nodes$/);
  assert.ok(page.cells.includes('slow-node'));
  writeFileSync(join(out, 'fleet.json'), m.stdout);
  const again = cli(['report', 'html', join(out, 'fleet.json')]);
  assert.equal(again.code, 0, again.stderr);
  const saved = await open(join(out, 'fleet.html'));
  assert.ok(saved.cells.includes('slow-node'));
  assert.equal(saved.verdict, page.verdict);
});

test('a saved disk result and a saved load result get their own pages', { skip }, async () => {
  const d = cli(['disk', '--dir', join(work, 'disk'), '--size', '4m', '--runtime', '6s', '--time-based', '--json']);
  assert.ok(d.code === 0 || d.code === 1 || d.code === 4, d.stderr);
  writeFileSync(join(out, 'disk.json'), d.stdout);
  assert.equal(cli(['report', 'html', join(out, 'disk.json')]).code, 0);
  const disk = read<DiskResult>(join(out, 'disk.json'));
  const dp = await open(join(out, 'disk.html'));
  assert.ok(dp.cells.includes(ms(disk.latency.sync.p99Ns)));
  assert.ok(dp.labels.includes('The disk run: fdatasync latency per second'));

  const l = await runCli(['load', '--dir', join(work, 'disk'), '--runtime', '3s', '--rate', '200', '--json'], 60_000);
  assert.ok(l.code === 0 || l.code === 1 || l.code === 4, l.stderr);
  writeFileSync(join(out, 'load.json'), l.stdout);
  assert.equal(cli(['report', 'html', join(out, 'load.json')]).code, 0);
  const load = read<LoadResult>(join(out, 'load.json'));
  const lp = await open(join(out, 'load.html'));
  assert.ok(lp.cells.includes(ms(load.latency.response.p99Ns)), 'the request p99 in its table');
  assert.ok(lp.labels.includes("WAL fsync in etcd's buckets"));
});

test("an observe report of a member under load: each figure per interval, etcd's buckets", { skip }, async () => {
  const { cluster } = await testEtcd(1);
  const file = join(out, 'observe.json');
  const obs = startCli(
    ['observe', '--endpoints', cluster.endpoints[0]!, '--runtime', '8s', '--interval', '1s', '--out', file],
    60_000,
  );
  let stderr = '';
  obs.child.stderr!.on('data', (d) => (stderr += d));
  await waitFor(() => /\[observe 00:0[1-9]/.test(stderr), 20_000);
  const load = await runCli(['load', '--endpoints', cluster.endpoints[0]!, '--rate', '200', '--total', '600']);
  assert.equal(load.code, 0, load.stderr);
  const r = await obs.done;
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  assert.equal(cli(['report', 'html', file]).code, 0);
  const report = read<ObserveReport>(file);
  const page = await open(file.replace(/\.json$/, '.html'));
  assert.ok(page.labels.includes('WAL fsync p99 per interval'));
  const rows = report.members[0]!.intervals.filter((x) => x.walFsyncP99);
  assert.ok(rows.length > 0, 'the load landed in some interval');
  for (const x of rows) assert.ok(page.cells.includes(x.walFsyncP99!.text), `${x.walFsyncP99!.text} in the table`);
  assert.ok(page.cells.includes(report.members[0]!.name));
});

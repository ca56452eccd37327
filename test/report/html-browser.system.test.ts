// The HTML report opened in a real headless browser (Debian's chromium,
// driven by puppeteer-core): pages rendered from real qualify reports (a pass
// and a run on a disk slowed by 20 ms) through `report html`. No console
// error, no request leaves the page, every chart has drawn its series, and
// the numbers in the tables are the report's. Screenshots are kept in the
// test's temporary directory for a person to look at.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import puppeteer, { type Browser } from 'puppeteer-core';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { CLI } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

const skip = needs('chromium');
const dir = tempDir('edb-html-');
const CHROMIUM = '/usr/lib/chromium/chromium';
let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

/** `report html` on a fixture report (a real qualify report), returning the page's path. */
function render(fixture: string, as = fixture): { html: string; report: QualifyReport } {
  const json = join(dir, as);
  copyFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', fixture), json);
  const r = spawnSync(process.execPath, [CLI, 'report', 'html', json], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return { html: json.replace(/\.json$/, '.html'), report: JSON.parse(readFileSync(json, 'utf8')) as QualifyReport };
}

for (const fixture of ['qualify-pass.json', 'qualify-slow-20ms.json']) {
  test(`${fixture} in chromium: no error, no request out, every chart drawn, the tables' numbers the report's`, {
    skip,
  }, async () => {
    const { html, report } = render(fixture);
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
        label: s.getAttribute('aria-label'),
        expected: Number(s.getAttribute('data-series')),
        drawn:
          s.querySelectorAll('path.series').length > 0
            ? [...s.querySelectorAll('path.series')].filter((p) => (p.getAttribute('d') ?? '').length > 1).length
            : s.querySelectorAll('rect.bar').length > 0
              ? 1
              : 0,
        width: s.getBoundingClientRect().width,
      })),
    );
    assert.ok(charts.length >= 5, `${charts.length} charts`);
    for (const c of charts) {
      assert.equal(c.drawn, c.expected, `${c.label}: ${c.drawn} of ${c.expected} series drawn`);
      assert.ok(c.width > 300, `${c.label} is laid out (${c.width} px)`);
    }
    assert.deepEqual(errors, []);
    assert.deepEqual(
      requests.filter((u) => !u.startsWith('file://')),
      [],
      'nothing but the page itself is requested',
    );
    const cells = await page.$$eval('table.numbers td', (tds) => tds.map((t) => t.textContent ?? ''));
    const wal = report.phases.wal.result!;
    assert.ok(cells.includes((wal.latency.sync.p99Ns / 1e6).toFixed(3)), 'the WAL p99 in its table');
    assert.ok(cells.includes(String(wal.latency.sync.count)), 'the WAL fsync count in its table');
    const verdict = await page.$eval('.verdict', (e) => e.textContent);
    assert.equal(verdict, `${report.verdict.passed ? 'PASS' : 'FAIL'}, grade ${report.grade.letter}`);
    await page.screenshot({ path: join(dir, fixture.replace(/\.json$/, '.png')), fullPage: true });
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
    await page.screenshot({ path: join(dir, fixture.replace(/\.json$/, '-dark.png')), fullPage: true });
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 10_000, 'it prints');
    await page.close();
  });
}

test('report html never overwrites: an existing --out is refused with exit 2', { skip }, () => {
  const { html } = render('qualify-pass.json', 'again.json');
  const r = spawnSync(process.execPath, [CLI, 'report', 'html', join(dir, 'again.json'), '--out', html], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /--out: .* already exists/);
});

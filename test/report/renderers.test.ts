// Every view rendered from stored reports (test/fixtures/, made by real runs:
// a quick qualify on this machine's disk and one on slowfs at 20 ms), with no
// run at all: the views are pure functions of the report.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { compareReports, renderComparison } from '../../src/report/compare.js';
import { fioJson } from '../../src/report/fio-export.js';
import { STATUS_WORD, statusWord } from '../../src/report/format.js';
import { renderQualifyMarkdown } from '../../src/report/qualify-markdown.js';
import { renderQualifyText } from '../../src/report/qualify-text.js';
import { qualifyReportProblems } from '../../src/report/read-report.js';
import { percentilesOfEncoded } from '../../src/stats/summary.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', name), 'utf8')) as QualifyReport;
const good = fixture('qualify-pass.json');
const slow = fixture('qualify-slow-20ms.json');

test('the fixtures are valid reports of the current schema', () => {
  for (const r of [good, slow]) {
    assert.deepEqual(qualifyReportProblems(r), []);
    assert.equal(r.schema, 'etcd-disk-bench/qualify-report@2');
  }
  assert.ok(['A', 'B', 'C'].includes(good.grade.letter!), `the pass fixture grades ${good.grade.letter}`);
  assert.equal(slow.grade.letter, 'D');
});

test('show: every check on a line with its status word and value, the grade and the verdict', () => {
  for (const r of [good, slow]) {
    const text = renderQualifyText(r);
    for (const c of r.checks)
      assert.ok(text.includes(`${statusWord(c).padEnd(8)}${c.title}`), `${c.id} is shown as ${statusWord(c)}`);
    assert.match(text, new RegExp(`^GRADE ${r.grade.letter}$`, 'm'), 'the letter alone: the verdict quotes its reason');
    assert.ok(text.includes(r.verdict.text));
    assert.equal(text.split(r.grade.reason).length - 1, 1, "the grade's reason is said once");
    const wal = r.phases.wal.result!;
    assert.match(text, new RegExp(`fdatasync\\s+${wal.latency.sync.count}\\s`), 'the WAL phase row with its count');
  }
  const failing = slow.checks.filter((c) => c.status === 'fail');
  assert.ok(failing.length >= 2);
  assert.match(
    renderQualifyText(slow),
    /attribution: disk: the disk's figure/,
    'a failing phase says whose figure it is',
  );
});

test('markdown: one table row per check, the grade in the heading', () => {
  const md = renderQualifyMarkdown(slow);
  const rows = md.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| check') && !l.startsWith('|---'));
  assert.ok(rows.length >= slow.checks.length, `${rows.length} rows for ${slow.checks.length} checks`);
  assert.match(md, /FAIL, grade D/);
  for (const c of slow.checks.filter((k) => k.status === 'fail')) assert.ok(md.includes(c.title), c.title);
});

test(
  'compare: a report against itself has no regression; the slowed disk against the good one has, with the ' +
    'flipped checks',
  () => {
    const o = { margin: 0.2, floorNs: 0.1e6 };
    const same = compareReports(good, good, o);
    assert.equal(same.regressions, 0);
    const worse = compareReports(good, slow, o);
    assert.ok(worse.regressions > 0);
    const flippedIds = worse.flipped.map((f) => f.id);
    assert.ok(flippedIds.includes('sync-p99'), flippedIds.join(', '));
    const text = renderComparison(worse, o, { before: 'good.json', after: 'slow.json' });
    assert.match(text, /REGRESSION/);
    assert.match(text, /check WAL fdatasync p99: pass -> fail {2}REGRESSION/);
  },
);

test("fio export: fio's field names with the report's own percentiles", () => {
  const j = fioJson(good) as {
    jobs: { sync: { total_ios: number; lat_ns: { percentile: Record<string, number> } } }[];
  };
  const d = good.phases.fio.result!;
  assert.equal(j.jobs[0]!.sync.total_ios, d.totals.syncs);
  const [p99] = percentilesOfEncoded(d.histograms.sync, [99], d.latency.sync.maxNs);
  assert.equal(j.jobs[0]!.sync.lat_ns.percentile['99.000000'], p99);
  assert.equal(p99, d.latency.sync.p99Ns);
});

test('an @1 report (before host evidence and attribution) still reads and renders', () => {
  const old = structuredClone(good) as unknown as Record<string, unknown> & QualifyReport;
  (old as { schema: string }).schema = 'etcd-disk-bench/qualify-report@1';
  delete old.walAgreement;
  for (const p of [old.phases.fio, old.phases.wal]) {
    const r = p.result as unknown as Record<string, unknown>;
    delete r.hostEvidence;
    delete r.attribution;
  }
  const e = old.phases.etcd.result as unknown as Record<string, unknown> | null;
  if (e) for (const k of ['hostEvidence', 'attribution', 'compaction']) delete e[k];
  assert.deepEqual(qualifyReportProblems(old), []);
  const text = renderQualifyText(old);
  assert.ok(text.includes(`GRADE ${old.grade.letter}`));
  assert.doesNotMatch(text, /attribution:/);
});

test("every status has a word, and a miss that is not the disk's names its cause", () => {
  assert.deepEqual(Object.keys(STATUS_WORD).sort(), ['fail', 'inconclusive', 'not-run', 'pass', 'warn']);
  const c = { ...good.checks[0]!, status: 'inconclusive' as const, cause: 'host' as const };
  assert.equal(statusWord(c), 'HOST');
});

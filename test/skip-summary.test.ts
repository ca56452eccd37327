// The test run's closing summary (scripts/skip-summary.mjs): skipped tests
// grouped by the reason needs() gave, the largest group first, and the one
// command that installs what is missing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../src/core/paths.js';

interface SkipSummary {
  skipsIn(tap: string): [string, string[]][];
  summary(groups: [string, string[]][]): string;
}
const { skipsIn, summary } = (await import(
  pathToFileURL(join(PACKAGE_ROOT, 'scripts', 'skip-summary.mjs')).href
)) as SkipSummary;

const TAP = [
  'TAP version 13',
  '# Subtest: a load',
  'ok 1 - a load # SKIP needs an etcd binary on PATH (Debian: etcd-server)',
  'ok 2 - parses a frame',
  '    ok 1 - nested qualify # SKIP needs an etcd binary on PATH (Debian: etcd-server)',
  'ok 3 - fio parity # SKIP needs fio on PATH',
  'not ok 4 - a failure # SKIP-looking text in a name',
  'ok 5 - bare skip # SKIP',
].join('\n');

test('skipped tests grouped by reason, the largest group first; passes and failures are not skips', () => {
  assert.deepEqual(skipsIn(TAP), [
    ['needs an etcd binary on PATH (Debian: etcd-server)', ['a load', 'nested qualify']],
    ['needs fio on PATH', ['fio parity']],
    ['(no reason given)', ['bare skip']],
  ]);
});

test('the summary counts each group and names npm run setup once; nothing skipped says so', () => {
  const text = summary(skipsIn(TAP));
  assert.match(text, /^# skipped 4 \(tests and suites\), by what this machine lacks:$/m);
  assert.match(text, /^# {5}2 {2}needs an etcd binary on PATH \(Debian: etcd-server\)$/m);
  assert.match(text, /^# {5}1 {2}needs fio on PATH$/m);
  assert.equal(text.match(/npm run setup/g)?.length, 1);
  assert.equal(summary([]), '# nothing skipped\n');
});

// The text and the page of a `lab replay-disk` result, from one stored real
// run (a WAL report of 1 ms per sync and 3 % at 20 ms more, replayed here
// under etcd 3.4 with three members): each figure shown is the result's.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { REPLAY_LAB_SCHEMA, type ReplayLabResult } from '../../src/lab/replay-lab-result.js';
import { renderReplayLabHtml } from '../../src/report/html/replay-lab-html.js';
import { renderReplayLabText } from '../../src/report/replay-lab-text.js';

const r = JSON.parse(
  readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'replay-lab.json'), 'utf8'),
) as ReplayLabResult;
const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;

test('the stored result is a complete replay with etcd under load', () => {
  assert.equal(r.schema, REPLAY_LAB_SCHEMA);
  assert.equal(r.complete, true);
  assert.ok(r.etcd && r.load && r.floor && r.replay.replayed);
  assert.equal(r.checks.length, 7);
});

test('the text: the three rows of figures, etcd on the replay, every check', () => {
  const text = renderReplayLabText(r);
  for (const [name, f] of [
    ['original', r.replay.original],
    ['floor', r.floor!.figures],
    ['replayed', r.replay.replayed!],
  ] as const) {
    const line = text.split('\n').find((l) => l.startsWith(name.padEnd(10)));
    assert.ok(line, name);
    for (const v of [f.p50Ns, f.p99Ns, f.p999Ns, f.maxNs]) assert.ok(line.includes(ms(v)), `${name}: ${ms(v)}`);
    assert.ok(line.trimEnd().endsWith(String(f.count)));
  }
  assert.ok(text.includes(`WAL fsync p99 ${ms(r.etcd!.walFsyncP99Ns!)}`));
  assert.ok(text.includes(`${r.etcd!.heartbeatsLate} heartbeats sent late`));
  for (const c of r.checks) assert.ok(text.includes(`${c.status.toUpperCase().padEnd(12)} ${c.title}`), c.id);
  assert.ok(!text.includes('INCOMPLETE'));
});

test("the page: both distributions, the figures, etcd's own and the checks, escaped", () => {
  const html = renderReplayLabHtml(r);
  assert.match(html, /^<!doctype html>/);
  assert.ok(html.includes('fdatasync, share of operations per bucket'));
  assert.ok(html.includes(`original (${r.source.phase} phase of ${r.source.file})`));
  assert.ok(html.includes('replayed (our WAL phase)'));
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  assert.ok(html.includes(failed === 0 ? 'ETCD STAYED WITHIN ITS LIMITS' : `ETCD MISSED ${failed} LIMIT`));
  for (const c of r.checks) assert.ok(html.includes(c.title), c.id);
  const marked = { ...r, source: { ...r.source, file: '<script>x</script>.json' } };
  const page = renderReplayLabHtml(marked);
  assert.ok(!page.includes('<script>x'));
  assert.ok(page.includes('&lt;script&gt;x&lt;/script&gt;.json'));
});

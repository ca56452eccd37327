// The grading contract, row by row: each synthetic disk phase of
// verdict-cases.ts graded by the real grader gets its letter, its exit code
// and its deciding check; docs/checks.md shows the same table.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import type { Check } from '../../src/verdict/check.js';
import { judge } from './timeline.js';
import { VERDICT_CASES, verdictTable } from './verdict-cases.js';

/** The check a verdict rests on: the severe or main miss put elsewhere, the failure the letter names, or the main. */
function deciding(g: ReturnType<typeof judge>): string {
  if (g.grade.limitedBy === 'memory') return 'memory';
  const byTitle = (cs: Check[]) => cs.find((c) => g.grade.reason.includes(c.title));
  if (g.grade.limitedBy) return byTitle(g.checks.filter((c) => c.status === 'inconclusive'))?.id ?? '?';
  if (g.grade.letter === 'D' || g.grade.letter === 'F')
    return byTitle(g.checks.filter((c) => c.status === 'fail'))?.id ?? '?';
  return 'sync-p99';
}

for (const c of VERDICT_CASES)
  test(`verdict: ${c.name} -> ${c.letter ?? 'no letter'}, exit ${c.exit}, by ${c.deciding}`, () => {
    const g = judge(c.timeline);
    const lines = g.checks.map((k) => `${k.id} ${k.status} ${k.measured} ${k.note ?? ''}`);
    const why = `${g.grade.reason}\n${lines.join('\n')}`;
    assert.equal(g.grade.letter, c.letter, why);
    assert.equal(g.exit, c.exit, why);
    assert.equal(deciding(g), c.deciding, why);
    for (const [id, status] of Object.entries(c.also ?? {}))
      assert.equal(g.checks.find((k) => k.id === id)?.status, status, `${id}\n${why}`);
  });

test('docs/checks.md shows the verdict table as the tests run it', () => {
  assert.ok(readFileSync('docs/checks.md', 'utf8').includes(verdictTable()), verdictTable());
});

test('a failing check names its cause with the figures; one put on the host says what it needed', () => {
  const stall = judge(VERDICT_CASES.find((c) => c.name.startsWith('one 1.5 s stall, 12 %'))!.timeline);
  const s = stall.checks.find((k) => k.id === 'stall')!;
  assert.equal(s.cause, 'disk');
  assert.match(
    s.note ?? '',
    /the disk's: the 1500 ms operation .* needs 1300 ms taken out to pass, more than the host can account for/,
  );
  assert.match(s.note ?? '', /steal could have taken 180 ms/);
  const host = judge(VERDICT_CASES.find((c) => c.name.includes('1.4 s for a CPU inside'))!.timeline);
  const h = host.checks.find((k) => k.id === 'stall')!;
  assert.deepEqual([h.status, h.cause], ['inconclusive', 'host']);
  assert.match(h.note ?? '', /inside it the writer thread waited 1400 ms for a CPU .*the host can account for it/);
  assert.match(host.grade.reason, /^no disk verdict: .*reached the severe tier/);
});

test('every p99 check of ours records its observations and the fewest it needs', () => {
  const g = judge({ seconds: 4, syncMs: 1 });
  const commit = g.checks.find((k) => k.id === 'commit-p99')!;
  assert.deepEqual([commit.observations, commit.minObservations, commit.measured], [40, 100, null]);
  assert.match(commit.note ?? '', /40 observations; a p99 is judged on at least 100 \(at 10\/s, run at least 10 s\)/);
  const sync = g.checks.find((k) => k.id === 'sync-p99')!;
  assert.equal(sync.minObservations, 100);
  assert.ok(sync.observations! >= 100);
});

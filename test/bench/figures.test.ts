// One set of figures: every figures block of the README and the docs is the
// latest recorded bench output (docs/figures/NAME.md) word for word, or the
// short form drawn from it (figure-summaries.ts), every recorded file is shown
// in full somewhere, and the blocks are found, filled and recorded as
// bench/figures.ts says.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  FIGURES_DIR,
  figuresBlocks,
  figuresText,
  recordedFileOf,
  recordFigures,
  withFigures,
} from '../../bench/figures.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

const pages = () => [
  'README.md',
  ...readdirSync(join(PACKAGE_ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

test('every figures block in the README and docs is its recorded file or drawn from it; every file is shown', () => {
  const shown = new Set<string>();
  const read = (name: string) => readFileSync(join(FIGURES_DIR, `${name}.md`), 'utf8');
  let summaries = 0;
  for (const page of pages()) {
    for (const b of figuresBlocks(readFileSync(join(PACKAGE_ROOT, page), 'utf8'))) {
      const from = recordedFileOf(b.name);
      assert.ok(
        existsSync(join(FIGURES_DIR, `${from}.md`)),
        `${page} shows figures:${b.name}, recorded nowhere (docs/figures/${from}.md)`,
      );
      assert.equal(
        b.content,
        figuresText(b.name, read),
        `${page}'s figures:${b.name} is not the latest: npm run figures`,
      );
      if (from === b.name) shown.add(b.name);
      else summaries++;
    }
  }
  // The README quotes the benches through short forms (fio, client, apiserver).
  assert.ok(summaries >= 3, `${summaries} short forms shown`);
  const recorded = existsSync(FIGURES_DIR) ? readdirSync(FIGURES_DIR).filter((f) => f.endsWith('.md')) : [];
  for (const f of recorded) assert.ok(shown.has(f.replace(/\.md$/, '')), `docs/figures/${f} is shown on no page`);
});

test('blocks are found by name, filled from their files, and a block closed by another name is refused', () => {
  const block = (name: string, content: string) => `<!-- figures:${name} -->\n${content}<!-- /figures:${name} -->\n`;
  const page = `intro\n${block('client', 'old table\n')}prose\n${block('fio', '')}`;
  assert.deepEqual(figuresBlocks(page), [
    { name: 'client', content: 'old table\n' },
    { name: 'fio', content: '' },
  ]);
  const filled = withFigures(page, (name) => `${name} now\n`);
  assert.equal(filled, `intro\n${block('client', 'client now\n')}prose\n${block('fio', 'fio now\n')}`);
  assert.throws(() => figuresBlocks('<!-- figures:a -->\nx\n<!-- /figures:b -->'), /figures block a ends as b/);
});

test('a bench records to results every run, and to the docs only when asked', () => {
  const dir = mkdtempSync(join(tmpdir(), 'edb-figures-'));
  try {
    const o = { results: join(dir, 'results'), figures: join(dir, 'figures') };
    const once = recordFigures('client', '| a |\n', { ...o, record: false });
    assert.equal(once.length, 1);
    assert.match(once[0]!, /results\/figures-client-\d{8}T\d+Z\.md$/);
    assert.equal(existsSync(o.figures), false);
    const twice = recordFigures('client', '\n| b |\n\n', { ...o, record: true });
    assert.deepEqual(twice.slice(1), [join(o.figures, 'client.md')]);
    assert.equal(readFileSync(join(o.figures, 'client.md'), 'utf8'), '| b |\n');
    assert.throws(() => recordFigures('Client', 'x', { ...o, record: false }), /lower-case/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

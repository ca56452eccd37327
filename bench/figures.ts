// One place for the figures the README and the docs show: a bench's summary
// is written to results/ every run, and with BENCH_RECORD=1 to
// docs/figures/NAME.md, the copy the docs show. The README and docs show it
// between `<!-- figures:NAME -->` and `<!-- /figures:NAME -->`, filled by
// `npm run figures`; a test holds every such block to its file, so no page
// keeps a figure from an older run. A page that quotes a few figures (the
// README) shows a short form drawn from a recorded file (figure-summaries.ts)
// the same way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { SUMMARIES } from './figure-summaries.js';

export const FIGURES_DIR = join(PACKAGE_ROOT, 'docs', 'figures');

/**
 * A bench's summary for the docs, as markdown: written to `results` each run, and to `figures` (docs/figures/) when
 * recording (BENCH_RECORD=1). Returns the paths written.
 */
export function recordFigures(
  name: string,
  markdown: string,
  o = {
    record: process.env.BENCH_RECORD === '1',
    results: join(PACKAGE_ROOT, 'results'),
    figures: FIGURES_DIR,
  },
): string[] {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`figures name "${name}": lower-case letters, digits, dashes`);
  const text = `${markdown.trim()}\n`;
  mkdirSync(o.results, { recursive: true });
  const paths = [join(o.results, `figures-${name}-${new Date().toISOString().replace(/[-:.]/g, '')}.md`)];
  if (o.record) {
    mkdirSync(o.figures, { recursive: true });
    paths.push(join(o.figures, `${name}.md`));
  }
  for (const p of paths) writeFileSync(p, text);
  return paths;
}

/** A figures block of a page: its name and the text between its markers. */
export interface FiguresBlock {
  name: string;
  content: string;
}

const BLOCK = /<!-- figures:([a-z][a-z0-9-]*) -->\n([\s\S]*?)<!-- \/figures:([a-z][a-z0-9-]*) -->/g;

/** The figures blocks of `text`, in order; throws on a block whose end names another. */
export function figuresBlocks(text: string): FiguresBlock[] {
  return [...text.matchAll(BLOCK)].map((m) => {
    if (m[1] !== m[3]) throw new Error(`figures block ${m[1]} ends as ${m[3]}`);
    return { name: m[1]!, content: m[2]! };
  });
}

/** `text` with every figures block's content replaced by `read(name)`. */
export function withFigures(text: string, read: (name: string) => string): string {
  return text.replace(
    BLOCK,
    (_all, name: string, _content, end: string) => `<!-- figures:${name} -->\n${read(name)}<!-- /figures:${end} -->`,
  );
}

/** The recorded file a block named `name` shows: its own, or the one its short form is drawn from. */
export function recordedFileOf(name: string): string {
  return SUMMARIES[name]?.from ?? name;
}

/** What a block named `name` holds: the recorded file, or the short form drawn from it. */
export function figuresText(name: string, readRecorded: (file: string) => string): string {
  const summary = SUMMARIES[name];
  return summary ? summary.make(readRecorded(summary.from)) : readRecorded(name);
}

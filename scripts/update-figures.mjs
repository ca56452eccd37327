#!/usr/bin/env node
// npm run figures: fills every figures block of README.md and docs/*.md from docs/figures/NAME.md, the latest
// recorded bench output, or the short form drawn from it (bench/figures.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_DIR, figuresText, withFigures } from '../dist/bench/figures.js';

const root = new URL('..', import.meta.url).pathname;
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
for (const page of pages) {
  const path = join(root, page);
  const text = readFileSync(path, 'utf8');
  const read = (file) => readFileSync(join(FIGURES_DIR, `${file}.md`), 'utf8');
  const filled = withFigures(text, (name) => figuresText(name, read));
  if (filled !== text) {
    writeFileSync(path, filled);
    process.stdout.write(`${page}: figures filled\n`);
  }
}

#!/usr/bin/env node
// npm run figures: fills every figures block of README.md and docs/*.md from docs/figures/NAME.md, the latest
// recorded bench output (bench/figures.ts).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FIGURES_DIR, withFigures } from '../dist/bench/figures.js';

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
  const filled = withFigures(text, (name) => readFileSync(join(FIGURES_DIR, `${name}.md`), 'utf8'));
  if (filled !== text) {
    writeFileSync(path, filled);
    process.stdout.write(`${page}: figures filled\n`);
  }
}

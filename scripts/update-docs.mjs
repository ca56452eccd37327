#!/usr/bin/env node
// npm run docs: rewrites the generated options tables in docs/options.md from the option table.
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMAND_OPTION_KEYS } from '../dist/src/options/table.js';
import { optionsMarkdown, readmeMarkers } from '../dist/src/options/markdown-table.js';

const path = new URL('../docs/options.md', import.meta.url);
let text = readFileSync(path, 'utf8');
for (const [command, keys] of Object.entries(COMMAND_OPTION_KEYS)) {
  const { begin, end } = readmeMarkers(command);
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < start) throw new Error(`docs/options.md lacks the ${command} options markers`);
  text = `${text.slice(0, start + begin.length)}\n${optionsMarkdown(keys, command)}\n${text.slice(stop)}`;
}
writeFileSync(path, text);

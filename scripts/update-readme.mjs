#!/usr/bin/env node
// npm run docs: rewrites the README's generated options table from the option table.
import { readFileSync, writeFileSync } from 'node:fs';
import { DISK_OPTION_KEYS } from '../dist/src/options/table.js';
import { optionsMarkdown, README_BEGIN, README_END } from '../dist/src/options/markdown-table.js';

const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const start = text.indexOf(README_BEGIN);
const end = text.indexOf(README_END);
if (start < 0 || end < start) throw new Error('README.md lacks the options markers');
const next = text.slice(0, start + README_BEGIN.length) + '\n' + optionsMarkdown(DISK_OPTION_KEYS) + '\n' + text.slice(end);
writeFileSync(path, next);

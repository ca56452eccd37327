import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { optionsMarkdown, README_BEGIN, README_END } from '../src/options/markdown-table.js';
import { DISK_OPTION_KEYS } from '../src/options/table.js';
import { PACKAGE_ROOT } from '../src/paths.js';

test('the README options table is the one generated from the option table (npm run docs)', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(README_BEGIN) + README_BEGIN.length;
  const end = readme.indexOf(README_END);
  assert.equal(readme.slice(start, end).trim(), optionsMarkdown(DISK_OPTION_KEYS));
});

test('the README quick start has the two commands', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm ci && npx etcd-disk-bench disk --dir \/var\/tmp\nnpm test\n/);
});

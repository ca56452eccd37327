// The map names every file: each file in src/ appears in docs/architecture.md,
// by its path or by its name in backticks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { sourceFiles } from './helpers/source-files.js';

test('docs/architecture.md names every file in src/', () => {
  const map = readFileSync(join(PACKAGE_ROOT, 'docs', 'architecture.md'), 'utf8');
  const files = sourceFiles(join(PACKAGE_ROOT, 'src')).map((f) => relative(PACKAGE_ROOT, f));
  assert.ok(files.length > 150, `${files.length} files`);
  const missing = files.filter((f) => !map.includes(f) && !map.includes(`\`${basename(f)}\``));
  assert.deepEqual(missing, [], 'files the map does not name');
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { optionsMarkdown, readmeMarkers } from '../src/options/markdown-table.js';
import { DISK_OPTION_KEYS, LAB_OPTION_KEYS, LOAD_OPTION_KEYS, QUALIFY_OPTION_KEYS } from '../src/options/table.js';
import { PACKAGE_ROOT } from '../src/paths.js';

for (const [command, keys] of [
  ['qualify', QUALIFY_OPTION_KEYS],
  ['disk', DISK_OPTION_KEYS],
  ['load', LOAD_OPTION_KEYS],
  ['lab', LAB_OPTION_KEYS],
] as const) {
  test(`the README's ${command} options table is the one generated from the option table (npm run docs)`, () => {
    const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
    const { begin, end } = readmeMarkers(command);
    assert.ok(readme.includes(begin) && readme.includes(end));
    assert.equal(
      readme.slice(readme.indexOf(begin) + begin.length, readme.indexOf(end)).trim(),
      optionsMarkdown(keys, command),
    );
  });
}

test('the README quick start has the two commands', () => {
  const readme = readFileSync(join(PACKAGE_ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm ci && npx etcd-disk-bench qualify --dir \/var\/tmp\nnpm test\n/);
});

// The front door and the reference: the README stays short and keeps its
// quick start; docs/options.md holds the tables generated from the option
// table; every relative link in the README and docs/ leads somewhere.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { optionsMarkdown, readmeMarkers } from '../src/options/markdown-table.js';
import { COMMAND_OPTION_KEYS, type CommandName, type OptionKey } from '../src/options/table.js';
import { PACKAGE_ROOT } from '../src/core/paths.js';

const read = (rel: string) => readFileSync(join(PACKAGE_ROOT, rel), 'utf8');

// Every command's table (COMMAND_OPTION_KEYS names each command: the type requires all of them).
for (const [command, keys] of Object.entries(COMMAND_OPTION_KEYS) as [CommandName, readonly OptionKey[]][]) {
  test(`docs/options.md's ${command} table is the one generated from the option table (npm run docs)`, () => {
    const doc = read('docs/options.md');
    const { begin, end } = readmeMarkers(command);
    assert.ok(doc.includes(begin) && doc.includes(end));
    assert.equal(doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf(end)).trim(), optionsMarkdown(keys, command));
  });
}

test('the README quick start has the two commands, and the README stays at most 15 KB', () => {
  const readme = read('README.md');
  assert.match(readme, /npm ci && npx etcd-disk-bench qualify --dir \/var\/tmp\nnpm test\n/);
  assert.ok(Buffer.byteLength(readme) <= 15 * 1024, `README.md is ${Buffer.byteLength(readme)} bytes`);
});

test('every relative link in the README and docs/ leads to a file that exists', () => {
  const pages = [
    'README.md',
    ...readdirSync(join(PACKAGE_ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  let links = 0;
  for (const page of pages) {
    for (const m of read(page).matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue;
      links++;
      assert.ok(
        existsSync(join(PACKAGE_ROOT, dirname(page), target)),
        `${page} links to ${target}, which does not exist`,
      );
    }
  }
  assert.ok(links > 10, `${links} links checked`);
});

test('every path docs/architecture.md names exists', () => {
  const paths = [...read('docs/architecture.md').matchAll(/`([\w.-]+\/[\w./-]*)`/g)].map((m) => m[1]!);
  assert.ok(paths.length > 30, `${paths.length} paths`);
  for (const p of paths)
    assert.ok(existsSync(join(PACKAGE_ROOT, p)), `docs/architecture.md names ${p}, which does not exist`);
});

test('no line of the code is over 120 characters', () => {
  const roots = ['src', 'test', 'bench', 'scripts'];
  const files = roots.flatMap((r) =>
    readdirSync(join(PACKAGE_ROOT, r), { recursive: true }).map((f) => join(r, String(f))),
  );
  const code = files.filter((f) => /\.(ts|mjs)$/.test(f));
  assert.ok(code.length > 100, `${code.length} files`);
  for (const f of code)
    for (const [i, line] of read(f).split('\n').entries())
      assert.ok(line.length <= 120, `${f}:${i + 1} is ${line.length} characters`);
});

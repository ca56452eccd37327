// The folders are the architecture: read from the imports of src/, no file
// imports itself through others (a circle), the ground floor (options, stats,
// host) imports nothing above it, the grade imports no runner except the
// types of their results, and the disk and load runners import no grading.
// A failure prints the offending import.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../src/paths.js';
import { sourceFiles } from './helpers/source-files.js';

const SRC = join(PACKAGE_ROOT, 'src');
const GROUND = new Set(['options', 'stats', 'host']);
const RUNNERS = new Set(['disk', 'load', 'etcd', 'qualify', 'observe', 'lab']);

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Every relative import and re-export of every file, as paths under src/. */
function imports(): Import[] {
  return sourceFiles(SRC).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return [...text.matchAll(/^(?:import|export)(\s+type)?\s[^'";]*?from\s+'(\.[^']+)'/gms)].map((m) => ({
      from: relative(SRC, file),
      to: relative(SRC, resolve(dirname(file), m[2]!.replace(/\.js$/, '.ts'))),
      typeOnly: m[1] !== undefined,
    }));
  });
}

const folderOf = (path: string) => (path.includes('/') ? path.split('/')[0]! : '');

test('no file-level circle in src/', () => {
  const edges = new Map<string, string[]>();
  for (const i of imports()) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'open') return [...path.slice(path.indexOf(f)), f];
    state.set(f, 'open');
    path.push(f);
    for (const t of edges.get(f) ?? []) {
      const circle = visit(t);
      if (circle) return circle;
    }
    path.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of edges.keys()) {
    const circle = visit(f);
    assert.equal(circle, null, `a circle: ${circle?.join(' -> ')}`);
  }
});

test('the ground floor (options, stats, host) imports nothing above it', () => {
  const up = imports().filter((i) => {
    const [a, b] = [folderOf(i.from), folderOf(i.to)];
    return GROUND.has(a) && a !== b && b !== '' && !GROUND.has(b);
  });
  assert.deepEqual(
    up.map((i) => `${i.from} -> ${i.to}`),
    [],
  );
});

test('the grade imports no runner, only the types of their results', () => {
  const runners = imports().filter((i) => folderOf(i.from) === 'grade' && RUNNERS.has(folderOf(i.to)) && !i.typeOnly);
  assert.deepEqual(
    runners.map((i) => `${i.from} -> ${i.to}`),
    [],
  );
});

test('the disk and load runners measure and do not grade: from grade/ they take types only', () => {
  const grading = imports().filter(
    (i) => ['disk', 'load'].includes(folderOf(i.from)) && folderOf(i.to) === 'grade' && !i.typeOnly,
  );
  assert.deepEqual(
    grading.map((i) => `${i.from} -> ${i.to}`),
    [],
  );
});

test('the reader of imports sees them: src/ has hundreds, type-only ones among them', () => {
  const all = imports();
  assert.ok(all.length > 300, `${all.length} imports`);
  assert.ok(all.some((i) => i.typeOnly));
  assert.ok(all.some((i) => i.from === 'disk/result.ts' && i.to === 'grade/check.ts'));
});

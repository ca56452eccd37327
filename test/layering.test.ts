// The folders are the architecture: read from the imports of src/, the
// folders stand on ordered floors (each imports only from those below it,
// type-only imports included: no knot), no file imports itself through
// others, the etcd gRPC client is a library, and the disk and load runners
// import no grading. A failure prints the offending import.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { sourceFiles } from './helpers/source-files.js';

const SRC = join(PACKAGE_ROOT, 'src');

/**
 * The floors, lowest first: a folder imports only from folders before it (type-only imports count too), so no two
 * folders reach each other through any path. src/index.ts, the package's library surface, stands on top of them all.
 */
export const FLOORS = [
  'core', // errors and exit codes, the package's paths and version, bounded reads
  'verdict', // the vocabulary of a verdict: Check, Grade, Letter, Cause, Attribution, the burst forecast
  'stats', // histograms, per-second windows, summaries
  'options', // the option table, parsing, profiles
  'host', // /proc, mounts, devices, etcd processes seen
  'native', // the addon's loader and ABI
  'etcd-grpc', // the etcd gRPC client over HTTP/2: a library
  'events', // what a run tells its views
  'run', // the run's own files: directory, id, context, header, warnings, cleanup, target directory
  'etcd', // etcd itself: local members, metrics, connections
  'disk', // the disk phase
  'load', // the load phase
  'grade', // checks and attribution of disk and load results
  'observe',
  'like',
  'qualify',
  'lab',
  'report',
  'live',
  'k8s',
  'cli',
] as const;

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

test('every folder of src/ has its floor, and src/ itself holds only the library surface', () => {
  const folders = new Set(sourceFiles(SRC).map((f) => folderOf(relative(SRC, f))));
  assert.deepEqual(
    [...folders].filter((f) => f !== '' && !(FLOORS as readonly string[]).includes(f)),
    [],
  );
  assert.deepEqual(
    sourceFiles(SRC)
      .map((f) => relative(SRC, f))
      .filter((f) => !f.includes('/')),
    ['index.ts'],
  );
});

test('each folder imports only from the floors below it, type-only imports included', () => {
  const floor = (f: string) => (f === '' ? FLOORS.length : (FLOORS as readonly string[]).indexOf(f));
  const up = imports().filter((i) => {
    const [a, b] = [folderOf(i.from), folderOf(i.to)];
    return a !== b && floor(b) >= floor(a);
  });
  assert.deepEqual(
    up.map((i) => `${i.from} -> ${i.to}${i.typeOnly ? ' (type)' : ''}`),
    [],
  );
});

test('the load imports nothing from the disk phase: they share only what stands below both', () => {
  assert.deepEqual(
    imports()
      .filter((i) => folderOf(i.from) === 'load' && folderOf(i.to) === 'disk')
      .map((i) => `${i.from} -> ${i.to}`),
    [],
  );
});

test('the etcd gRPC client is a library: it imports nothing else of the tool', () => {
  assert.deepEqual(
    imports()
      .filter((i) => folderOf(i.from) === 'etcd-grpc' && folderOf(i.to) !== 'etcd-grpc')
      .map((i) => `${i.from} -> ${i.to}`),
    [],
  );
});

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
  assert.ok(all.some((i) => i.from === 'disk/disk-result.ts' && i.to === 'verdict/check.ts' && i.typeOnly));
});

// The library surface as a package user meets it: a project with
// etcd-disk-bench in its node_modules imports the package by name, resolves
// the options of a short disk phase from a built-in profile, runs it with the
// package's own grader, and reads the result. Nothing is left in the directory.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { listing, tempDir } from '../helpers/tmp.js';

const USER_CODE = `
import { CleanupRegistry, diskGrading, DISK_OPTION_KEYS, loadProfile, resolveOptions, runDisk } from 'etcd-disk-bench';
const dir = process.argv[2];
const resolved = resolveOptions(DISK_OPTION_KEYS, { dir, runtime: '2s' }, loadProfile('fio-etcd', DISK_OPTION_KEYS));
const cleanup = new CleanupRegistry();
try {
  const r = await runDisk(resolved, { grading: diskGrading, cleanup });
  console.log(JSON.stringify({
    schema: r.schema,
    complete: r.complete,
    ops: r.totals.ops,
    p99: r.latency.sync.p99Ns,
    checks: r.checks.map((c) => c.id),
    letter: r.grade.letter,
  }));
} finally {
  await cleanup.drain();
}
`;

test('a project imports etcd-disk-bench by name, runs a 2 s disk phase and reads its result', () => {
  const project = tempDir('edb-user-');
  mkdirSync(join(project, 'node_modules'));
  symlinkSync(PACKAGE_ROOT, join(project, 'node_modules', 'etcd-disk-bench'));
  writeFileSync(join(project, 'package.json'), '{"type":"module","private":true}\n');
  writeFileSync(join(project, 'measure.js'), USER_CODE);
  const dir = tempDir('edb-user-dir-');
  const r = spawnSync(process.execPath, ['measure.js', dir], { cwd: project, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as {
    schema: string;
    complete: boolean;
    ops: number;
    p99: number;
    checks: string[];
    letter: string | null;
  };
  assert.match(out.schema, /^etcd-disk-bench\/disk-result@\d+$/);
  assert.equal(out.complete, true);
  assert.ok(out.ops > 0, `${out.ops} operations`);
  assert.ok(out.p99 > 0);
  assert.ok(out.checks.includes('sync-p99'), out.checks.join(', '));
  assert.deepEqual(listing(dir), [], 'the run directory removed');
});

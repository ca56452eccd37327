// Our writer makes fio's system calls, in fio's order, for the etcd recipe:
// both tools traced with strace on the same directory, each trace reduced to
// the calls on its one file (the kind, sizes, offsets, fadvise advice, the
// open flags that change I/O), and compared. The default recipe (22 MiB, no
// time limit) must match call for call; a time-based run that wraps must lay
// out and open the same, drop the page cache and seek back the same way on
// every wrap, and make the same passes (the last one cut wherever time ran
// out); a --size larger than the run writes lays out the whole size and
// writes from the start without wrapping.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { fileCalls, passesOf, strace } from '../helpers/syscall-trace.js';
import { tempDir } from '../helpers/tmp.js';

const skip =
  needs('fio') ||
  (spawnSync('sh', ['-c', 'command -v strace'], { stdio: 'ignore' }).status === 0
    ? false
    : 'needs strace (Debian: strace; .ci/run installs it)');
const root = tempDir('edb-fio-trace-');

/** fio's recipe and ours with the same extra options, each traced on a directory of its own. */
function traceBoth(name: string, fioExtra: string[], oursExtra: string[]): { fio: string[]; ours: string[] } {
  const fioDir = join(root, `${name}-fio`);
  const oursDir = join(root, `${name}-ours`);
  mkdirSync(fioDir);
  mkdirSync(oursDir);
  const fio = strace(
    [
      'fio',
      '--rw=write',
      '--ioengine=sync',
      '--fdatasync=1',
      `--directory=${fioDir}`,
      '--bs=2300',
      '--name=etcd',
      '--output-format=json',
      ...fioExtra,
    ],
    join(root, `${name}-fio.trace`),
  );
  assert.equal(fio.code, 0, fio.stderr.slice(-1000));
  const ours = strace(
    [process.execPath, CLI, 'disk', '--dir', oursDir, '--profile', 'fio-etcd', '--engine', 'native', ...oursExtra],
    join(root, `${name}-ours.trace`),
  );
  assert.ok(ours.code === 0 || ours.code === 1 || ours.code === 4, ours.stderr.slice(-1000));
  rmSync(fioDir, { recursive: true, force: true });
  // Up to the writer's last close: after it ours removes its run directory (fio leaves its file).
  const writer = (calls: string[]) => calls.slice(0, calls.lastIndexOf('close') + 1);
  const oursCalls = fileCalls(ours.text, '/seq.dat');
  assert.deepEqual(oursCalls.slice(oursCalls.lastIndexOf('close') + 1), ['unlink'], 'the run directory removed');
  return { fio: writer(fileCalls(fio.text, '/etcd.0.0')), ours: writer(oursCalls) };
}

test("the default recipe: fio's calls, call for call (layout, open, 10,029 writes and syncs, close)", {
  skip,
}, () => {
  const { fio, ours } = traceBoth('default', ['--size=22m'], []);
  assert.deepEqual(fio.slice(0, 8), [
    'unlink',
    'open O_WRONLY|O_CREAT 0644',
    'fallocate 0 0 23068672',
    'fadvise 0 23068672 POSIX_FADV_DONTNEED',
    'close',
    'open O_RDWR|O_CREAT 0600',
    'fadvise 0 23068672 POSIX_FADV_DONTNEED',
    'fadvise 0 23068672 POSIX_FADV_SEQUENTIAL',
  ]);
  assert.equal(fio.filter((c) => c.startsWith('write ')).length, 10_029);
  assert.equal(ours.length, fio.length, 'as many calls');
  assert.deepEqual(ours, fio);
});

test('a time-based run that wraps: the same layout and open, the cache dropped and a seek back on every wrap', {
  skip,
}, () => {
  const { fio, ours } = traceBoth(
    'wrap',
    ['--size=46000', '--time_based', '--runtime=2'],
    ['--size', '46000', '--time-based', '--runtime', '2s'],
  );
  const f = passesOf(fio);
  const o = passesOf(ours);
  assert.deepEqual(o.prologue, f.prologue);
  assert.deepEqual(f.prologue.slice(2, 4), ['fallocate 0 0 46000', 'fadvise 0 46000 POSIX_FADV_DONTNEED']);
  assert.ok(f.passes.length >= 3 && o.passes.length >= 3, `passes: fio ${f.passes.length}, ours ${o.passes.length}`);
  const fullFio = f.passes[1]!;
  // A pass after a wrap: the page cache dropped, the seek back, then 20 writes of 2300 bytes each with its sync.
  assert.deepEqual(fullFio.slice(0, 3), ['fadvise 0 46000 POSIX_FADV_DONTNEED', 'lseek 0 SEEK_SET', 'write 0 2300']);
  assert.equal(fullFio.filter((c) => c.startsWith('write ')).length, 20);
  for (const p of o.passes.slice(1, -1)) assert.deepEqual(p, fullFio);
  for (const p of f.passes.slice(1, -1)) assert.deepEqual(p, fullFio);
  // The last pass of each ends where its time ran out: a beginning of a whole pass.
  for (const last of [f.passes.at(-1)!, o.passes.at(-1)!]) assert.deepEqual(last, fullFio.slice(0, last.length));
  assert.deepEqual(o.epilogue, f.epilogue);
});

test('--size larger than the run writes: the whole size laid out, writes from the start, no wrap', { skip }, () => {
  const { fio, ours } = traceBoth('large', ['--size=1g', '--runtime=2'], ['--size', '1g', '--runtime', '2s']);
  const f = passesOf(fio);
  const o = passesOf(ours);
  assert.deepEqual(o.prologue, f.prologue);
  assert.deepEqual(f.prologue.slice(2, 4), ['fallocate 0 0 1073741824', 'fadvise 0 1073741824 POSIX_FADV_DONTNEED']);
  assert.equal(f.passes.length, 1, 'no wrap');
  assert.equal(o.passes.length, 1, 'no wrap');
  // Sequential from 0: the k-th write at k * 2300, each followed by its sync.
  for (const calls of [f.passes[0]!, o.passes[0]!]) {
    const writes = calls.filter((c) => c.startsWith('write '));
    assert.ok(writes.length > 10, `${writes.length} writes`);
    writes.forEach((w, k) => {
      assert.equal(w, `write ${k * 2300} 2300`);
    });
  }
  assert.deepEqual(o.epilogue, f.epilogue);
});

// A run killed with SIGKILL cannot remove its run directory; the next run in
// the same DIR removes it, and only when the marker shows its owner is gone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { currentOwner, OWNER_MARKER, removeLeftoverRunDirs, type RunDirOwner } from '../../src/run/run-dir.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { fallocateSync } from '../helpers/fallocate.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const runDirs = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('etcd-disk-bench-'));

/** A run directory of ours, owned by `owner` (null: no marker). */
function fakeRunDir(dir: string, name: string, owner: RunDirOwner | null): void {
  mkdirSync(join(dir, `etcd-disk-bench-${name}`));
  writeFileSync(join(dir, `etcd-disk-bench-${name}`, 'seq.dat'), 'x');
  if (owner) writeFileSync(join(dir, `etcd-disk-bench-${name}`, OWNER_MARKER), JSON.stringify(owner));
}

test('after a SIGKILL the run directory stays, and the next run removes it and says so', async () => {
  const dir = tempDir('edb-leftover-');
  const run = startCli(['disk', '--dir', dir, '--runtime', '30s', '--time-based', '--size', '4m']);
  // The marker is written just after the directory is made: a busy host can show one without the other.
  await waitFor(() => runDirs(dir).length === 1 && existsSync(join(dir, runDirs(dir)[0]!, OWNER_MARKER)));
  const [left] = runDirs(dir);
  const owner = JSON.parse(readFileSync(join(dir, left!, OWNER_MARKER), 'utf8')) as RunDirOwner;
  assert.equal(owner.pid, run.child.pid, 'the marker names the process that made the directory');
  assert.equal(`etcd-disk-bench-${owner.runId}`, left);
  run.child.kill('SIGKILL');
  await run.done;
  assert.deepEqual(runDirs(dir), [left], 'nothing can clean up after SIGKILL');

  const next = await runCli(['disk', '--dir', dir, '--size', '256k', '--json']);
  // a grade D or F (exit 1) on this shared disk is a verdict, not this test's failure
  assert.ok(next.code === 0 || next.code === 1 || next.code === 4, next.stderr);
  const message = `removed ${join(dir, left!)}, left by run ${owner.runId}: process ${owner.pid} is no longer running`;
  assert.ok(next.stderr.includes(message), next.stderr);
  const res = JSON.parse(next.stdout) as DiskResult;
  assert.ok(
    res.warnings.some((w) => w.startsWith(message)),
    'the report keeps the removal too',
  );
  assert.deepEqual(listing(dir), []);
});

test(
  "only directories whose owner is gone are removed: not a running one, another host's, or one without our " + 'marker',
  () => {
    const dir = tempDir('edb-leftover-');
    const me = currentOwner('me');
    // a process that has exited: its pid is free (reuse within this test is very unlikely; checked below)
    const exited = spawnSync('true').pid!;
    fakeRunDir(dir, 'running', me);
    fakeRunDir(dir, 'other-host', { ...me, runId: 'other-host', host: `${me.host}-elsewhere`, pid: exited });
    fakeRunDir(dir, 'no-marker', null);
    fakeRunDir(dir, 'dead', { ...me, runId: 'dead', pid: exited });
    fakeRunDir(dir, 'rebooted', { ...me, runId: 'rebooted', bootId: '00000000-0000-0000-0000-000000000000' });
    fakeRunDir(dir, 'pid-reused', { ...me, runId: 'pid-reused', startTicks: '1' });
    writeFileSync(join(dir, 'etcd-disk-bench-a-file'), 'not a directory of ours');
    mkdirSync(join(dir, 'unrelated'));

    const messages = removeLeftoverRunDirs(dir).sort();
    assert.deepEqual(listing(dir), [
      'etcd-disk-bench-a-file',
      'etcd-disk-bench-no-marker',
      'etcd-disk-bench-other-host',
      'etcd-disk-bench-running',
      'unrelated',
    ]);
    assert.equal(messages.length, 3);
    assert.match(
      messages[0]!,
      new RegExp(`left by run dead: process ${exited} is no longer running \\(killed before it could clean up\\)`),
    );
    assert.match(
      messages[1]!,
      /left by run pid-reused: process \d+ is no longer running \(its pid now belongs to another process\)/,
    );
    assert.match(messages[2]!, /left by run rebooted: the machine has rebooted since/);
  },
);

test('a leftover is removed before the free-space check, so the space it held counts', {
  skip: needs('root'),
}, async (_t) => {
  const parent = mkdtempSync('/var/tmp/edb-leftover-space-');
  const small = mountTmpfs(parent, 'small', 'size=100m');
  after(() => rmSync(parent, { recursive: true, force: true }));
  assert.ok(small, 'a tmpfs was mounted');
  const exited = spawnSync('true').pid!;
  fakeRunDir(small, 'big', { ...currentOwner('big'), pid: exited });
  // 80 MiB left behind: 20 MiB free, less than 1 MiB plus the 64 MiB margin
  fallocateSync(join(small, 'etcd-disk-bench-big', 'seq.dat'), 80 * 1024 * 1024);
  const r = await runCli(['disk', '--dir', small, '--size', '1m']);
  // a grade D or F (exit 1) on this shared disk is a verdict, not this test's failure
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  assert.match(r.stderr, /removed \S+etcd-disk-bench-big, left by run big: process \d+ is no longer running/);
  assert.deepEqual(listing(small), []);
});

// What a disk run says of where it ran: O_DSYNC judged on the write() that
// pays for durability, memory that is not a disk, and an overlay graded as the
// filesystem beneath it. The built CLI, as a user runs it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { storageFacts } from '../../src/host/storage-facts.js';
import { qualifyArgs, runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-verdicts-');
const outDir = tempDir('edb-verdicts-out-');
const overlayBase = tempDir('edb-overlay-');

test('O_DSYNC on this disk: every latency check reads write(), which pays; over time it passes or warns', async (t) => {
  const args = ['--profile', 'fio-etcd', '--sync-method', 'dsync', '--time_based', '--runtime', '25s'];
  const r = await runCli(['disk', ...args, '--dir', dir, '--json'], 120_000);
  assert.ok(r.stdout.startsWith('{'), r.stderr);
  const res = JSON.parse(r.stdout) as DiskResult;
  const over = res.checks.find((c) => c.id === 'latency-over-time')!;
  t.diagnostic(`exit ${r.code}, ${res.grade.letter}: ${over.status} ${over.note ?? ''}`);
  assert.equal(res.durableStream, 'write');
  assert.equal(res.latency.sync.count, 0, 'nothing syncs after a write() under O_DSYNC');
  assert.equal(res.stepChange.judged, true);
  assert.equal(over.title, 'write() p99 over time');
  // The shared disk may stall near 1 s: then the stretch is real and named, never "every second above the limit".
  assert.ok(
    ['pass', 'warn'].includes(over.status) ||
      (over.note ?? '').match(/began at second \d+ and lasted (\d+) s/)![1] !== '24',
    `${over.status}: ${over.note}`,
  );
  assert.match(res.checks.find((c) => c.id === 'sync-p99')!.title, /write\(\) with O_DSYNC p99/);
  assert.deepEqual(listing(dir), []);
});

test('qualify on /dev/shm: memory, not a disk: exit 4 and the verdict names the filesystem', {
  skip: needs('fio'),
}, async () => {
  const out = join(outDir, 'shm.json');
  const r = await runCli(qualifyArgs('/dev/shm', out, '1s', '2s', '2s'), 120_000);
  assert.equal(r.code, 4, r.stderr);
  const rep = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.equal(rep.grade.letter, null);
  assert.equal(rep.grade.limitedBy, 'memory');
  assert.match(rep.verdict.text, /^NO DISK VERDICT: memory, not a disk: the directory is on tmpfs/);
  assert.equal(rep.verdict.passed, false);
});

test('an overlay over this disk is graded as that disk: its filesystem and device named, no memory verdict', {
  skip: needs('root'),
}, async (t) => {
  const [lower, upper, work, merged] = ['lower', 'upper', 'work', 'merged'].map((d) => join(overlayBase, d));
  for (const d of [lower!, upper!, work!, merged!]) mkdirSync(d);
  try {
    execFileSync(
      'mount',
      ['-t', 'overlay', 'overlay', '-o', `lowerdir=${lower},upperdir=${upper},workdir=${work}`, merged!],
      {
        stdio: 'pipe',
      },
    );
  } catch (e) {
    assert.fail(`overlay mount refused: ${(e as Error).message}`);
  }
  // Unmounted when the test ends, before the temporary directory is removed.
  t.after(() => {
    execFileSync('umount', ['--lazy', merged!], { stdio: 'pipe' });
  });
  const r = await runCli(['disk', '--dir', merged!, '--size', '2m', '--json'], 60_000);
  const res = JSON.parse(r.stdout) as DiskResult;
  const under = execFileSync('stat', ['-f', '-c', '%T', upper!], { encoding: 'utf8' }).trim();
  assert.match(res.target.fsType, /^overlay over /);
  assert.ok(res.target.fsType.endsWith(under === 'ext2/ext3' ? 'ext4' : under), `${res.target.fsType} vs ${under}`);
  assert.notEqual(res.grade.limitedBy, 'memory');
  assert.ok(!res.warnings.some((w) => /memory, not a disk/.test(w)), res.warnings.join('\n'));
  assert.equal(res.target.mount?.fsType, 'overlay');
  // The device is the one under the upper directory, where the writes land.
  assert.deepEqual(res.target.device?.name ?? null, storageFacts(upper!).device?.name ?? null);
  assert.ok(
    storageFacts(upper!).device === null || res.target.device,
    'a disk-backed upper directory names its device',
  );
  if (statfsSync(upper!).type !== 0x01021994) assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
  assert.deepEqual(listing(merged!), []);
});

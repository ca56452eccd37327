// Our fio-etcd profile against real fio on the same directory: the same
// number of writes and syncs and the same file layout. (How close the
// latencies are is measured by npm run bench:fio, not asserted here.)
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { runCli } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

interface FioJob {
  write: { total_ios: number; io_bytes: number };
  sync: { lat_ns: { N: number } };
}

const skip = needs('fio');

test('fio-etcd issues the writes and syncs fio --fdatasync=1 --bs=2300 issues', { skip }, async () => {
  const dir = tempDir('edb-fio-');
  const fioJson = execFileSync(
    'fio',
    [
      '--rw=write',
      '--ioengine=sync',
      '--fdatasync=1',
      `--directory=${dir}`,
      '--size=2m',
      '--bs=2300',
      '--name=parity',
      '--output-format=json',
    ],
    { encoding: 'utf8' },
  );
  const fio = (JSON.parse(fioJson) as { jobs: FioJob[] }).jobs[0]!;
  const r = await runCli(['disk', '--dir', dir, '--profile', 'fio-etcd', '--size', '2m', '--json']);
  const ours = JSON.parse(r.stdout) as DiskResult;
  assert.equal(fio.write.total_ios, Math.floor((2 * 1048576) / 2300));
  assert.equal(ours.totals.ops, fio.write.total_ios);
  assert.equal(ours.totals.syncs, fio.sync.lat_ns.N);
  assert.equal(ours.totals.bytes, fio.write.io_bytes);
  assert.deepEqual(listing(dir), ['parity.0.0'], 'only fio’s own file is left; ours is gone');
});

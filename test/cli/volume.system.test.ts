// --volume: the burst forecast reads the device writes the etcd phase really caused, as /proc/diskstats counts
// them from outside; on a filesystem with no device it says so; a bad spec is refused before anything runs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { parseDiskstats } from '../../src/host/device-io.js';
import { storageFacts } from '../../src/host/storage-facts.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { qualifyReportProblems } from '../../src/report/read-report.js';
import { runCli, startCli } from '../helpers/cli.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-volume-');
const outDir = tempDir('edb-volume-out-');

/** Writes completed on `devices`, read now from /proc/diskstats, with the time. */
function writesNow(devices: string[]): { at: number; writes: number } {
  const all = parseDiskstats(readFileSync('/proc/diskstats', 'utf8'));
  return { at: performance.now(), writes: devices.reduce((a, d) => a + (all.get(d)?.writes ?? 0), 0) };
}

test('qualify --volume gp2:20GiB: the demand is what /proc/diskstats shows from outside; the forecast follows', {
  skip: needs('etcd'),
}, async (t) => {
  const out = join(outDir, 'gp2.json');
  const args = ['qualify', '--dir', dir, '--profile', 'quick', '--volume', 'gp2:20GiB', '--out', out];
  const run = startCli([...args, '--fio-runtime', '1s', '--wal-runtime', '1s', '--etcd-runtime', '8s'], 180_000);
  // The etcd phase's ticks mark its load: the device's writes are read from outside at the first and the last.
  const devices = storageFacts(dir).device?.physical.map((p) => p.name) ?? [];
  const samples: { at: number; writes: number }[] = [];
  let buffer = '';
  run.child.stderr!.on('data', (d: Buffer) => {
    buffer += d.toString();
    for (let i = buffer.indexOf('\n'); i >= 0; i = buffer.indexOf('\n')) {
      const line = buffer.slice(0, i);
      buffer = buffer.slice(i + 1);
      if (/^\[etcd 00:0[1-8]\//.test(line)) samples.push(writesNow(devices));
    }
  });
  const r = await run.done;
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.deepEqual(qualifyReportProblems(report), []);
  const io = report.phases.etcd.result?.deviceIo;
  if (devices.length === 0) {
    // A test directory on a filesystem without a block device: nothing to count, and the report says so.
    assert.equal(io?.available, false);
    t.diagnostic(`no block device under ${dir}: ${io && !io.available ? io.reason : '-'}`);
    return;
  }
  assert.ok(io?.available, `device I/O of the etcd phase: ${JSON.stringify(io)}`);
  assert.deepEqual(io.devices, devices);
  const burst = report.burst!;
  assert.equal(burst.volume, 'gp2:20GiB');
  assert.deepEqual(burst.model, { baselineIops: 100, burstIops: 3000, creditsFull: 5_400_000 });
  assert.equal(burst.demand?.writeIops, io.writeIops);
  assert.match(burst.demand?.source ?? '', /the etcd phase, kube workload at 500\/s/);
  // Outside, over the ticks: the same device, the same seconds (within 25 %).
  assert.ok(samples.length >= 3, `${samples.length} ticks sampled`);
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const outside = (last.writes - first.writes) / ((last.at - first.at) / 1000);
  t.diagnostic(`device writes/s: ours ${io.writeIops}, outside ${outside.toFixed(1)}`);
  assert.ok(Math.abs(io.writeIops / outside - 1) <= 0.25, `ours ${io.writeIops} vs outside ${outside.toFixed(1)}`);
  // The arithmetic, and the check: the demand is the etcd phase's, whatever it was on this host.
  const check = report.checks.find((c) => c.id === 'volume-baseline-iops')!;
  const expected = Math.round((5_400_000 / (io.writeIops - 100) / 60) * 100) / 100;
  if (io.writeIops > 3000) assert.equal(burst.minutesToEmpty, 0);
  else if (io.writeIops > 100) assert.equal(burst.minutesToEmpty, expected);
  assert.equal(check.status, io.writeIops > 100 ? 'fail' : io.writeIops > 70 ? 'warn' : 'pass');
  assert.equal(burst.minutesToRefill, 900);
  assert.match(r.stderr, /^volume: {3}gp2:20GiB: baseline 100 IOPS, burst 3000, a bucket of 5400000 credits/m);
  assert.match(r.stderr, /^ {2}device I\/O: \d+ writes \([\d.]+\/s\), .*; [\d.]+ device writes per request$/m);
});

test('disk --volume on tmpfs: no device to count, said, and the check not run', {
  skip: needs('root'),
}, async () => {
  const ram = mountTmpfs(outDir, 'ram', 'size=200m');
  assert.ok(ram, 'a tmpfs was mounted');
  const r = await runCli(['disk', '--dir', ram, '--size', '1m', '--volume', 'gp3', '--json']);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.deepEqual(res.deviceIo, {
    available: false,
    reason: 'tmpfs has no block device here: no device I/O to count',
  });
  const check = res.checks.find((c) => c.id === 'volume-baseline-iops')!;
  assert.equal(check.status, 'not-run');
  assert.equal(res.burst?.demand, null);
  assert.match(r.stderr, /^device I\/O: not counted \(tmpfs has no block device here/m);
  assert.deepEqual(listing(ram), []);
});

test('a bad --volume: exit 2 naming the option and the allowed forms, nothing written', async () => {
  const before = listing(dir);
  for (const [command, spec] of [
    ['disk', 'gp2'],
    ['qualify', 'ebs:100'],
    ['disk', 'custom:baseline=100,burst=50'],
  ] as const) {
    const r = await runCli([command, '--dir', dir, '--volume', spec]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(
      r.stderr,
      /--volume: .* is not allowed; expected gp2:SIZE \(e\.g\. gp2:20GiB\), gp3\[:IOPS\].*custom:/,
    );
  }
  assert.deepEqual(listing(dir), before);
});

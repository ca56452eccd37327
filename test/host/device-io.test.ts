// Device I/O from /proc/diskstats: fields read as the kernel documents them, summed over the devices counted,
// deltas over the phase; a filesystem without a block device says so.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { countedDevices, DeviceIoSampler, parseDiskstats } from '../../src/host/device-io.js';

// A line as this machine's kernel writes it (20 fields), and an older kernel's (14 fields, no flushes).
const line = (name: string, reads: number, writes: number, sectors: number, flushes: number) =>
  ` 254       0 ${name} ${reads} 33012 25713874 5197235 ${writes} 7042294 ${sectors} 5094827 0 3831876 12604590 ` +
  `380167 143 754153000 198862 ${flushes} 2113664`;

test('the fields: reads, writes, sectors written and flushes; an old kernel has no flushes', () => {
  const m = parseDiskstats(
    `${line('vda', 1146005, 30991767, 331418992, 11215598)}\n   8 0 sda 10 0 80 5 20 1 160 9 0 12 14\n`,
  );
  assert.deepEqual(m.get('vda'), { reads: 1146005, writes: 30991767, sectorsWritten: 331418992, flushes: 11215598 });
  assert.deepEqual(m.get('sda'), { reads: 10, writes: 20, sectorsWritten: 160, flushes: 0 });
});

test('a sampler counts the deltas of the devices it was given, summed, and their rate', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'edb-diskstats-'));
  const path = join(dir, 'diskstats');
  const write = (a: number[], b: number[]) =>
    writeFileSync(
      path,
      `${line('nvme0n1', a[0]!, a[1]!, a[2]!, a[3]!)}\n${line('nvme1n1', b[0]!, b[1]!, b[2]!, b[3]!)}\n`,
    );
  write([100, 1000, 8000, 50], [7, 7, 7, 7]);
  const s = new DeviceIoSampler(['nvme0n1', 'nvme1n1'], '', path);
  s.start();
  write([103, 1500, 12000, 300], [7, 57, 807, 17]);
  await new Promise((r) => setTimeout(r, 1100));
  write([103, 1600, 13000, 310], [7, 57, 807, 17]);
  const io = s.stop();
  rmSync(dir, { recursive: true });
  assert.equal(io.available, true);
  if (!io.available) return;
  assert.deepEqual(io.devices, ['nvme0n1', 'nvme1n1']);
  assert.deepEqual(io.totals, { writes: 650, flushes: 270, bytesWritten: (5000 + 800) * 512, reads: 3 });
  assert.equal(io.perSecond.length, 2, 'one row per second, and the part-second at the end');
  assert.deepEqual(io.perSecond[0], { writes: 550, flushes: 260, bytesWritten: 4800 * 512, reads: 3 });
  assert.deepEqual(io.perSecond[1], { writes: 100, flushes: 10, bytesWritten: 1000 * 512, reads: 0 });
  assert.ok(io.writeIops > 0 && io.writeIops <= 650 / 1.0, `${io.writeIops} writes/s`);
});

test('no block device: nothing sampled, and the reason given', () => {
  const { devices, why } = countedDevices(null, 'tmpfs');
  assert.deepEqual(devices, []);
  const s = new DeviceIoSampler(devices, why);
  s.start();
  assert.deepEqual(s.stop(), { available: false, reason: 'tmpfs has no block device here: no device I/O to count' });
});

test('a device missing from /proc/diskstats is named, not counted as zero', () => {
  const s = new DeviceIoSampler(['nosuchdisk9']);
  s.start();
  const io = s.stop();
  assert.equal(io.available, false);
  assert.match(io.available ? '' : io.reason, /nosuchdisk9 not found in \/proc\/diskstats/);
});

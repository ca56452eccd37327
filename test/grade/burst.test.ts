// The burst forecast's arithmetic and its check, from the providers' figures and a measured demand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { burstCheck, forecastBurst } from '../../src/grade/burst-forecast.js';
import type { DeviceIo } from '../../src/host/device-io.js';
import { parseVolume } from '../../src/options/volume.js';

const io = (writeIops: number): DeviceIo => ({
  available: true,
  devices: ['nvme1n1'],
  elapsedNs: 60e9,
  perSecond: [],
  totals: { writes: writeIops * 60, flushes: 0, bytesWritten: 0, reads: 0 },
  writeIops,
});
const gp2 = parseVolume('gp2:20GiB')!;

test('gp2 20 GiB at 400 writes/s: 5.4 M / 300 per s = 300 min to empty, 900 min to refill; the check fails', () => {
  const f = forecastBurst(gp2, io(400), 'the etcd phase');
  assert.equal(f.minutesToEmpty, 300);
  assert.equal(f.minutesToRefill, 900);
  assert.equal(f.sustainable, false);
  const c = burstCheck(f, false, '');
  assert.equal(c.status, 'fail');
  assert.equal(c.measured, 400);
  assert.equal(c.limit, 100);
  assert.match(c.note ?? '', /empties in 300 min/);
});

test('the incident: full burst on a 20 GiB gp2 empties in about 31 min', () => {
  assert.equal(forecastBurst(gp2, io(3000), 'x').minutesToEmpty, 31.03);
});

test('above the burst ceiling it throttles at once (0 min); without credits any excess is 0 min', () => {
  assert.equal(forecastBurst(gp2, io(3500), 'x').minutesToEmpty, 0);
  const gp3 = forecastBurst(parseVolume('gp3')!, io(3200), 'x');
  assert.equal(gp3.minutesToEmpty, 0);
  assert.equal(gp3.minutesToRefill, null);
  assert.match(burstCheck(gp3, false, '').note ?? '', /throttles at once/);
});

test('at or below the baseline: sustainable, no minutes; over 70 % of it the check warns', () => {
  const gp3 = parseVolume('gp3')!;
  const low = forecastBurst(gp3, io(300), 'x');
  assert.equal(low.sustainable, true);
  assert.equal(low.minutesToEmpty, null);
  assert.equal(burstCheck(low, false, '').status, 'pass');
  assert.equal(burstCheck(forecastBurst(gp3, io(2500), 'x'), false, '').status, 'warn');
  assert.equal(burstCheck(forecastBurst(gp3, io(3000), 'x'), false, '').status, 'warn');
});

test('no device I/O: no demand, the check not run with the reason; a hard disk fails whatever the demand', () => {
  const none = forecastBurst(gp2, { available: false, reason: 'tmpfs has no block device' }, 'x');
  assert.equal(none.demand, null);
  assert.equal(none.sustainable, null);
  const c = burstCheck(none, false, 'no device I/O: tmpfs has no block device');
  assert.equal(c.status, 'not-run');
  assert.equal(c.note, 'no device I/O: tmpfs has no block device');
  const st1 = parseVolume('st1')!;
  assert.equal(burstCheck(forecastBurst(st1, io(10), 'x'), st1.hdd, '').status, 'fail');
});

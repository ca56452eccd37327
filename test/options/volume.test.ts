// --volume: each preset gives its provider's published figures; anything else is refused (null).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVolume, volumeHint } from '../../src/options/volume.js';

const model = (spec: string) => {
  const m = parseVolume(spec);
  return m && [m.kind, m.baselineIops, m.burstIops, m.creditsFull, m.hdd];
};

test('gp2: 3 IOPS per GiB, at least 100, bursting to 3,000 on 5.4 million credits under 1 TiB', () => {
  assert.deepEqual(model('gp2:20GiB'), ['gp2', 100, 3000, 5_400_000, false]);
  assert.deepEqual(model('gp2:500g'), ['gp2', 1500, 3000, 5_400_000, false]);
  // At 1,000 GiB the baseline is 3,000: nothing to burst to, no bucket.
  assert.deepEqual(model('gp2:1000GiB'), ['gp2', 3000, 3000, 0, false]);
  assert.deepEqual(model('gp2:16TiB'), ['gp2', 16_000, 16_000, 0, false]);
});

test('gp3, io1 and io2: provisioned, no credits; st1 and sc1 are hard disks', () => {
  assert.deepEqual(model('gp3'), ['gp3', 3000, 3000, 0, false]);
  assert.deepEqual(model('gp3:6000'), ['gp3', 6000, 6000, 0, false]);
  assert.deepEqual(model('io2:20000'), ['io2', 20_000, 20_000, 0, false]);
  assert.deepEqual(model('st1'), ['st1', 500, 500, 0, true]);
  assert.deepEqual(model('sc1'), ['sc1', 250, 250, 0, true]);
});

test('Azure P1-P20: their baselines, 3,500 burst, a bucket of 30 minutes at full burst', () => {
  assert.deepEqual(model('azure-p10'), ['azure', 500, 3500, (3500 - 500) * 1800, false]);
  assert.deepEqual(model('azure-p1'), ['azure', 120, 3500, (3500 - 120) * 1800, false]);
  assert.deepEqual(model('azure-p20'), ['azure', 2300, 3500, (3500 - 2300) * 1800, false]);
});

test('custom: baseline, burst and credits as given', () => {
  assert.deepEqual(model('custom:baseline=100,burst=3000,credits=20000'), ['custom', 100, 3000, 20_000, false]);
  assert.deepEqual(model('custom:baseline=500'), ['custom', 500, 500, 0, false]);
});

test('bad specs are refused', () => {
  for (const bad of [
    '',
    'gp2',
    'gp2:lots',
    'gp2:512m',
    'gp3:1000',
    'gp3:20000',
    'io1',
    'st1:5',
    'azure-p5',
    'azure-p30',
    'custom:',
    'custom:burst=10',
    'custom:baseline=100,burst=50',
    'custom:baseline=100,baseline=200',
    'custom:baseline=1,iops=2',
    'ebs',
    'gp2:20GiB:x',
  ])
    assert.equal(parseVolume(bad), null, bad);
});

test('a cloud volume whose type cannot be seen asks for --volume; a local disk does not', () => {
  const cloud = { physical: [{ model: 'Amazon Elastic Block Store', interface: 'network (cloud block storage)' }] };
  assert.match(volumeHint(cloud) ?? '', /^the device is a cloud volume \(Amazon Elastic Block Store\).*--volume/);
  assert.equal(volumeHint({ physical: [{ model: null, interface: 'virtio' }] }), null);
  assert.equal(volumeHint(null), null);
});

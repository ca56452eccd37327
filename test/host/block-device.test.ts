import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { deviceFacts } from '../../src/host/block-device.js';
import { mountHolding, mountOf, parseMountinfo, pathInFilesystem } from '../../src/host/mountinfo.js';
import { tempDir } from '../helpers/tmp.js';

function file(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

test('device-mapper over a partition resolves to the physical disk, with its facts', () => {
  const sys = tempDir('edb-sys-');
  const disk = join(sys, 'devices/pci0/block/sda');
  file(join(disk, 'size'), '1953525168\n');
  file(join(disk, 'queue/rotational'), '0\n');
  file(join(disk, 'queue/scheduler'), 'none [mq-deadline] bfq\n');
  file(join(disk, 'queue/write_cache'), 'write through\n');
  file(join(disk, 'queue/logical_block_size'), '512\n');
  file(join(disk, 'queue/physical_block_size'), '4096\n');
  file(join(disk, 'device/model'), 'Samsung SSD 870\n');
  file(join(disk, 'device/vendor'), 'ATA     \n');
  file(join(disk, 'sda2/partition'), '2\n');
  const dm = join(sys, 'devices/virtual/block/dm-0');
  mkdirSync(join(dm, 'slaves'), { recursive: true });
  symlinkSync(join(disk, 'sda2'), join(dm, 'slaves/sda2'));
  mkdirSync(join(sys, 'dev/block'), { recursive: true });
  symlinkSync(dm, join(sys, 'dev/block/253:0'));
  mkdirSync(join(sys, 'block'));
  symlinkSync(disk, join(sys, 'block/sda'));
  const d = deviceFacts('253:0', sys)!;
  assert.equal(d.name, 'dm-0');
  assert.deepEqual(d.stack, ['dm-0', 'sda2', 'sda']);
  assert.deepEqual(d.physical, [
    {
      name: 'sda',
      model: 'Samsung SSD 870',
      vendor: 'ATA',
      sizeBytes: 1953525168 * 512,
      rotational: false,
      scheduler: 'mq-deadline',
      writeCache: 'write through',
      logicalBlockSize: 512,
      physicalBlockSize: 4096,
      interface: 'sata',
    },
  ]);
  assert.deepEqual(d.unknown, []);
  assert.equal(deviceFacts('0:26', sys), null, 'no block device (tmpfs)');
});

test('mountinfo: fields, escaped spaces, the longest mount holding a path', () => {
  const text = [
    '26 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard',
    '40 26 254:0 /srv /mnt/my\\040data rw,noatime shared:1 - ext4 /dev/vda rw,discard',
    '24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=1k',
  ].join('\n');
  const m = parseMountinfo(text);
  assert.deepEqual(m[1], {
    majMin: '254:0',
    mountPoint: '/mnt/my data',
    root: '/srv',
    options: 'rw,noatime',
    fsType: 'ext4',
    source: '/dev/vda',
    superOptions: 'rw,discard',
  });
  assert.equal(mountHolding('/mnt/my data/etcd', m)?.root, '/srv', 'the longest mount point holding it');
  assert.equal(mountHolding('/mnt/my database', m)?.mountPoint, '/', 'a name that only starts alike is not inside');
  assert.equal(pathInFilesystem('/mnt/my data/etcd/member', m[1]!), '/srv/etcd/member', 'inside the filesystem');
  const real = mountOf('/var/tmp');
  assert.ok(real && real.mountPoint.length >= 1 && real.fsType !== '');
  assert.equal(mountOf('/dev/shm')?.fsType, 'tmpfs');
});

test('this machine: the disk behind /var/tmp is found, or its absence is stated', () => {
  const m = mountOf('/var/tmp')!;
  const d = deviceFacts(m.majMin);
  if (d === null) return; // a filesystem without a block device (overlay in a container)
  assert.ok(d.physical.length >= 1);
  for (const p of d.physical) assert.ok(p.logicalBlockSize === null || p.logicalBlockSize >= 512);
});

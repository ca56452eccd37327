// slowfs as a burst-credit volume: operations run free while the bucket has credits, then wait for the
// refill in turn; the level is readable from outside and refills while idle.
import assert from 'node:assert/strict';
import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { mountSlowfs } from '../../src/lab/slowfs.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

test('a bucket of 100 credits at 200 a second: what the bucket lacks, the refill paces', {
  skip: needs('root', 'slowfs'),
}, async (t) => {
  const cleanup = new CleanupRegistry();
  t.after(() => cleanup.drain());
  const root = tempDir('edb-bucket-');
  mkdirSync(join(root, 'back'));
  mkdirSync(join(root, 'mnt'));
  const fs = await mountSlowfs(join(root, 'back'), join(root, 'mnt'), { fsyncDelayUs: 0 }, cleanup);
  fs.set({ fsyncDelayUs: 0, bucket: { size: 100, rate: 200 } });
  assert.equal(fs.status().bucket_level, 100, 'a new bucket starts full');
  const fd = openSync(join(fs.mountPoint, 'wal'), 'w');
  const block = Buffer.alloc(2300, 1);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) {
    writeSync(fd, block);
    fdatasyncSync(fd);
  }
  const took = (performance.now() - t0) / 1000;
  closeSync(fd);
  const after = fs.status();
  const level = `level ${after.bucket_level}, waited ${after.bucket_waited}`;
  t.diagnostic(`${after.writes! + after.syncs!} credits in ${took.toFixed(2)} s; ${level}`);
  // A credit per FUSE request: the kernel splits a write that crosses a page into two, so count what slowfs
  // saw. 100 come from the bucket, the rest at 200 a second: a floor that no busy host lowers.
  const credits = after.writes! + after.syncs!;
  assert.equal(after.syncs, 200);
  assert.ok(took >= ((credits - 100) / 200) * 0.95, `${credits} credits took ${took.toFixed(2)} s`);
  // An operation that comes after the refill brought its credit does not wait: many did, not all.
  assert.ok(after.bucket_waited! >= (credits - 100) / 2, `${after.bucket_waited} of ${credits} waited`);
  assert.ok(after.bucket_level! <= 20, `level ${after.bucket_level} right after the drain`);
  await new Promise((r) => setTimeout(r, 600));
  assert.ok(fs.status().bucket_level! >= 100, 'idle, it refills at 200 a second up to its size');
  // Without a bucket nothing waits.
  fs.set({ fsyncDelayUs: 0, bucket: { size: 0, rate: 0 } });
  const before = fs.status().bucket_waited!;
  const fd2 = openSync(join(fs.mountPoint, 'wal'), 'w');
  for (let i = 0; i < 50; i++) {
    writeSync(fd2, block);
    fdatasyncSync(fd2);
  }
  closeSync(fd2);
  assert.equal(fs.status().bucket_waited, before);
});

test('a ceiling of 200 a second: a full bucket still serves no faster than the volume bursts', {
  skip: needs('root', 'slowfs'),
}, async (t) => {
  const cleanup = new CleanupRegistry();
  t.after(() => cleanup.drain());
  const root = tempDir('edb-burst-ceiling-');
  mkdirSync(join(root, 'back'));
  mkdirSync(join(root, 'mnt'));
  const fs = await mountSlowfs(join(root, 'back'), join(root, 'mnt'), { fsyncDelayUs: 0 }, cleanup);
  fs.set({ fsyncDelayUs: 0, bucket: { size: 100_000, rate: 100, burst: 200 } });
  assert.equal(fs.status().bucket_burst, 200);
  const fd = openSync(join(fs.mountPoint, 'wal'), 'w');
  const block = Buffer.alloc(2300, 1);
  const t0 = performance.now();
  for (let i = 0; i < 150; i++) {
    writeSync(fd, block);
    fdatasyncSync(fd);
  }
  const took = (performance.now() - t0) / 1000;
  closeSync(fd);
  const s = fs.status();
  const credits = s.writes! + s.syncs!;
  t.diagnostic(`${credits} operations in ${took.toFixed(2)} s at a ceiling of 200/s; level ${s.bucket_level}`);
  // Each operation after the first waits for its slot, 5 ms apart: a floor no busy host lowers.
  assert.ok(took >= ((credits - 1) / 200) * 0.95, `${credits} operations took ${took.toFixed(2)} s`);
  assert.ok(s.bucket_level! >= 100_000 - credits - 1, 'the credits were not what held it back');
  assert.ok(s.bucket_waited! >= credits / 2, `${s.bucket_waited} of ${credits} waited for a slot`);
});

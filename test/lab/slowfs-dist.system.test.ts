// slowfs draws each sync's delay from a distribution, repeatably: 1 ms for
// 97 % of syncs and 20 ms for 3 %, seeded, gives that share of slow syncs
// and, with the same seed, the very same syncs slow; and a periodic stall
// holds the syncs that start inside it until it ends. The backing directory
// is in memory, so what is measured is slowfs' own delay, not this disk's.
import assert from 'node:assert/strict';
import { closeSync, fdatasyncSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { mountSlowfs, type SlowfsMount } from '../../src/lab/slowfs.js';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

const skip = needs('root', 'slowfs');

async function mounted(t: TestContext): Promise<SlowfsMount> {
  const cleanup = new CleanupRegistry();
  t.after(async () => {
    await cleanup.drain();
  });
  const back = mkdtempSync('/dev/shm/edb-dist-');
  cleanup.add('remove the backing directory', () => rmSync(back, { recursive: true, force: true }));
  const mnt = join(tempDir('edb-dist-'), 'mnt');
  mkdirSync(mnt);
  return mountSlowfs(back, mnt, { fsyncDelayUs: 0 }, cleanup);
}

/** Each of `n` fdatasyncs' time, in ms. */
function syncTimes(fs: SlowfsMount, n: number): number[] {
  const fd = openSync(join(fs.mountPoint, 'wal'), 'w');
  const block = Buffer.alloc(512, 1);
  const out: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      writeSync(fd, block);
      const t0 = performance.now();
      fdatasyncSync(fd);
      out.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

const slowOnes = (ms: number[]) => ms.flatMap((m, i) => (m >= 20 ? [i] : []));

test('a seeded distribution: 3 % of syncs at 20 ms, the same ones again with the same seed', { skip }, async (t) => {
  const fs = await mounted(t);
  const shape = { fsyncDelayUs: 0, dist: [[1000, 97] as [number, number], [20_000, 3] as [number, number]] };
  fs.set({ ...shape, seed: 42 });
  assert.equal(fs.status().dist_bins, 2);
  assert.equal(fs.status().seed, 42);
  const first = syncTimes(fs, 600);
  fs.set({ ...shape, seed: 42 });
  const again = syncTimes(fs, 600);
  fs.set({ ...shape, seed: 7 });
  const other = syncTimes(fs, 600);
  // A busy host can add a late wakeup to any sync (a 1 ms one may read 10 ms or more under steal), never take the
  // delay away: the seed's slow syncs are those slow in both runs with it, and each waited its 20 ms both times.
  const again20 = new Set(slowOnes(again));
  const slow = slowOnes(first).filter((i) => again20.has(i));
  const strays = slowOnes(first).length + slowOnes(again).length - 2 * slow.length;
  t.diagnostic(`slow syncs: ${slow.length} of 600 (seed 42, both runs), ${strays} in one run only`);
  t.diagnostic(`slow syncs with seed 7: ${slowOnes(other).length}`);
  // 3 % of 600 is 18; a binomial draw lies within 6-32 in all but one run in ten thousand.
  assert.ok(slow.length >= 6 && slow.length <= 32, `${slow.length} slow syncs`);
  assert.ok(strays <= Math.max(3, slow.length / 2), `${strays} syncs slow in one run of the same seed only`);
  const fast = first.filter((m) => m < 10).sort((a, b) => a - b);
  assert.ok(fast[Math.floor(fast.length / 2)]! >= 1, 'the others wait their 1 ms');
  assert.notDeepEqual(slowOnes(other), slow, 'another seed, other syncs');
  fs.set({ fsyncDelayUs: 0 });
  assert.equal(fs.status().dist_bins, 0, 'a setting without a distribution clears it');
});

test('a periodic stall: every 500 ms the disk stops for 200 ms, and the syncs inside wait for its end', {
  skip,
}, async (t) => {
  const fs = await mounted(t);
  fs.set({ fsyncDelayUs: 1000, stallEveryMs: 500, stallUs: 200_000 });
  const t0 = performance.now();
  const times: number[] = [];
  while (performance.now() - t0 < 2100) times.push(...syncTimes(fs, 10));
  const stalled = times.filter((m) => m >= 50);
  t.diagnostic(
    `${times.length} syncs, ${stalled.length} held by a stall, the longest ${Math.max(...times).toFixed(1)} ms`,
  );
  // Four or five stalls begin in 2.1 s, each holding the sync inside it (a busy host may hold one more now and then);
  // a sync waits out the rest of a stall, never much more than its 200 ms and the 1 ms delay.
  assert.ok(stalled.length >= 4 && stalled.length <= 7, `${stalled.length} syncs held`);
  assert.ok(stalled.filter((m) => m >= 100).length >= 3, 'most held for a good part of a stall');
  assert.ok(Math.max(...times) <= 200 + 1 + 100, `the longest ${Math.max(...times)} ms`);
});

test('a distribution slowfs cannot take is refused before it is written', () => {
  // distText is what set() writes: checked first, nothing half-applied.
  return import('../../src/lab/slowfs.js').then(({ distText, DIST_MAX_BINS }) => {
    assert.equal(distText([]), '');
    assert.equal(
      distText([
        [1000.4, 97],
        [20_000, 3],
      ]),
      '1000:97;20000:3',
    );
    assert.throws(() => distText([[-1, 1]]), /0 or more/);
    assert.throws(() => distText([[1000, 0]]), /weight above 0/);
    assert.throws(() => distText(Array.from({ length: DIST_MAX_BINS + 1 }, () => [1, 1])), /at most 4096/);
  });
});

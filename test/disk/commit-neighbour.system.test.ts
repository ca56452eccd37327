// The backend-commit stream and the noisy neighbours on a real directory.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/tmp.js';
import { gather } from '../helpers/workload.js';

const dir = tempDir('edb-commit-');

test('one commit per interval (within 20 %), two fdatasyncs each, the file grown in steps', async () => {
  const path = join(dir, 'db');
  const got = await gather('commit', {
    path,
    intervalNs: 50e6,
    pagesMin: 8,
    pagesMax: 32,
    growBytes: 64 << 10,
    durationNs: 2e9,
  });
  assert.equal(got.error, undefined);
  const s = got.summary!;
  // 2 s / 50 ms = 40 ticks; a slow commit may drop a tick (as Go's ticker does).
  assert.ok(s.ops >= 32 && s.ops <= 40, `commits: ${s.ops}`); // tolerance: 20 %, for a busy shared disk
  assert.equal(s.syncs, 2 * s.ops);
  const rows = got.rows.commit!;
  assert.equal(rows.length, s.ops);
  assert.ok(
    rows.every((r) => r[1]! > 0 && r[2]! > 0 && r[3]! >= r[1]! + r[2]!),
    'write, sync and total in every commit',
  );
  assert.ok(
    rows.every((r) => r[4]! >= r[3]!),
    'response from the tick covers the commit',
  );
  const gaps = rows.slice(1).map((r, i) => r[0]! - rows[i]![0]!);
  assert.ok(
    gaps.filter((g) => Math.abs(g - 50e6) < 10e6).length >= gaps.length * 0.8,
    'commits start about 50 ms apart',
  );
  assert.ok(s.extra!.grows! > 1, `grows: ${s.extra!.grows!}`);
  assert.equal(statSync(path).size, s.extra!.fileBytes!);
  assert.equal(s.extra!.fileBytes!, s.extra!.grows! * (64 << 10));
  assert.equal(s.extra!.pagesWritten! * 4096, s.bytes);
});

test('a flat-out neighbour writes the bytes it reports', async () => {
  const path = join(dir, 'n0');
  const got = await gather('neighbour', {
    path,
    blockBytes: 1 << 20,
    fileBytes: 4 * 2 ** 30,
    bytesPerSec: 0,
    direct: false,
    durationNs: 300e6,
  });
  assert.equal(got.error, undefined);
  const s = got.summary!;
  assert.ok(s.bytes > 0 && s.bytes === s.ops * (1 << 20));
  assert.equal(statSync(path).size, s.bytes);
});

test('a paced neighbour holds its bandwidth; an O_DIRECT one writes through', async () => {
  const paced = await gather('neighbour', {
    path: join(dir, 'n1'),
    blockBytes: 1 << 20,
    fileBytes: 1 << 30,
    bytesPerSec: 20 << 20,
    direct: false,
    durationNs: 500e6,
  });
  const mib = paced.summary!.bytes / (1 << 20);
  assert.ok(mib >= 9 && mib <= 11, `paced neighbour wrote ${mib} MiB in 0.5 s at 20 MiB/s`);
  const direct = await gather('neighbour', {
    path: join(dir, 'n2'),
    blockBytes: 1 << 20,
    fileBytes: 1 << 30,
    bytesPerSec: 0,
    direct: true,
    durationNs: 200e6,
  });
  assert.equal(direct.error, undefined);
  assert.equal(statSync(join(dir, 'n2')).size, direct.summary!.bytes);
});

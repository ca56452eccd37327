// The WAL writer on a real directory: segments read back and checked record
// by record (framing, padding, pad marker, CRC chain), cuts at the boundary,
// directory fsyncs counted, purging, and the real 64,000,000-byte segments.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { WalConfig } from '../../src/disk/workload-configs.js';
import { tempDir } from '../helpers/tmp.js';
import { decodeSegment } from '../helpers/wal-decode.js';
import { gather } from '../helpers/workload.js';

const ENTRY = 2;
let n = 0;
function walDir(): string {
  const d = join(tempDir('edb-wal-'), `wal${n++}`);
  mkdirSync(d);
  return d;
}

function config(dir: string, over: Partial<WalConfig>): WalConfig {
  return {
    dir,
    segmentBytes: 1 << 20,
    recordMin: 2200,
    recordMax: 2400,
    batchMin: 1,
    batchMax: 4,
    durationNs: 0,
    totalBytes: 0,
    rateOpsPerSec: 0,
    keepSegments: 100,
    ...over,
  };
}

const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.wal'))
    .sort();

test('small segments: every record framed as etcd frames it, the crc chained across cuts', async () => {
  const dir = walDir();
  const got = await gather('wal', config(dir, { totalBytes: 3.5 * (1 << 20) }));
  assert.equal(got.error, undefined);
  const s = got.summary!;
  const files = segments(dir);
  assert.equal(files.length, s.extra!.segments!);
  assert.ok(files.length >= 4, `segments: ${files.length}`);
  assert.equal(s.extra!.cuts!, files.length - 1);
  assert.equal(s.extra!.dirFsyncs!, files.length, 'one directory fsync per segment created');
  assert.equal(got.rows.cut?.length, s.extra!.cuts!, 'one cut sample per cut');
  assert.equal(got.rows.wal?.length, s.ops, 'one sample per batch');
  assert.ok(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length <= 1, 'at most the next preallocated segment');
  let crc = 0;
  let entries = 0;
  files.forEach((f, i) => {
    const seg = decodeSegment(join(dir, f), crc);
    const types = seg.records.map((r) => r.type);
    assert.deepEqual(types.slice(0, 3), i === 0 ? [4, 1, 5] : [4, 1, 3], `${f} header records`);
    assert.equal(seg.records[0]!.crc, crc, `${f} starts with the previous segment's crc`);
    entries += types.filter((t) => t === ENTRY).length;
    if (i < files.length - 1) {
      assert.equal(seg.size, seg.end, `${f} truncated at its last record`);
      assert.ok(seg.end >= 1 << 20, `${f} was cut at the boundary, not before (${seg.end})`);
    } else {
      assert.equal(seg.size, 1 << 20, 'the tail segment keeps its preallocated size');
    }
    assert.ok(seg.records.every((r) => r.type !== ENTRY || (r.dataLength >= 2200 && r.dataLength <= 2400)));
    assert.ok(
      seg.records.some((r) => r.pad > 0),
      'some records needed padding',
    );
    crc = seg.crc;
  });
  assert.equal(entries, s.extra!.records!);
  assert.equal(files[0], '0000000000000000-0000000000000000.wal');
  assert.match(files[1]!, /^0000000000000001-[0-9a-f]{16}\.wal$/);
});

test('etcd-size segments: 64,000,000 bytes preallocated, a cut after it, batches over 128 KiB', async () => {
  const dir = walDir();
  const got = await gather(
    'wal',
    config(dir, { segmentBytes: 64_000_000, batchMin: 64, batchMax: 64, totalBytes: 66_000_000 }),
  );
  assert.equal(got.error, undefined);
  const files = segments(dir);
  assert.equal(files.length, 2);
  assert.equal(got.summary!.extra!.cuts!, 1);
  const first = decodeSegment(join(dir, files[0]!), 0);
  assert.ok(first.end >= 64_000_000 && first.size === first.end, `first segment ends at ${first.end}`);
  assert.equal(statSync(join(dir, files[1]!)).size, 64_000_000);
  const second = decodeSegment(join(dir, files[1]!), first.crc);
  assert.deepEqual(
    second.records.slice(0, 3).map((r) => r.type),
    [4, 1, 3],
  );
});

test('old segments are purged beyond keepSegments', async () => {
  const dir = walDir();
  const got = await gather('wal', config(dir, { segmentBytes: 256 << 10, keepSegments: 2, totalBytes: 2 << 20 }));
  const s = got.summary!;
  assert.ok(s.extra!.segments! >= 6);
  assert.equal(segments(dir).length, 2);
  assert.equal(s.extra!.purged!, s.extra!.segments! - 2);
});

test('stop() ends a time-unlimited WAL run; the sample count matches the batches', async () => {
  const dir = walDir();
  const got = await gather('wal', config(dir, {}), 300);
  assert.equal(got.summary!.stopped, true);
  assert.ok(got.summary!.ops > 0);
  assert.equal(got.rows.wal?.length, got.summary!.ops);
  assert.ok(got.rows.wal!.every((r) => r[1]! > 0 && r[2]! > 0 && r[3]! >= r[1]! + r[2]!));
});

test('a missing WAL directory fails like fs does', async () => {
  const dir = join(walDir(), 'missing');
  const got = await gather('wal', config(dir, { totalBytes: 1 << 20 }));
  assert.equal(got.error?.code, 'ENOENT');
  assert.equal(got.error?.syscall, 'open');
});

// What `lab replay-disk --from` reads: the durable stream's histogram of a
// qualify report's WAL or fio phase, or of a disk result; and the clear
// refusal (exit 2, naming what is missing) of a report that holds none.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { distFigures, recordedValues } from '../../src/lab/replay-dist.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { readReplaySource } from '../../src/report/replay-source.js';
import { tempDir } from '../helpers/tmp.js';

const fixture = (name: string) => join(PACKAGE_ROOT, 'test', 'fixtures', name);
const QUALIFY = fixture('qualify-pass.json');
const DISK = fixture('disk-wal-1ms-3pct-20ms.json');
const dir = tempDir('edb-replay-src-');

/** A copy of a stored report with one change, in a file of its own. */
function changed<T>(from: string, name: string, change: (r: T) => void): string {
  const r = JSON.parse(readFileSync(from, 'utf8')) as T;
  change(r);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(r));
  return path;
}

function refused(f: () => unknown, pattern: RegExp): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof UsageError, String(e));
    assert.match(e.message, /^--from: /);
    assert.match(e.message, pattern);
    return true;
  });
}

test("a qualify report: the WAL phase's fdatasync histogram, or the fio phase's with --phase fio", () => {
  const q = JSON.parse(readFileSync(QUALIFY, 'utf8')) as QualifyReport;
  const wal = readReplaySource(QUALIFY, 'wal', false);
  assert.equal(wal.phase, 'wal');
  assert.equal(wal.stream, 'sync');
  assert.equal(wal.encoded, q.phases.wal.result!.histograms.sync);
  assert.deepEqual(wal.figures, distFigures(recordedValues(q.phases.wal.result!.histograms.sync)));
  // The figures agree with the report's own summary (HDR's percentiles, nearest rank here).
  const s = q.phases.wal.result!.latency.sync;
  assert.equal(wal.figures.count, s.count);
  assert.ok(Math.abs(wal.figures.p99Ns - s.p99Ns) / s.p99Ns < 0.01, `${wal.figures.p99Ns} vs ${s.p99Ns}`);
  const fio = readReplaySource(QUALIFY, 'fio', true);
  assert.equal(fio.phase, 'fio');
  assert.equal(fio.encoded, q.phases.fio.result!.histograms.sync);
  assert.equal(fio.node, q.node ?? q.host.hostname);
});

test('a disk result of the WAL shape: its own phase; --phase fio given for it is refused', () => {
  const d = JSON.parse(readFileSync(DISK, 'utf8')) as DiskResult;
  const src = readReplaySource(DISK, 'wal', false);
  assert.equal(src.phase, 'wal');
  assert.equal(src.figures.count, d.latency.sync.count);
  assert.equal(src.figures.maxNs, recordedValues(d.histograms.sync).at(-1)![0]);
  refused(() => readReplaySource(DISK, 'fio', true), /a disk result of the wal shape has no fio phase/);
});

test('under O_DSYNC the write() stream is replayed: it paid for durability', () => {
  const path = changed<DiskResult>(DISK, 'dsync.json', (r) => {
    r.durableStream = 'write';
  });
  const src = readReplaySource(path, 'wal', false);
  assert.equal(src.stream, 'write');
  assert.equal(src.encoded, (JSON.parse(readFileSync(DISK, 'utf8')) as DiskResult).histograms.write);
});

test('a report with nothing to replay is refused, naming what is missing', () => {
  const notRun = changed<QualifyReport>(QUALIFY, 'wal-not-run.json', (r) => {
    r.phases.wal = { status: 'not-run', title: r.phases.wal.title, reason: 'the fio phase failed', result: null };
  });
  refused(
    () => readReplaySource(notRun, 'wal', false),
    /its wal phase did not run \(the fio phase failed\).*--phase fio/,
  );
  const noHist = changed<DiskResult>(DISK, 'no-histogram.json', (r) => {
    (r.histograms as Partial<DiskResult['histograms']>).sync = undefined;
  });
  refused(
    () => readReplaySource(noHist, 'wal', false),
    /holds no sync histogram \(schema etcd-disk-bench\/disk-result@4\)/,
  );
  const noSync = changed<DiskResult>(DISK, 'no-sync.json', (r) => {
    r.durableStream = null;
  });
  refused(() => readReplaySource(noSync, 'wal', false), /ran without syncs/);
  const observe = changed<Record<string, unknown>>(QUALIFY, 'burst.json', (r) => {
    for (const k of Object.keys(r)) delete r[k];
    Object.assign(r, { schema: 'etcd-disk-bench/fleet@1', reports: [] });
  });
  assert.throws(() => readReplaySource(observe, 'wal', false), UsageError);
  refused(() => readReplaySource(join(dir, 'absent.json'), 'wal', false), /cannot read/);
});

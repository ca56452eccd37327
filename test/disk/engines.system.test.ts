// Both writer engines on a real temporary directory: counts, file sizes, sync
// placement, pacing, stop, and Node-shaped errors.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Engine } from '../../src/disk/engine.js';
import { jsEngine } from '../../src/disk/js-engine.js';
import { loadNativeAddon, nativeEngine } from '../../src/disk/native-engine.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../../src/stats/samples.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { tempDir } from '../helpers/tmp.js';
import { needs } from '../helpers/needs.js';
import { column, config, runEngine } from '../helpers/writer.js';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';
import { F_OPS, F_SECOND } from '../../src/stats/folded.js';

const loaded = loadNativeAddon();
if (!('addon' in loaded)) throw new Error(`the native addon must load in tests: ${loaded.error.message}`);
const engines: Engine[] = [nativeEngine(loaded.addon), jsEngine];

for (const engine of engines) {
  describe(`${engine.name} engine`, () => {
    const dir = tempDir(`edb-${engine.name}-`);
    let n = 0;
    const file = () => join(dir, `f${n++}`);

    test('fdatasync after every write: one sample per write, file laid out at the requested size', async () => {
      const path = file();
      const got = await runEngine(engine, config(path));
      assert.equal(got.error, undefined);
      assert.equal(got.summary!.ops, 200);
      assert.equal(got.ops, 200);
      assert.equal(got.summary!.syncs, 200);
      assert.equal(got.summary!.bytes, 2300 * 200);
      assert.equal(statSync(path).size, 2300 * 200);
      const syncs = column(got, S_SYNC);
      assert.ok(
        syncs.every((s) => s > 0),
        'every op has a sync sample',
      );
      const writes = column(got, S_WRITE);
      const service = column(got, S_SERVICE);
      assert.ok(
        writes.every((w, i) => w > 0 && service[i]! >= w + syncs[i]!),
        'service covers write + sync',
      );
      const starts = column(got, S_START);
      assert.ok(
        starts.every((s, i) => i === 0 || s > starts[i - 1]!),
        'starts increase',
      );
      assert.ok(
        column(got, S_RESPONSE).every((r) => r === -1),
        'no response time when unpaced',
      );
    });

    test('prepare modes give the file size each promises', async () => {
      const size = 2300 * 20 + 100;
      for (const [prepare, expected] of [
        ['fallocate', size],
        ['truncate', size],
        ['overwrite', size],
        ['none', 2300 * 20],
      ] as const) {
        const path = file();
        const got = await runEngine(engine, config(path, { fileSize: size, prepare }));
        assert.equal(got.error, undefined, prepare);
        assert.equal(got.summary!.ops, 20, prepare);
        assert.equal(statSync(path).size, expected, prepare);
      }
    });

    test('--sync-method none has no sync samples; sync every 4 has a quarter', async () => {
      const none = await runEngine(engine, config(file(), { syncMethod: 'none' }));
      assert.equal(none.summary!.syncs, 0);
      assert.ok(column(none, S_SYNC).every((s) => s === -1));
      const every4 = await runEngine(engine, config(file(), { syncEvery: 4 }));
      assert.equal(every4.summary!.syncs, 50);
      const syncs = column(every4, S_SYNC);
      assert.equal(syncs.filter((s) => s >= 0).length, 50);
      assert.ok(
        syncs.every((s, i) => (i % 4 === 3) === s >= 0),
        'the sync follows every 4th write',
      );
      const dsync = await runEngine(engine, config(file(), { syncMethod: 'dsync', fileSize: 2300 * 20 }));
      assert.equal(dsync.summary!.ops, 20);
      assert.equal(dsync.summary!.syncs, 0);
    });

    test('time-based runs wrap at --size and last --runtime', async () => {
      const path = file();
      const got = await runEngine(
        engine,
        config(path, { fileSize: 2300 * 10, timeBased: true, durationNs: 300e6, syncMethod: 'none' }),
      );
      assert.ok(got.summary!.ops > 10, `wrapped: ${got.summary!.ops} ops`);
      assert.equal(statSync(path).size, 2300 * 10);
      assert.ok(got.summary!.elapsedNs >= 250e6 && got.summary!.elapsedNs < 1e9, `elapsed ${got.summary!.elapsedNs}`);
    });

    test('open loop: the rate holds and response time includes the wait from the intended start', async () => {
      const got = await runEngine(
        engine,
        config(file(), { fileSize: 2300 * 10000, rateOpsPerSec: 200, durationNs: 500e6 }),
      );
      assert.ok(got.summary!.ops >= 95 && got.summary!.ops <= 101, `ops ${got.summary!.ops}`);
      const resp = column(got, S_RESPONSE);
      const service = column(got, S_SERVICE);
      assert.ok(
        resp.every((r, i) => r >= service[i]! - 1000),
        'response >= service',
      );
      const starts = column(got, S_START);
      // Paced at 5 ms: no two starts closer than ~4 ms unless catching up after a late op.
      assert.ok(starts[starts.length - 1]! >= 450e6, `last start ${starts[starts.length - 1]}`);
    });

    test('stop() mid-run ends early with the samples so far', async () => {
      const got = await runEngine(
        engine,
        config(file(), { fileSize: 1 << 30, prepare: 'truncate', syncMethod: 'fdatasync' }),
        (stop) => setTimeout(stop, 200),
      );
      assert.equal(got.error, undefined);
      assert.equal(got.summary!.stopped, true);
      assert.ok(got.summary!.ops > 0 && got.summary!.ops < (1 << 30) / 2300);
      assert.equal(got.ops, got.summary!.ops);
    });

    test('a missing directory fails like fs does: ENOENT, errno, syscall, path', async () => {
      const path = join(dir, 'missing', 'f');
      const got = await runEngine(engine, config(path));
      assert.equal(got.error?.code, 'ENOENT');
      assert.equal(got.error?.errno, -2);
      assert.equal(got.error?.syscall, 'open');
      assert.equal(got.error?.path, path);
      assert.match(got.error!.message, /^ENOENT: no such file or directory, open '/);
    });

    test('a read-only filesystem fails with EROFS', { skip: needs('root') }, async (_t) => {
      const ro = mountTmpfs(dir, `ro-${engine.name}`, 'ro,size=1m');
      assert.ok(ro, 'a tmpfs was mounted');
      const got = await runEngine(engine, config(join(ro, 'f')));
      assert.equal(got.error?.code, 'EROFS');
      assert.equal(got.error?.errno, -30);
      assert.equal(got.error?.syscall, 'open');
    });

    test('a full disk mid-run fails with ENOSPC after some writes', { skip: needs('root') }, async (_t) => {
      const small = mountTmpfs(dir, `full-${engine.name}`, 'size=256k');
      assert.ok(small, 'a tmpfs was mounted');
      const got = await runEngine(
        engine,
        config(join(small, 'f'), { fileSize: 4 << 20, prepare: 'none', syncMethod: 'none' }),
      );
      assert.equal(got.error?.code, 'ENOSPC');
      assert.equal(got.error?.syscall, 'write');
      assert.ok(
        got.error?.summary && got.error.summary.ops > 50,
        `ops before the disk filled: ${got.error?.summary?.ops}`,
      );
      assert.equal(got.ops, got.error!.summary!.ops);
    });
  });
}

describe('native engine: stop while laying out the file', () => {
  test('a long overwrite preparation ends at stop() with no operations', async () => {
    const dir = tempDir('edb-prepstop-');
    const engine = engines[0]!;
    const handle = engine.start(
      config(join(dir, 'f'), { fileSize: 8 * 1024 ** 3, prepare: 'overwrite', blockSize: 4096 }),
      { onSamples: () => {} },
    );
    const t0 = Date.now();
    setTimeout(() => handle.stop(), 100);
    const summary = await handle.done;
    assert.equal(summary.stopped, true);
    assert.equal(summary.ops, 0);
    assert.ok(Date.now() - t0 < 20_000, 'did not write all 8 GiB first');
  });
});

describe('native engine: O_DIRECT', () => {
  const dir = tempDir('edb-direct-');
  const engine = engines[0]!;

  test('an unaligned block size fails with EINVAL and says why', async () => {
    const got = await runEngine(engine, config(join(dir, 'a'), { direct: true }));
    assert.equal(got.error?.code, 'EINVAL');
    assert.equal(got.error?.syscall, 'write');
    assert.match(got.error!.message, /multiple of the device's logical block size/);
  });

  test('an aligned block size writes through', async () => {
    const got = await runEngine(engine, config(join(dir, 'b'), { direct: true, blockSize: 4096, fileSize: 4096 * 50 }));
    assert.equal(got.error, undefined);
    assert.equal(got.summary!.ops, 50);
  });
});

describe('native engine: the hand-over to JavaScript', () => {
  const dir = tempDir('edb-handover-');

  test('batches come in one reused buffer, each whole while its call lasts; the thread is named', async () => {
    const engine = engines[0]!;
    const buffers = new Set<ArrayBufferLike>();
    const starts: number[] = [];
    let threadName = '';
    const handle = engine.start(config(join(dir, 'f'), { fileSize: 2300 * 3000, batchOps: 64 }), {
      onPrepared: (_ns, tid) => {
        threadName = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
      },
      onSamples: (b, stream) => {
        buffers.add(b.buffer);
        if (stream === 'seq') for (let i = 0; i < b.length; i += SAMPLE_STRIDE) starts.push(b[i + S_START]!);
      },
    });
    const summary = await handle.done;
    assert.equal(summary.ops, 3000);
    assert.equal(starts.length, 3000, 'every operation arrived once');
    assert.ok(
      starts.every((s, i) => i === 0 || s >= starts[i - 1]!),
      'in order: no batch was overwritten before it was read',
    );
    assert.equal(buffers.size, 1, `batches of 64 operations share one buffer (${buffers.size} seen)`);
    assert.equal(threadName, 'edb-seq');
  });

  test('with fold, the operations come as chunks a second, every one counted once, none one by one', async () => {
    const engine = engines[0]!;
    const recorder = new DiskRecorder();
    const seconds: number[] = [];
    let opsIn = 0;
    let rawSeq = 0;
    const handle = engine.start(
      config(join(dir, 'folded'), { fileSize: 2300 * 1000, timeBased: true, durationNs: 2.2e9, fold: true }),
      {
        onSamples: (_b, stream) => {
          if (stream === 'seq') rawSeq++;
        },
        onFolded: (chunk) => {
          seconds.push(chunk[F_SECOND]!);
          opsIn += chunk[F_OPS]!;
          recorder.addFolded(chunk);
        },
      },
    );
    const summary = await handle.done;
    const stats = recorder.finish(summary.elapsedNs);
    assert.equal(rawSeq, 0);
    assert.equal(opsIn, summary.ops);
    assert.equal(stats.summaries.sync.count, summary.ops);
    // The default interval (10 ms) cuts each second into many chunks; in order, never going back.
    assert.ok(seconds.length >= 3, `${seconds.length} chunks`);
    assert.ok(seconds.every((s, i) => i === 0 || s >= seconds[i - 1]!));
    assert.deepEqual([...new Set(seconds)], [0, 1, 2]);
    assert.equal(stats.timeSeries.sync.length, 3);
  });
});

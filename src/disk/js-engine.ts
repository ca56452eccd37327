// The plain-JS writer: fs.writeSync + fs.fdatasyncSync on the event loop, in
// slices so signals and timers still run. It exists to compare against the
// native writer (and as a fallback when the addon cannot load).
import { randomFillSync } from 'node:crypto';
import { closeSync, constants, fdatasyncSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { Engine, WriterConfig, WriterError, WriterHandle, WriterHandlers, WriterSummary } from './engine.js';
import { prepareFileJs } from './js-prepare.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../stats/samples.js';

const SLICE_NS = 50e6;
const BATCH_OPS = 4096;

function openFlags(c: WriterConfig): number {
  let flags = constants.O_WRONLY;
  if (c.syncMethod === 'dsync') flags |= constants.O_DSYNC;
  if (c.syncMethod === 'sync') flags |= constants.O_SYNC;
  if (c.direct) flags |= constants.O_DIRECT;
  return flags;
}

/** The event-loop engine. */
export const jsEngine: Engine = {
  name: 'js',
  start(c: WriterConfig, handlers: WriterHandlers): WriterHandle {
    let stopRequested = false;
    const summary: WriterSummary = { ops: 0, bytes: 0, syncs: 0, prepareNs: 0, elapsedNs: 0, stopped: false };
    const done = new Promise<WriterSummary>((resolve, reject) => {
      let fd = -1;
      const buf = randomFillSync(Buffer.alloc(c.blockSize));
      const periodNs = c.rateOpsPerSec > 0 ? 1e9 / c.rateOpsPerSec : 0;
      const doSync = c.syncMethod === 'fdatasync' ? fdatasyncSync : c.syncMethod === 'fsync' ? fsyncSync : null;
      let batch = new Float64Array(BATCH_OPS * SAMPLE_STRIDE);
      let filled = 0;
      let offset = 0;
      let runStart = 0n;
      let lastEnd = 0;
      const flush = () => {
        if (filled > 0) handlers.onSamples(batch.subarray(0, filled * SAMPLE_STRIDE), 'seq');
        batch = new Float64Array(BATCH_OPS * SAMPLE_STRIDE);
        filled = 0;
      };
      const finish = (error?: unknown) => {
        flush();
        summary.elapsedNs = lastEnd;
        if (fd >= 0) closeSync(fd);
        if (error) reject(Object.assign(error as WriterError, { summary }));
        else resolve(summary);
      };
      // Runs operations for one slice; returns ms to wait before the next, or null when finished.
      const slice = (): number | null => {
        const sliceEnd = Number(process.hrtime.bigint() - runStart) + SLICE_NS;
        for (let i = summary.ops; ; i++) {
          if (stopRequested) {
            summary.stopped = true;
            return null;
          }
          const intended = periodNs > 0 ? i * periodNs : 0;
          if (c.durationNs > 0 && Math.max(lastEnd, intended) >= c.durationNs) return null;
          if (offset + c.blockSize > c.fileSize) {
            if (!c.timeBased) return null;
            offset = 0;
          }
          const now = Number(process.hrtime.bigint() - runStart);
          if (now >= sliceEnd) return 0;
          if (intended > now) return (intended - now) / 1e6;
          buf.writeUInt32LE(i >>> 0, 0);
          const t0 = process.hrtime.bigint();
          writeSync(fd, buf, 0, c.blockSize, offset);
          const t1 = process.hrtime.bigint();
          let t2 = t1;
          let syncNs = -1;
          if (doSync && (i + 1) % c.syncEvery === 0) {
            doSync(fd);
            t2 = process.hrtime.bigint();
            syncNs = Number(t2 - t1);
            summary.syncs++;
          }
          offset += c.blockSize;
          summary.ops++;
          summary.bytes += c.blockSize;
          lastEnd = Number(t2 - runStart);
          const at = filled * SAMPLE_STRIDE;
          batch[at + S_START] = Number(t0 - runStart);
          batch[at + S_WRITE] = Number(t1 - t0);
          batch[at + S_SYNC] = syncNs;
          batch[at + S_SERVICE] = Number(t2 - t0);
          batch[at + S_RESPONSE] = periodNs > 0 ? lastEnd - intended : -1;
          if (++filled === BATCH_OPS) flush();
        }
      };
      const step = () => {
        try {
          const waitMs = slice();
          flush();
          if (waitMs === null) finish();
          else if (waitMs === 0) setImmediate(step);
          else setTimeout(step, Math.max(1, Math.floor(waitMs)));
        } catch (e) {
          finish(e);
        }
      };
      setImmediate(() => {
        try {
          summary.prepareNs = prepareFileJs(c);
          fd = openSync(c.path, openFlags(c));
          handlers.onPrepared?.(summary.prepareNs, process.pid); // the main thread writes
          runStart = process.hrtime.bigint();
          step();
        } catch (e) {
          finish(e);
        }
      });
    });
    return {
      stop: () => {
        stopRequested = true;
      },
      done,
    };
  },
};

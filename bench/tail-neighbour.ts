// A Node process doing what the disk command's main thread does while its
// writer runs, without a writer: a batch of samples every flush interval into
// a DiskRecorder, through the path the addon's batches take (warmed the same
// way), and the per-second snapshot. bench:tail runs it beside fio to
// see what such a neighbour costs fio's tail.
// Usage: node tail-neighbour.js OPS_PER_SEC SECONDS [FLUSH_MS]
import { PhaseSink } from '../src/disk/phase-sink.js';
import { eventsInto, warmUpHandOver } from '../src/disk/warm-up.js';
import { EVENT_SAMPLES, STREAM_NAMES } from '../src/native/abi.js';
import { DiskRecorder } from '../src/stats/disk-recorder.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../src/stats/samples.js';

const [rate = 14000, seconds = 12, flushMs = 10] = process.argv.slice(2).map(Number);
await warmUpHandOver();
const recorder = new DiskRecorder();
const events = eventsInto(new PhaseSink(recorder, null, null, null));
const seq = STREAM_NAMES.indexOf('seq');
const perBatch = Math.max(1, Math.round((rate * flushMs) / 1000));
const batch = new Float64Array(perBatch * SAMPLE_STRIDE);
const start = process.hrtime.bigint();
const elapsedNs = () => Number(process.hrtime.bigint() - start);
let op = 0;
const feed = setInterval(() => {
  const now = elapsedNs();
  for (let i = 0; i < perBatch; i++, op++) {
    const at = i * SAMPLE_STRIDE;
    const sync = 5e4 + (op % 89) * 1e3;
    batch[at + S_START] = now - (perBatch - i) * 1e3;
    batch[at + S_WRITE] = 2e4 + (op % 53) * 100;
    batch[at + S_SYNC] = sync;
    batch[at + S_SERVICE] = sync + 2e4;
    batch[at + S_RESPONSE] = -1;
  }
  events.on(EVENT_SAMPLES, seq, batch);
}, flushMs);
const tick = setInterval(() => recorder.snapshot(elapsedNs()), 1000);
setTimeout(() => {
  clearInterval(feed);
  clearInterval(tick);
  recorder.finish(elapsedNs());
}, seconds * 1000);

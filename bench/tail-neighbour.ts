// A Node process doing what the disk command's main thread does while its
// writer runs, without a writer: a folded chunk a second (stats/folded.ts,
// made by the addon's fold before the clock starts, as the writer thread makes
// them) into a DiskRecorder, through the path the addon's events take (warmed
// the same way), and the per-second snapshot. bench:tail runs it beside fio to
// see what such a neighbour costs fio's tail.
// Usage: node tail-neighbour.js OPS_PER_SEC SECONDS
import { loadNativeAddon } from '../src/disk/native-engine.js';
import { PhaseSink } from '../src/disk/phase-sink.js';
import { eventsInto, warmUpHandOver } from '../src/disk/warm-up.js';
import { EVENT_FOLDED, STREAM_NAMES } from '../src/native/abi.js';
import { DiskRecorder } from '../src/stats/disk-recorder.js';
import { S_RESPONSE, S_SERVICE, S_START, S_SYNC, S_WRITE, SAMPLE_STRIDE } from '../src/stats/samples.js';

const [rate = 14000, seconds = 12] = process.argv.slice(2).map(Number);
const loaded = loadNativeAddon();
if (!('addon' in loaded)) throw loaded.error;
const { addon } = loaded;
await warmUpHandOver({ fold: (s) => addon.foldSamples(s) });

/** `seconds` of operations at `rate`, latencies spread as a disk's are (tens of us to a few ms). */
function operations(): Float64Array {
  const n = Math.round(rate * seconds);
  const b = new Float64Array(n * SAMPLE_STRIDE);
  let x = 2463534242;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const u = (x >>> 0) / 2 ** 32;
    const at = i * SAMPLE_STRIDE;
    const sync = Math.round(3e4 * Math.exp(u * u * 4.5));
    const write = 2000 + Math.round(u * 2e4);
    b[at + S_START] = (i * 1e9) / rate;
    b[at + S_WRITE] = write;
    b[at + S_SYNC] = sync;
    b[at + S_SERVICE] = write + sync;
    b[at + S_RESPONSE] = -1;
  }
  return b;
}

const chunks = addon.foldSamples(operations());
const recorder = new DiskRecorder();
const events = eventsInto(new PhaseSink(recorder, null, null, null));
const seq = STREAM_NAMES.indexOf('seq');
const start = process.hrtime.bigint();
const elapsedNs = () => Number(process.hrtime.bigint() - start);
let next = 0;
const feed = setInterval(() => {
  const chunk = chunks[next++];
  if (chunk) events.on(EVENT_FOLDED, seq, chunk);
  recorder.snapshot(elapsedNs());
}, 1000);
setTimeout(() => {
  clearInterval(feed);
  recorder.finish(elapsedNs());
}, seconds * 1000);

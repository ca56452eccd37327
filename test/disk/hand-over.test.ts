// The path a writer's batches take on the JS thread: the addon's positional
// events routed to the handlers, each stream to its recorder, and the warm-up
// that has V8 optimise all of it before a writer is timed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { WriterError, WriterSummary } from '../../src/disk/engine.js';
import { type StreamName, WorkloadEvents } from '../../src/disk/native-engine.js';
import { PhaseSink } from '../../src/disk/phase-sink.js';
import { warmUpHandOver } from '../../src/disk/warm-up.js';
import { SinkHandlers } from '../../src/disk/run-workloads.js';
import { NODE_FLAGS } from '../../src/core/gc-schedule.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { EVENT_DONE, EVENT_FAILED, EVENT_PREPARED, EVENT_SAMPLES, STREAM_NAMES } from '../../src/native/abi.js';
import { DiskRecorder } from '../../src/stats/disk-recorder.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';

const SUMMARY: WriterSummary = { ops: 3, bytes: 6900, syncs: 3, prepareNs: 1, elapsedNs: 9, stopped: false };

/** `n` operations of 100 us each, one every 200 us. */
function ops(n: number): Float64Array {
  const b = new Float64Array(n * SAMPLE_STRIDE);
  for (let i = 0; i < n; i++) b.set([i * 2e5, 1e4, 9e4, 1e5, -1], i * SAMPLE_STRIDE);
  return b;
}

function routed() {
  const got: { samples: [number, StreamName][]; prepared: number[][]; settled: unknown[] } = {
    samples: [],
    prepared: [],
    settled: [],
  };
  let stopped = 0;
  const events = new WorkloadEvents(
    {
      onSamples: (b, stream) => got.samples.push([b.length / SAMPLE_STRIDE, stream]),
      onPrepared: (ns, tid) => got.prepared.push([ns, tid]),
    },
    (s) => got.settled.push(['resolved', s]),
    (e) => got.settled.push(['rejected', e]),
  );
  events.workload = { stop: () => stopped++ };
  return { got, on: events.on.bind(events), stopped: () => stopped };
}

test("the addon's events reach the handlers: streams by index, prepared, done and error with their summary", () => {
  const { got, on } = routed();
  on(EVENT_PREPARED, 1234, 77);
  for (let i = 0; i < STREAM_NAMES.length; i++) on(EVENT_SAMPLES, i, ops(i + 1));
  on(EVENT_DONE, SUMMARY, undefined);
  assert.deepEqual(got.prepared, [[1234, 77]]);
  assert.deepEqual(got.samples, [
    [1, 'seq'],
    [2, 'wal'],
    [3, 'cut'],
    [4, 'cutsync'],
    [5, 'commit'],
    [6, 'slowop'],
  ]);
  assert.deepEqual(got.settled, [['resolved', SUMMARY]]);

  const failed = routed();
  const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  failed.on(EVENT_FAILED, error, SUMMARY);
  const [[how, e]] = failed.got.settled as [[string, WriterError]];
  assert.equal(how, 'rejected');
  assert.equal(e.code, 'ENOSPC');
  assert.deepEqual(e.summary, SUMMARY);
});

test("a handler that throws stops its workload, drops later batches, and done rejects with the handler's error", () => {
  let calls = 0;
  const settled: unknown[] = [];
  let stops = 0;
  const events = new WorkloadEvents(
    {
      onSamples: () => {
        calls++;
        throw new Error('full');
      },
    },
    (s) => settled.push(s),
    (e) => settled.push(e),
  );
  events.workload = { stop: () => stops++ };
  events.on(EVENT_SAMPLES, 0, ops(2));
  events.on(EVENT_SAMPLES, 0, ops(2));
  events.on(EVENT_DONE, SUMMARY, undefined);
  assert.equal(calls, 1);
  assert.equal(stops, 1);
  assert.equal((settled[0] as Error).message, 'full');
});

test('a phase sink sends each stream to its recorder and the slow operations to its list', () => {
  const [main, cut, cutSyncs, commit] = [
    new DiskRecorder(),
    new DiskRecorder(),
    new DiskRecorder(),
    new DiskRecorder(),
  ];
  const sink = new PhaseSink(main, cut, cutSyncs, commit);
  const handlers = new SinkHandlers(sink, () => {});
  handlers.onSamples(ops(3), 'seq');
  handlers.onSamples(ops(4), 'wal');
  handlers.onSamples(ops(5), 'cut');
  handlers.onSamples(ops(6), 'cutsync');
  handlers.onSamples(ops(7), 'commit');
  handlers.onSamples(ops(2), 'slowop');
  assert.deepEqual([main.ops, cut.ops, cutSyncs.ops, commit.ops], [7, 5, 6, 7], 'seq and wal are the measured stream');
  assert.deepEqual(
    sink.slowOps.map((o) => o.startNs),
    [0, 2e5],
  );
  for (const r of [main, cut, cutSyncs, commit]) r.finish(1e9);
  // Without the WAL's or the commit stream's recorders their batches go nowhere, and nothing throws.
  const seqOnly = new PhaseSink(new DiskRecorder(), null, null, null);
  seqOnly.take(ops(2), 'cut');
  seqOnly.take(ops(2), 'commit');
  assert.equal(seqOnly.main.ops, 0);
  seqOnly.main.finish(1e9);
});

test("the warm-up runs a phase's once-a-second work on synthetic seconds, samples in both recorders", async () => {
  const seen: { t: number; main: number; commit: number }[] = [];
  await warmUpHandOver({
    rounds: 2,
    batches: 200,
    second: (t, main, commit) => {
      seen.push({ t, main: main.snapshot(t).summaries.op.count, commit: commit.snapshot(t).summaries.op.count });
    },
  });
  // A second every 40 batches of 100 operations 250 us apart: 5 a round, at 1 s, 2 s, ... of synthetic time.
  assert.equal(seen.length, 10);
  assert.deepEqual(
    seen.map((s) => s.t),
    [1, 2, 3, 4, 5, 1, 2, 3, 4, 5].map((x) => x * 1e9),
  );
  for (const s of seen) assert.ok(s.main > 0 && s.commit > 0, JSON.stringify(s));
  // Each round's counts grow from second to second: the work sees the run go on.
  assert.ok(seen[4]!.main > seen[0]!.main && seen[4]!.commit > seen[0]!.commit);
});

test('after the warm-up, a run of batches through a new phase compiles and deoptimises none of its path', () => {
  const url = (p: string) => JSON.stringify(pathToFileURL(join(PACKAGE_ROOT, 'dist', 'src', p)).href);
  // What runPhase does: warm up, then a fresh sink and handlers for the run. Each batch reaches \`on\` the way the
  // addon's calls do, with no JavaScript caller (a promise reaction through a bound function); a tick each 100.
  const script = `
    const { warmUpHandOver } = await import(${url('disk/warm-up.js')});
    const { WorkloadEvents } = await import(${url('disk/native-engine.js')});
    const { PhaseSink } = await import(${url('disk/phase-sink.js')});
    const { SinkHandlers } = await import(${url('disk/run-workloads.js')});
    const { DiskRecorder } = await import(${url('stats/disk-recorder.js')});
    const { loadNativeAddon } = await import(${url('disk/native-engine.js')});
    const { addon } = loadNativeAddon();
    await warmUpHandOver({ fold: (s) => addon.foldSamples(s) });
    console.log('=== warm');
    for (const stream of [0, 1]) {
      const main = new DiskRecorder();
      const sink = new PhaseSink(main, new DiskRecorder(), new DiskRecorder(), null);
      const events = new WorkloadEvents(new SinkHandlers(sink, () => {}), () => {}, () => {});
      let t = 0;
      for (let k = 0; k < 300; k++) {
        const n = 120 + (k % 40);
        const b = new Float64Array(n * 5);
        for (let i = 0; i < n; i++, t += 73123.5) b.set([t, 3100.5 + (i % 9) * 100, 68000.25, 72000.75, -1], i * 5);
        await Promise.resolve().then(events.on.bind(events, 1, stream, b));
        if (k % 100 === 99) main.snapshot(t);
      }
      for (const r of [main, sink.cut, sink.cutSyncs]) r.finish(t);
      // A native writer's measured stream, folded: a chunk a second.
      const folded = new DiskRecorder();
      const foldedEvents = new WorkloadEvents(
        new SinkHandlers(new PhaseSink(folded, null, null, null), () => {}), () => {}, () => {});
      const n = 40000;
      const b = new Float64Array(n * 5);
      for (let i = 0; i < n; i++, t += 73123.5) {
        const sync = 68000.25 + (i % 300) * 40;
        b.set([t, 3100.5 + (i % 9) * 100, sync, sync + 4000.5, -1], i * 5);
      }
      for (const chunk of addon.foldSamples(b)) {
        await Promise.resolve().then(foldedEvents.on.bind(foldedEvents, 4, stream, chunk));
        folded.snapshot(t);
      }
      folded.finish(t);
    }
    console.log('=== run');
  `;
  const run = spawnSync(
    process.execPath,
    [...NODE_FLAGS, '--trace-opt', '--trace-deopt', '--input-type=module', '-e', script],
    { encoding: 'utf8', maxBuffer: 16 << 20 },
  );
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.split('\n');
  const [warm, end] = [lines.indexOf('=== warm'), lines.indexOf('=== run')];
  assert.ok(warm > 0 && end > warm, 'both markers printed');
  const names = [
    ...['on', 'onSamples', 'onFolded', 'take', 'takeFolded', 'add', 'addFolded', 'recordColumn', 'record'],
    ...['recordCount', 'recordValue', 'recordValueWithCount', 'advanceTo', 'snapshot', 'summarizeTick'],
    'percentileNs',
  ];
  const path = new RegExp(`<JSFunction (${names.join('|')}) \\(`);
  const during = lines.slice(warm + 1, end).filter((l) => /completed compiling|bailout/.test(l) && path.test(l));
  assert.deepEqual(during, [], 'V8 compiled or deoptimised the hand-over path during the run');
  const before = lines.slice(0, warm).filter((l) => /completed compiling/.test(l) && path.test(l));
  assert.ok(before.length >= 4, `the warm-up optimised the path (the trace sees its compiles): ${before.length}`);
});

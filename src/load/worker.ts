// The body of a load worker thread: its own clients and its share of the
// plan; it answers with its recorder's part (encoded histograms and counts),
// which the main thread merges exactly. 'stop' from the parent ends it early.
import { parentPort, workerData } from 'node:worker_threads';
import { LoadRecorder } from '../stats/load-recorder.js';
import type { ConnectionOptions } from '../etcd/connection.js';
import type { LoadOptions } from './load-option-values.js';
import { callOn, closeAll, connectLoad, openWorkloadWatches } from './connect-load.js';
import type { WatchStreams } from './watch-streams.js';
import { runLoad, type LoadPlan } from './runner.js';
import type { Transport } from './transport/transport.js';
import { workloadFromOptions } from './workloads/from-options.js';

export interface WorkerInput {
  conn: ConnectionOptions;
  values: LoadOptions;
  prefix: string;
  plan: LoadPlan;
  index: number;
  /** On the native pacer's wires (connect-load.ts choosePacing decided it for every thread). */
  paced: boolean;
}

async function main(input: WorkerInput): Promise<void> {
  const abort = new AbortController();
  parentPort!.on('message', (m: { stop?: string }) => m.stop && abort.abort(m.stop));
  const transports: Transport[] = [];
  let watches: WatchStreams | null = null;
  try {
    const workload = workloadFromOptions(input.values, input.prefix, input.index);
    const v = input.values;
    transports.push(...(await connectLoad(input.conn, v.conns, v.transport, input.prefix, input.paced)));
    await workload.prepare?.(callOn(transports[0]!));
    watches = await openWorkloadWatches(input.conn, workload, callOn(transports[0]!), input.paced);
    const rec = new LoadRecorder();
    const run = await runLoad(transports, workload, input.plan, rec, abort.signal);
    if (watches) run.watches = watches.counts();
    await workload.finish?.(callOn(transports[0]!)).catch(() => undefined);
    parentPort!.postMessage({ type: 'done', run, part: rec.part(run.elapsedNs) });
  } catch (e) {
    parentPort!.postMessage({
      type: 'error',
      message: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e),
    });
  } finally {
    watches?.close();
    closeAll(transports);
  }
}

if (parentPort && workerData) void main(workerData as WorkerInput);

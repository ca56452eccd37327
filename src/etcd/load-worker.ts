// The body of a load worker thread: its own clients and its share of the
// plan; it answers with its recorder's part (encoded histograms and counts),
// which the main thread merges exactly. 'stop' from the parent ends it early.
import { parentPort, workerData } from 'node:worker_threads';
import type { Etcd3 } from 'etcd3';
import { LoadRecorder } from '../stats/load-recorder.js';
import { openClient, type ConnectionOptions } from './connection.js';
import type { LoadOptions } from './load-options.js';
import { connectLoad, runLoad, type LoadPlan } from './load-runner.js';
import { workloadFromOptions } from './workloads/from-options.js';

export interface WorkerInput {
  conn: ConnectionOptions;
  values: LoadOptions;
  prefix: string;
  plan: LoadPlan;
  index: number;
}

async function main(input: WorkerInput): Promise<void> {
  const abort = new AbortController();
  parentPort!.on('message', (m: { stop?: string }) => m.stop && abort.abort(m.stop));
  const clients: Etcd3[] = Array.from({ length: input.values.conns }, () => openClient(input.conn));
  try {
    const workload = workloadFromOptions(input.values, input.prefix, input.index);
    await workload.prepare?.(clients[0]!);
    const senders = await connectLoad(clients, workload, input.prefix);
    const rec = new LoadRecorder();
    const run = await runLoad(clients, senders, workload, input.plan, rec, abort.signal);
    await workload.finish?.(clients[0]!).catch(() => undefined);
    parentPort!.postMessage({ type: 'done', run, part: rec.part(run.elapsedNs) });
  } catch (e) {
    parentPort!.postMessage({
      type: 'error',
      message: e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e),
    });
  } finally {
    clients.forEach((c) => {
      c.close();
    });
  }
}

if (parentPort && workerData) void main(workerData as WorkerInput);

// Spreads a load over worker threads: each gets its own clients and an even
// share of the rate (offset so the threads interleave), clients and total;
// their histograms are merged exactly when they finish.
import { Worker } from 'node:worker_threads';
import { mergeLoadParts, type LoadPart, type LoadStats } from '../stats/load-recorder.js';
import type { ConnectionOptions } from '../etcd/connection.js';
import type { LoadOptions } from './load-option-values.js';
import type { LoadPlan, LoadRun } from './runner.js';
import type { WorkerInput } from './worker.js';

type WorkerAnswer = { type: 'done'; run: LoadRun; part: LoadPart } | { type: 'error'; message: string };

/** Thread k's share of a plan split n ways. */
export function sharePlan(plan: LoadPlan, n: number, k: number): LoadPlan {
  const split = (x: number) => Math.floor(x / n) + (k < x % n ? 1 : 0);
  return {
    rate: plan.rate / n,
    clients: Math.max(1, split(plan.clients)),
    durationNs: plan.durationNs,
    total: plan.total > 0 ? split(plan.total) : 0,
    offsetNs: plan.rate > 0 ? (k * 1e9) / plan.rate : 0,
    ...(plan.graceNs !== undefined ? { graceNs: plan.graceNs } : {}),
  };
}

/** Runs the plan on `n` worker threads and merges what they measured. */
export async function runInWorkers(
  n: number,
  conn: ConnectionOptions,
  values: LoadOptions,
  prefix: string,
  plan: LoadPlan,
  signal: AbortSignal,
  paced = false,
): Promise<{ run: LoadRun; stats: LoadStats }> {
  // One origin for every thread's per-second rows: each starts its clock at its own connect.
  const originEpochMs = performance.timeOrigin + performance.now();
  const workers = Array.from({ length: n }, (_, k) => {
    // Connections are shared out like clients: --conns is the load's total, not each thread's.
    const conns = Math.max(1, Math.floor(values.conns / n) + (k < values.conns % n ? 1 : 0));
    const input: WorkerInput = {
      conn,
      values: { ...values, conns },
      prefix,
      plan: { ...sharePlan(plan, n, k), originEpochMs },
      index: k,
      paced,
    };
    return new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
  });
  const stopAll = (reason: string) =>
    workers.forEach((w) => {
      w.postMessage({ stop: reason });
    });
  const onAbort = () => stopAll(String(signal.reason ?? 'stopped'));
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  try {
    const answers = await Promise.all(
      workers.map(
        (w, k) =>
          new Promise<WorkerAnswer>((resolve) => {
            w.once('message', (m: WorkerAnswer) => {
              if (m.type === 'error') stopAll(`worker ${k} failed`);
              resolve(m);
            });
            w.once('error', (e) => resolve({ type: 'error', message: e.message }));
            w.once('exit', (code) => resolve({ type: 'error', message: `worker ${k} exited with ${code}` }));
          }),
      ),
    );
    const done = answers.filter((a): a is Extract<WorkerAnswer, { type: 'done' }> => a.type === 'done');
    const failure = answers.find((a): a is Extract<WorkerAnswer, { type: 'error' }> => a.type === 'error');
    const elapsedNs = Math.max(0, ...done.map((d) => d.run.elapsedNs));
    const stoppedBy = failure
      ? `a worker failed: ${failure.message}`
      : done.find((d) => d.run.stoppedBy)?.run.stoppedBy;
    const sum = (f: (r: LoadRun) => number) => done.reduce((a, d) => a + f(d.run), 0);
    const run: LoadRun = {
      scheduled: sum((r) => r.scheduled),
      sent: sum((r) => r.sent),
      notSent: sum((r) => r.notSent),
      elapsedNs,
      ...(stoppedBy ? { stoppedBy } : {}),
    };
    // One thread holds the watches (one API server's watch cache).
    const watches = done.find((d) => d.run.watches)?.run.watches;
    if (watches) run.watches = watches;
    return {
      run,
      stats: mergeLoadParts(
        done.map((d) => d.part),
        elapsedNs,
      ),
    };
  } finally {
    signal.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

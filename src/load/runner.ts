// Sends a workload's requests at a target rate (open loop: every request has
// an intended start, and a late request's wait counts in its response time)
// or as fast as `clients` allow (closed loop), spread over the connections.
// Requests due before sending ends but never sent are failures, not gaps.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { LoadRecorder } from '../stats/load-recorder.js';
import type { CallDone, Transport } from './transport/transport.js';
import type { LoadWorkload, Outcome, Request } from './workloads/workload.js';
import type { WatchCounts } from './watch-streams.js';

export interface LoadPlan {
  /** Requests per second; 0: closed loop. */
  rate: number;
  /** Requests in flight at most. */
  clients: number;
  /** Stop sending after this long (0: no limit)... */
  durationNs: number;
  /** ...or after this many requests (0: no limit). */
  total: number;
  /** Open loop: where this thread's schedule starts, so several threads interleave evenly. */
  offsetNs?: number;
  /**
   * Several threads: when the load began (ms since the epoch: performance.timeOrigin + performance.now()), so each
   * thread's per-second rows count from it, not from its own start, and merge second for second.
   */
  originEpochMs?: number;
  /**
   * Open loop: how long past the end requests that were due before it may still wait for a free client
   * (the request timeout: by then every request in flight has answered or failed). Default 0.
   */
  graceNs?: number;
}

export interface LoadRun {
  /** Requests the schedule called for up to the end of sending (open loop; closed loop: = sent). */
  scheduled: number;
  sent: number;
  /**
   * Due before sending ended but never sent (etcd too slow to free a client, or the run stopped): counted as failed.
   */
  notSent: number;
  elapsedNs: number;
  /** Why sending stopped early, if it did (abort reason, or a fatal error such as NOSPACE). */
  stoppedBy?: string;
  /** The watches the workload held (an API server's watch cache), as counted at the end of sending. */
  watches?: WatchCounts;
}

/**
 * Open loop: a request due within this long of now is sent now, from whichever wakeup comes first (a reply's or the
 * timer's), so a reply that lands just before a request's time sends it without a wakeup of its own, and the timer
 * is armed once per request instead of sleeping in whole milliseconds twice. Its response time then counts from when
 * it was sent, never from a later intended start.
 */
export const EARLY_NS = 1e6;

/**
 * Open loop on a paced transport: at each collection of answers (every `pumpMs`) every request due within twice that
 * and 2 ms more is handed to the pacer, which writes it at its time: room for one late collection. A request handed
 * over after its time goes at once, and its lateness counts.
 */
export function lookaheadNs(pumpMs: number): number {
  return (2 * pumpMs + 2) * 1e6;
}

/**
 * How often a paced load at `rate` requests/s wants its answers collected: about ten requests a collection, from every
 * 2 ms to every 20 ms. Each collection is one wakeup of the event loop; an answer waits longer to be collected (its
 * time is the pacer's stamp, so nothing of that wait is measured) and holds its client a little longer.
 */
export function loadPumpMs(rate: number): number {
  return Math.min(20, Math.max(2, Math.round(10_000 / Math.max(1, rate))));
}

/** An error that must end the run at once (the cluster refuses writes). */
export function fatalReason(e: unknown): string | null {
  const msg = e instanceof Error ? e.message : String(e);
  if (/database space exceeded|NOSPACE/i.test(msg)) return `the cluster raised its NOSPACE alarm (${msg})`;
  return null;
}

/** A short name for an error: the etcd3 class name, or the message for plain errors. */
export function errorKind(e: unknown): string {
  if (e instanceof Error) return e.constructor.name !== 'Error' ? e.constructor.name : e.message.slice(0, 80);
  return String(e).slice(0, 80);
}

/** The error kind of a request that was due but never sent. */
export const NOT_SENT = 'NotSent';

/** Open loop: when request k is due, in ns since the run's start (the one formula the loop and the counts use). */
function intendedAt(plan: LoadPlan, periodNs: number, k: number): number {
  return (plan.offsetNs ?? 0) + k * periodNs;
}

/** Open loop: how many requests were due before `stopNs` (and before the planned end and total). */
export function dueBy(plan: LoadPlan, periodNs: number, stopNs: number): number {
  const end = plan.durationNs > 0 ? Math.min(stopNs, plan.durationNs) : stopNs;
  const at = (k: number) => intendedAt(plan, periodNs, k);
  let due = Math.max(0, Math.ceil((end - (plan.offsetNs ?? 0)) / periodNs));
  while (due > 0 && at(due - 1) >= end) due--;
  while (at(due) < end) due++;
  return plan.total > 0 ? Math.min(due, plan.total) : due;
}

/** The error kind of an answer that could not be read (a malformed response message). */
export const BAD_ANSWER = 'BadAnswer';

/**
 * One slot per client that may be in flight: its request's times, kind and answer reader, and its completion callback,
 * made once, so a request costs no closure or promise of ours. What the loop waits on lives here too: how many are in
 * flight, when one was freed, why sending stops, and the wakeup.
 */
class ClientSlots {
  inFlight = 0;
  /** When the loop last got a free client after waiting: lateness before it is etcd's, after it the generator's. */
  slotFreeNs = 0;
  /** While every client is busy: the earliest read stamp of an answer that freed one (its slot was free from then). */
  freedAtNs = Number.POSITIVE_INFINITY;
  stoppedBy: string | undefined;
  wake: (() => void) | null = null;
  private readonly intendedAt: Float64Array;
  private readonly sentAt: Float64Array;
  private readonly slotFreeAt: Float64Array;
  private readonly kindAt: string[];
  private readonly answerAt: Request['answer'][];
  /** The connection each slot's request went on: a follow-up call goes on it too. */
  private readonly transportAt: Transport[];
  /** 1 while a slot's request is on a follow-up call (its first call's send already recorded). */
  private readonly following: Uint8Array;
  private readonly free: number[];
  private readonly doneAt: CallDone[];

  constructor(
    private readonly clients: number,
    private readonly rec: LoadRecorder,
    private readonly t0: number,
    private readonly paced: boolean,
  ) {
    const slots = Math.max(1, clients);
    this.intendedAt = new Float64Array(slots);
    this.sentAt = new Float64Array(slots);
    this.slotFreeAt = new Float64Array(slots);
    this.kindAt = new Array(slots);
    this.answerAt = new Array(slots);
    this.transportAt = new Array(slots);
    this.following = new Uint8Array(slots);
    this.free = Array.from({ length: slots }, (_, k) => slots - 1 - k);
    this.doneAt = Array.from({ length: slots }, (_, slot) => (error, response, sentAtMs, doneAtMs) => {
      const answer = this.answerAt[slot];
      if (error !== null || !answer) return this.settle(slot, error, 'ok', sentAtMs, doneAtMs);
      let outcome: Outcome | Request;
      try {
        outcome = answer(response ?? Buffer.alloc(0));
      } catch (e) {
        return this.settle(slot, new Error(`${BAD_ANSWER}: ${(e as Error).message}`), 'ok', sentAtMs, doneAtMs);
      }
      if (typeof outcome === 'string') this.settle(slot, null, outcome, sentAtMs, doneAtMs);
      else this.follow(slot, outcome, sentAtMs);
    });
  }

  /** A request's next call (kube-apiserver's get before a delete): sent at once on the same connection. */
  private follow(slot: number, next: Request, sentAtMs: number | undefined): void {
    if (this.following[slot] === 0) this.recordSent(slot, sentAtMs);
    this.following[slot] = 1;
    this.answerAt[slot] = next.answer;
    this.transportAt[slot]!.send(
      next.method,
      next.message,
      this.doneAt[slot]!,
      this.paced ? performance.now() : undefined,
    );
  }

  /** A paced request's send, once its first call is written: lateness is the first call's. */
  private recordSent(slot: number, sentAtMs: number | undefined): void {
    // Lateness is a sent request's: one the pacer never wrote (a deadline or a lost connection first) has no send time.
    if (!this.paced || sentAtMs === undefined || !(sentAtMs > 0)) return;
    const sentNs = (sentAtMs - this.t0) * 1e6;
    const intendedNs = Math.min(this.intendedAt[slot]!, sentNs);
    this.intendedAt[slot] = intendedNs;
    this.sentAt[slot] = sentNs;
    this.rec.sent(intendedNs, sentNs, this.slotFreeAt[slot]!);
  }

  now(): number {
    return (performance.now() - this.t0) * 1e6;
  }

  private settle(slot: number, error: unknown, outcome: Outcome, sentAtMs?: number, doneAtMs?: number): void {
    // An answer's time is when it was read (the pacer's stamp, or the socket's read); a send time that came back
    // replaces the hand-over's. The wait from the read to here is the client's, recorded apart.
    const rec = this.rec;
    const takenNs = this.now();
    const stamped = doneAtMs !== undefined && doneAtMs > 0;
    const doneNs = stamped ? (doneAtMs - this.t0) * 1e6 : takenNs;
    if (stamped) rec.collected(doneNs, takenNs);
    if (this.inFlight >= this.clients) this.freedAtNs = Math.min(this.freedAtNs, doneNs);
    if (this.following[slot] === 0) this.recordSent(slot, sentAtMs);
    this.following[slot] = 0;
    if (error === null)
      rec.ok(this.kindAt[slot]!, outcome === 'conflict', this.intendedAt[slot]!, this.sentAt[slot]!, doneNs);
    else {
      rec.failed(errorKind(error), this.intendedAt[slot]!, doneNs);
      this.stoppedBy ??= fatalReason(error) ?? undefined;
    }
    this.free.push(slot);
    this.inFlight--;
    this.wake?.();
  }

  /** Sends request `i`, due at `dueNs`, on its connection. */
  launch(i: number, dueNs: number, workload: LoadWorkload, transports: Transport[]): void {
    const slot = this.free.pop()!;
    this.inFlight++;
    const req = workload.next(i);
    this.kindAt[slot] = req.kind;
    this.answerAt[slot] = req.answer;
    const t = transports[i % transports.length]!;
    this.transportAt[slot] = t;
    if (this.paced) {
      // Handed over ahead of its time; sent at it, or now if that has passed (settle records both).
      this.intendedAt[slot] = dueNs;
      this.sentAt[slot] = Math.max(dueNs, this.now());
      this.slotFreeAt[slot] = this.slotFreeNs;
      t.send(req.method, req.message, this.doneAt[slot]!, this.t0 + dueNs / 1e6);
      return;
    }
    const sentNs = this.now();
    // Sent up to EARLY_NS before its time: it started when it was sent.
    const intendedNs = Math.min(dueNs, sentNs);
    this.intendedAt[slot] = intendedNs;
    this.sentAt[slot] = sentNs;
    this.rec.sent(intendedNs, sentNs, this.slotFreeNs);
    t.send(req.method, req.message, this.doneAt[slot]!);
  }

  /** Resolves at the next wakeup: an answer, the timer, a collection or a stop. */
  untilWoken(): Promise<void> {
    return new Promise<void>((r) => {
      this.wake = () => {
        this.wake = null;
        r();
      };
    });
  }
}

/** Runs the plan; resolves when every request sent has been answered or has failed. */
export async function runLoad(
  /** The load's connections (connectLoad), each dialed; requests go round them in turn. */
  transports: Transport[],
  workload: LoadWorkload,
  plan: LoadPlan,
  rec: LoadRecorder,
  signal?: AbortSignal,
): Promise<LoadRun> {
  const t0 = performance.now();
  if (plan.originEpochMs !== undefined) rec.alignTo((performance.timeOrigin + t0 - plan.originEpochMs) * 1e6);
  const periodNs = plan.rate > 0 ? 1e9 / plan.rate : 0;
  // Paced (open loop on transports that send from the pacer's thread): requests are handed over ahead of their time,
  // and each one's send and answer times come back with it.
  const onPump = periodNs > 0 && transports.every((t) => t.onPump) ? transports[0]?.onPump : undefined;
  const paced = onPump !== undefined;
  // How late this thread's event loop runs: on the event loop an answer waits that long before it is read. A paced
  // load's answers carry the pacer's stamps, so it would only add the monitor's 100 wakeups a second to the put loop.
  const loop = paced ? null : monitorEventLoopDelay({ resolution: 10 });
  loop?.enable();
  const pumpMs = loadPumpMs(plan.rate);
  const aheadNs = paced ? lookaheadNs(pumpMs) : EARLY_NS;
  const s = new ClientSlots(plan.clients, rec, t0, paced);
  // One timer at a time, for the next request's time; a reply that wakes the loop first leaves it armed.
  let timer: NodeJS.Timeout | null = null;
  const onTimer = () => {
    timer = null;
    s.wake?.();
  };
  const disarm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const onAbort = () => {
    s.stoppedBy ??= `interrupted (${String(signal?.reason ?? 'stopped')})`;
    s.wake?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  // Paced: each collection of answers is also when what falls due next is handed over.
  const stopPumpWatch = onPump?.(() => s.wake?.(), pumpMs);
  let i = 0;
  try {
    while (s.stoppedBy === undefined) {
      const t = s.now();
      const over = plan.durationNs > 0 && t >= plan.durationNs;
      const intended = periodNs > 0 ? intendedAt(plan, periodNs, i) : t;
      // Open loop: everything due before the end is still sent while a client is free; closed loop: the clock ends it.
      if (periodNs > 0 ? plan.durationNs > 0 && intended >= plan.durationNs : over) break;
      if (plan.total > 0 && i >= plan.total) break;
      if (s.inFlight >= plan.clients) {
        // Past the end and its grace with every client busy, what is still due is never sent (counted below).
        if (over && t >= plan.durationNs + (plan.graceNs ?? 0)) break;
        await s.untilWoken();
        // The client was free from its answer's read, not from when the loop got to it: a later wait is ours.
        s.slotFreeNs = Math.min(s.now(), s.freedAtNs);
        s.freedAtNs = Number.POSITIVE_INFINITY;
        continue;
      }
      if (intended - aheadNs > t) {
        // Paced: the next collection wakes the loop. Else a timer: they have 1-ms steps from the loop's cached clock,
        // and one that fires too soon finds nothing due and re-arms.
        if (!paced) timer ??= setTimeout(onTimer, Math.max(1, Math.ceil((intended - EARLY_NS - t) / 1e6)));
        await s.untilWoken();
        continue;
      }
      disarm();
      s.launch(i++, intended, workload, transports);
      // Let replies in between bursts of sends.
      if (i % 64 === 0) await new Promise((r) => setImmediate(r));
    }
    const stopNs = s.now();
    const due = periodNs > 0 ? dueBy(plan, periodNs, stopNs) : i;
    for (let k = i; k < due; k++) rec.failed(NOT_SENT, intendedAt(plan, periodNs, k), stopNs);
    while (s.inFlight > 0) await s.untilWoken();
    return {
      scheduled: Math.max(due, i),
      sent: i,
      notSent: Math.max(0, due - i),
      elapsedNs: s.now(),
      ...(s.stoppedBy ? { stoppedBy: s.stoppedBy } : {}),
    };
  } finally {
    loop?.disable();
    if (loop && loop.count > 0) rec.eventLoop(loop.percentile(99), loop.max);
    disarm();
    stopPumpWatch?.();
    signal?.removeEventListener('abort', onAbort);
  }
}

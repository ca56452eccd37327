// runLoad with a fake transport (no etcd, no network), asserting counts that
// follow from the schedule and not from this host's speed: an open loop sends
// exactly what was due; requests due while every client waits are counted as
// failed, never as gaps (coordinated omission); a sender slower than the
// schedule shows as the generator's own delay; errors are counted by kind, a
// transaction's conflict as a conflict, an unreadable answer as an error;
// the transports are used in turn; a closed loop stops at its total; a
// request goes at most EARLY_NS before its time, timed from its send.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { METHOD, type Method } from '../../src/etcd-grpc/messages/etcd.js';
import { EARLY_NS, loadPumpMs, lookaheadNs, NOT_SENT, runLoad } from '../../src/load/runner.js';
import { type CallDone, grpcError, type Transport } from '../../src/load/transport/transport.js';
import type { LoadWorkload, Request } from '../../src/load/workloads/workload.js';
import { LoadRecorder } from '../../src/stats/load-recorder.js';

/** A transport that answers as `answer` says: an error, a response, or nothing yet (held until release()). */
class FakeTransport implements Transport {
  readonly name = 'own' as const;
  readonly calls: { method: Method; message: Buffer }[] = [];
  private readonly held: CallDone[] = [];
  constructor(
    private readonly answer: (n: number) => Error | Buffer | 'hold' = () => Buffer.alloc(0),
    private readonly busyMs = 0,
  ) {}
  async ready(): Promise<void> {}
  close(): void {}
  send(method: Method, message: Buffer, done: CallDone): void {
    const n = this.calls.push({ method, message });
    if (this.busyMs > 0) {
      const until = performance.now() + this.busyMs;
      while (performance.now() < until);
    }
    const a = this.answer(n);
    if (a === 'hold') this.held.push(done);
    else setImmediate(() => (a instanceof Error ? done(a, null) : done(null, a)));
  }
  /** Answers the first `n` held calls (all by default). */
  release(n = Number.POSITIVE_INFINITY): void {
    for (const done of this.held.splice(0, n)) done(null, Buffer.alloc(0));
  }
}

/** Requests numbered in their message; every `conflictEvery`-th reads its answer as a conflict. */
function workload(conflictEvery = 0, badEvery = 0): LoadWorkload {
  return {
    name: 'fake',
    prefix: '/fake/',
    next(i: number): Request {
      const conflict = conflictEvery > 0 && i % conflictEvery === conflictEvery - 1;
      const bad = badEvery > 0 && i % badEvery === badEvery - 1;
      return {
        kind: i % 2 === 0 ? 'even' : 'odd',
        method: METHOD.txn,
        message: Buffer.from(String(i)),
        answer: () => {
          if (bad) throw new Error('truncated field');
          return conflict ? 'conflict' : 'ok';
        },
      };
    },
  };
}

test('an open loop sends exactly what was due, in order, over the transports in turn', async () => {
  const a = new FakeTransport();
  const b = new FakeTransport();
  const rec = new LoadRecorder();
  // A grace past the end: a busy host that falls behind still sends what was due (the subject is the count).
  const plan = { rate: 1000, clients: 50, durationNs: 200e6, total: 0, graceNs: 10e9 };
  const run = await runLoad([a, b], workload(), plan, rec);
  assert.equal(run.scheduled, 200);
  assert.equal(run.sent, 200);
  assert.equal(run.notSent, 0);
  assert.deepEqual([a.calls.length, b.calls.length], [100, 100]);
  assert.deepEqual(
    a.calls.slice(0, 3).map((c) => c.message.toString()),
    ['0', '2', '4'],
  );
  const stats = rec.finish(run.elapsedNs);
  assert.deepEqual(stats.byKind, { even: 100, odd: 100 });
  assert.deepEqual(stats.errors, {});
});

test('requests due while every client waits are failures, not gaps (coordinated omission)', async () => {
  const t = new FakeTransport(() => 'hold');
  // One answer 300 ms in, long past the 100 ms of sending: the freed client takes the next request due, and then,
  // every client busy again past the end, what is still due is never sent. The rest are answered at 400 ms.
  setTimeout(() => t.release(1), 300);
  setTimeout(() => t.release(), 400);
  const rec = new LoadRecorder();
  const run = await runLoad([t], workload(), { rate: 1000, clients: 5, durationNs: 100e6, total: 0 }, rec);
  assert.equal(run.sent, 6, 'as many as there were clients, and one more when one came free');
  assert.equal(run.scheduled, 100);
  assert.equal(run.notSent, 94);
  const stats = rec.finish(run.elapsedNs);
  assert.deepEqual(stats.errors, { [NOT_SENT]: 94 });
  assert.equal(stats.response.count, 6);
  // They waited for the release, 300-400 ms after they were due: their response times say so.
  assert.ok(stats.response.minNs >= 250e6, `response min ${stats.response.minNs}`);
  assert.ok(stats.lateness.maxNs >= 250e6, 'the sixth was sent late, and its lateness counts');
});

test("a sender slower than the schedule is the generator's own delay, with clients free", async () => {
  const t = new FakeTransport(() => Buffer.alloc(0), 3);
  const rec = new LoadRecorder();
  // 1 request a millisecond, each send taking 3 ms of this thread: the 40th is sent >= 80 ms after it was due.
  const run = await runLoad(
    [t],
    workload(),
    { rate: 1000, clients: 100, durationNs: 40e6, total: 0, graceNs: 1e9 },
    rec,
  );
  assert.equal(run.sent, 40);
  const stats = rec.finish(run.elapsedNs);
  assert.ok(stats.generatorDelay.maxNs! >= 75e6, `generator delay max ${stats.generatorDelay.maxNs}`);
  assert.ok(stats.lateness.maxNs! >= stats.generatorDelay.maxNs! - 1e6);
});

test('errors by kind, conflicts as such, a bad answer as an error; a closed loop stops at its total', async () => {
  const t = new FakeTransport((n) =>
    n % 10 === 0
      ? grpcError(14, 'connection to 127.0.0.1:1 closed')
      : n % 10 === 5
        ? grpcError(4, 'Deadline exceeded')
        : Buffer.alloc(0),
  );
  const rec = new LoadRecorder();
  const run = await runLoad([t], workload(7, 9), { rate: 0, clients: 4, durationNs: 0, total: 100 }, rec);
  assert.equal(run.sent, 100);
  const stats = rec.finish(run.elapsedNs);
  assert.equal(stats.errors.GRPCUnavailableError, 10);
  assert.equal(stats.errors.GRPCDeadlineExceededError, 10);
  const bad = Object.entries(stats.errors).filter(([k]) => k.startsWith('BadAnswer'));
  assert.equal(bad.length, 1, JSON.stringify(stats.errors));
  const answered = stats.response.count;
  assert.equal(answered + 20 + bad[0]![1], 100, 'every request is counted once');
  assert.ok(stats.conflicts > 0 && stats.conflicts <= 14, `conflicts ${stats.conflicts}`);
});

test('a follow-up call goes on the same connection, and the request counts once, with its last outcome', async () => {
  const a = new FakeTransport();
  const b = new FakeTransport();
  // Each request: a range, then (its answer asks) a txn whose answer is a conflict on every third request.
  const w: LoadWorkload = {
    name: 'two-step',
    prefix: '/fake/',
    next: (i: number): Request => ({
      kind: 'delete',
      method: METHOD.range,
      message: Buffer.from(`get ${i}`),
      answer: () => ({
        kind: 'delete',
        method: METHOD.txn,
        message: Buffer.from(`txn ${i}`),
        answer: () => (i % 3 === 2 ? 'conflict' : 'ok'),
      }),
    }),
  };
  const rec = new LoadRecorder();
  const run = await runLoad([a, b], w, { rate: 0, clients: 3, durationNs: 0, total: 30 }, rec);
  assert.equal(run.sent, 30);
  const stats = rec.finish(run.elapsedNs);
  assert.equal(stats.response.count, 30, 'one answer a request, not a call');
  assert.equal(stats.conflicts, 10);
  for (const t of [a, b]) {
    assert.equal(t.calls.length, 30, 'two calls each of the 15 requests on this connection');
    const gets = t.calls.filter((c) => c.method === METHOD.range).map((c) => c.message.toString().slice(4));
    const txns = t.calls.filter((c) => c.method === METHOD.txn).map((c) => c.message.toString().slice(4));
    assert.deepEqual(txns.sort(), gets.sort(), "each follow-up on its first call's connection");
  }
});

test('an open loop sends a request at most EARLY_NS before its time, timed from its send', async () => {
  const period = 5e6; // 200/s
  const sentAt: number[] = [];
  const t0 = performance.now();
  // Replies come at random moments (0-4 ms), so some wake the loop just before a request's time.
  const t = new FakeTransport(() => 'hold');
  const send = t.send.bind(t);
  t.send = (method, message, done) => {
    sentAt.push((performance.now() - t0) * 1e6);
    send(method, message, done);
    setTimeout(() => t.release(1), Math.floor(Math.random() * 4));
  };
  const rec = new LoadRecorder();
  const run = await runLoad([t], workload(), { rate: 1e9 / period, clients: 50, durationNs: 300e6, total: 0 }, rec);
  assert.equal(run.sent, 60);
  // The loop starts after t0 (so a send's time since t0 is if anything later): none went more than EARLY_NS early.
  for (const [k, at] of sentAt.entries())
    assert.ok(at >= k * period - EARLY_NS, `request ${k} sent at ${(at / 1e6).toFixed(3)} ms, due at ${k * 5} ms`);
  const stats = rec.finish(run.elapsedNs);
  assert.equal(stats.response.count, 60);
  assert.ok(stats.response.minNs >= stats.service.minNs, 'no response time shorter than its service time');
  assert.ok(stats.response.maxNs >= stats.service.maxNs);
});

/**
 * A paced transport as the runner sees it: requests handed over with their due time, answered at the next collection
 * (every `everyMs`) with stamps of their own: sent 0.1 ms after the due time (or after a hand-over over 1 ms late),
 * read 1.9 ms after that.
 */
class FakePacedTransport extends FakeTransport {
  readonly handed: { dueAtMs: number; handedAtMs: number }[] = [];
  private readonly waiting: [CallDone, number][] = [];
  readonly onPump = (listener: () => void, everyMs: number) => {
    const timer = setInterval(() => {
      for (const [done, from] of this.waiting.splice(0)) done(null, Buffer.alloc(0), from + 0.1, from + 2);
      listener();
    }, everyMs);
    return () => clearInterval(timer);
  };
  override send(method: Method, message: Buffer, done: CallDone, dueAtMs?: number): void {
    this.calls.push({ method, message });
    const handedAtMs = performance.now();
    this.handed.push({ dueAtMs: dueAtMs!, handedAtMs });
    // Handed over more than a millisecond late, it goes at the hand-over (the pacer writes a late request at once).
    this.waiting.push([done, handedAtMs > dueAtMs! + 1 ? handedAtMs : dueAtMs!]);
  }
}

test("paced: handed over ahead of their time, timed by the transport's stamps, not by when collected", async () => {
  const t = new FakePacedTransport();
  const rec = new LoadRecorder();
  const plan = { rate: 500, clients: 64, durationNs: 400e6, total: 0 };
  const run = await runLoad([t], workload(), plan, rec);
  assert.equal(run.sent, 200);
  assert.equal(run.notSent, 0);
  // Due times exactly one period apart, each handed over no more than the lookahead before it.
  const ahead = lookaheadNs(loadPumpMs(plan.rate)) / 1e6;
  for (let k = 1; k < t.handed.length; k++)
    assert.ok(Math.abs(t.handed[k]!.dueAtMs - t.handed[k - 1]!.dueAtMs - 2) < 1e-6, `due ${k}`);
  for (const h of t.handed) assert.ok(h.handedAtMs >= h.dueAtMs - ahead - 0.5, 'not handed over too early');
  const stats = rec.finish(run.elapsedNs);
  // Answers were collected up to 20 ms after they came, but their times are the stamps: 1.9 ms of service, 2 ms
  // from the due time, 0.1 ms late (HDR keeps 3 significant digits).
  assert.equal(stats.service.count, 200);
  assert.ok(Math.abs(stats.service.minNs - 1.9e6) < 2e3 && Math.abs(stats.service.maxNs - 1.9e6) < 2e3);
  assert.ok(Math.abs(stats.response.maxNs - 2e6) < 3e3, `response max ${stats.response.maxNs}`);
  assert.ok(Math.abs(stats.lateness.maxNs - 0.1e6) < 1e3, `lateness max ${stats.lateness.maxNs}`);
});

test("paced, every client busy: the wait for the next collection is the generator's, not etcd's", async () => {
  // One client, answers read 2 ms after they go but collected only every 20 ms: the client is free from the read.
  const t = new FakePacedTransport();
  const rec = new LoadRecorder();
  const run = await runLoad([t], workload(), { rate: 500, clients: 1, durationNs: 300e6, total: 0 }, rec);
  const stats = rec.finish(run.elapsedNs);
  assert.ok(run.sent >= 5, `${run.sent} sent`);
  assert.equal(stats.collectDelay.count, stats.service.count, 'every answer: the wait from its read to its collection');
  assert.ok(stats.collectDelay.p50Ns >= 10e6, `collected ${stats.collectDelay.p50Ns} ns after the read`);
  assert.ok(Math.abs(stats.service.p50Ns - 1.9e6) < 5e3, 'service time from the stamps, not the collection');
  // The next request could have gone at the read; it went at the collection: that wait is the generator's.
  assert.ok(stats.generatorDelay.p50Ns >= 10e6, `generator delay p50 ${stats.generatorDelay.p50Ns} ns`);
});

test('paced: about ten requests a collection, every 2 to 20 ms; the lookahead covers one late collection', () => {
  assert.equal(loadPumpMs(500), 20);
  assert.equal(loadPumpMs(1000), 10);
  assert.equal(loadPumpMs(8000), 2);
  assert.equal(loadPumpMs(1), 20);
  assert.equal(lookaheadNs(20), 42e6);
  assert.equal(lookaheadNs(2), 6e6);
});

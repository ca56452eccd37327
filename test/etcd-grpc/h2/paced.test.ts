// The session over a paced wire (the native pacer's thread carries the bytes),
// against Node's http2 server: each request leaves no earlier than its due
// time and the stamps come back in order (sent <= read <= handed to us);
// calls sent at once behind scheduled ones keep stream ids rising (no
// protocol error); a stream limit of 8 queues 64 calls with none failed; a
// lost connection fails exactly the calls in flight; closing the last wire
// ends the collections (nothing left to keep the process up).
import assert from 'node:assert/strict';
import type { ServerHttp2Session } from 'node:http2';
import { test } from 'node:test';
import { GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';
import { dialPaced, pacingUnavailable } from '../../../src/load/transport/paced-wire.js';
import { PATH, serve } from '../../helpers/h2-server.js';

const skip = pacingUnavailable() ?? false;
const target = (port: number) => ({
  host: '127.0.0.1',
  port,
  deadlineMs: 10_000,
  dialTimeoutMs: 2000,
  dial: dialPaced,
});

interface Answer {
  code: number;
  dueAtMs: number;
  sentAtMs: number;
  readAtMs: number;
  handedAtMs: number;
}

const call = (s: GrpcSession, dueAtMs = Number.NaN) =>
  new Promise<Answer>((resolve) =>
    s.call(
      PATH,
      Buffer.from([1, 2, 3]),
      (code, _d, _r, sentAtMs, readAtMs) =>
        resolve({ code, dueAtMs, sentAtMs, readAtMs, handedAtMs: performance.now() }),
      '',
      dueAtMs,
    ),
  );

/** Timers of the pacer's collections still armed (Node's own list of what keeps the loop alive). */
const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

test('each request leaves at or after its time, its stamps in order; calls at once keep stream ids rising', {
  skip,
}, async () => {
  const before = timers();
  const srv = await serve({}, () => false, 2);
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  assert.equal(s.paced, true);
  const t = performance.now() + 30;
  // 20 calls due 3 ms apart from 30 ms on, and one sent at once after every tenth: stream ids must keep rising.
  const answers: Promise<Answer>[] = [];
  for (let k = 0; k < 20; k++) {
    answers.push(call(s, t + 3 * k));
    if (k % 10 === 9) answers.push(call(s));
  }
  const got = await Promise.all(answers);
  assert.deepEqual(
    got.map((a) => a.code),
    got.map(() => 0),
  );
  for (const a of got.filter((x) => !Number.isNaN(x.dueAtMs))) {
    // The pacer writes what is due within 20 us at once: never earlier than that.
    assert.ok(a.sentAtMs >= a.dueAtMs - 0.05, `sent ${(a.dueAtMs - a.sentAtMs).toFixed(3)} ms before its time`);
    assert.ok(a.readAtMs >= a.sentAtMs, 'answer read after the request went');
    assert.ok(a.handedAtMs >= a.readAtMs, 'handed to us after it was read');
  }
  assert.equal(srv.streams, 22);
  s.close();
  srv.close();
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(timers(), before, 'the collections stopped with the last wire');
});

test('a server allowing 8 streams answers 64 paced calls on one connection, none failed, never more than 8 open', {
  skip,
}, async () => {
  const srv = await serve({ maxConcurrentStreams: 8 });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const t = performance.now() + 10;
  const got = await Promise.all(Array.from({ length: 64 }, (_, k) => call(s, t + k * 0.5)));
  assert.deepEqual(
    got.map((a) => a.code),
    got.map(() => 0),
  );
  assert.equal(srv.sessions.length, 1);
  assert.equal(srv.streams, 64);
  assert.ok(srv.maxOpen <= 8, `at most 8 open at once: ${srv.maxOpen}`);
  s.close();
  srv.close();
});

test('a lost paced connection fails exactly the calls in flight on it', { skip }, async () => {
  let first: ServerHttp2Session | null = null;
  const srv = await serve({}, (_stream, n, session) => {
    first ??= session;
    // The first 3 calls are answered; the rest hang until the connection is dropped.
    return n > 3;
  });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const answered = await Promise.all([call(s), call(s), call(s)]);
  assert.deepEqual(
    answered.map((a) => a.code),
    [0, 0, 0],
  );
  const hanging = Array.from({ length: 5 }, () => call(s));
  while (srv.streams < 8) await new Promise((r) => setTimeout(r, 10));
  (first as ServerHttp2Session | null)?.destroy();
  const failed = await Promise.all(hanging);
  // Unavailable (the connection closed), or the server's RST_STREAM on an unanswered stream as it went (internal).
  for (const a of failed) assert.ok(a.code === 14 || a.code === 13, `code ${a.code}`);
  assert.equal(failed.length, 5);
  assert.notEqual(s.closedBy, null, 'the session knows its connection is gone');
  s.close();
  srv.close();
});

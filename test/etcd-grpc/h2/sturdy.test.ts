// The HTTP/2 client where servers differ from the happy path, against Node's
// http2 server (nghttp2): a stream limit of 8 answered by queueing 64 calls
// on one connection, never more than 8 open; GOAWAY with calls in flight
// (those above its last stream go again on a new connection, those below are
// awaited); REFUSED_STREAM goes again; the window shrunk and the stream limit
// changed while calls are in flight; a response header block split into
// CONTINUATION frames; a connection lost with calls queued behind the limit:
// the calls in flight fail, the queued ones go again elsewhere; a reply kept
// across reads stays whole (plain sockets read into one reused buffer); and
// the server's PINGs answered, held back.
import assert from 'node:assert/strict';
import { constants, type ServerHttp2Session } from 'node:http2';
import { test } from 'node:test';
import { GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';
import { METHOD } from '../../../src/etcd-grpc/messages/etcd.js';
import { OwnTransport } from '../../../src/load/transport/own.js';
import { ANSWER, PATH, serve } from '../../helpers/h2-server.js';

const target = (port: number) => ({ host: '127.0.0.1', port, deadlineMs: 10_000, dialTimeoutMs: 2000 });
const call = (s: GrpcSession) =>
  new Promise<number>((resolve) => s.call(PATH, Buffer.from([1, 2, 3]), (code) => resolve(code)));
const conn = (port: number) => ({
  endpoints: [`http://127.0.0.1:${port}`],
  cacert: '',
  cert: '',
  key: '',
  auth: null,
  dialTimeoutMs: 2000,
  requestTimeoutMs: 10_000,
  insecureSkipTlsVerify: false,
});
const send = (t: OwnTransport) =>
  new Promise<Error | null>((resolve) => t.send(METHOD.put, Buffer.from([1]), (e) => resolve(e)));

test('a server allowing 8 streams a connection answers 64 calls on one, never more than 8 open', async () => {
  const srv = await serve({ maxConcurrentStreams: 8 });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const codes = await Promise.all(Array.from({ length: 64 }, () => call(s)));
  assert.deepEqual(
    codes,
    codes.map(() => 0),
  );
  assert.equal(srv.sessions.length, 1, 'one connection');
  assert.equal(srv.streams, 64);
  assert.ok(srv.maxOpen <= 8, `at most 8 open at once: ${srv.maxOpen}`);
  assert.equal(s.inFlight, 0);
  s.close();
  srv.close();
});

test('GOAWAY with calls in flight: those above its last stream go again on a new connection, none fail', async () => {
  let sent = false;
  const srv = await serve({}, (stream, _n, session) => {
    // On the 5th stream of the first connection: only streams up to 5 (ids 1..9) were processed.
    if (sent || stream.id !== 9) return false;
    sent = true;
    session.goaway(constants.NGHTTP2_NO_ERROR, 9);
    return false;
  });
  const t = new OwnTransport(conn(srv.port));
  await t.ready();
  const errors = await Promise.all(Array.from({ length: 20 }, () => send(t)));
  assert.deepEqual(
    errors.map((e) => e?.message ?? null),
    errors.map(() => null),
  );
  assert.ok(sent, 'the server sent GOAWAY');
  assert.ok(srv.sessions.length >= 2, `a new connection carried the rest: ${srv.sessions.length}`);
  t.close();
  srv.close();
});

test('REFUSED_STREAM goes again; another reset fails the call with its code', async () => {
  const refused = new Set<number>();
  const srv = await serve({}, (stream, n) => {
    if (n <= 3) {
      refused.add(n);
      stream.close(constants.NGHTTP2_REFUSED_STREAM);
      return true;
    }
    if (n === 10) {
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      return true;
    }
    return false;
  });
  const t = new OwnTransport(conn(srv.port));
  await t.ready();
  const first = await Promise.all([send(t), send(t), send(t)]);
  assert.deepEqual(
    first.map((e) => e?.message ?? null),
    [null, null, null],
  );
  assert.equal(refused.size, 3, 'each was refused once, then answered');
  for (let k = 0; k < 3; k++) assert.equal(await send(t), null);
  const reset = await send(t);
  assert.match(reset?.message ?? '', /^13 INTERNAL: stream reset by the server \(code 2\)/);
  t.close();
  srv.close();
});

test('settings changed with calls in flight: a smaller window and stream limit are honoured', async () => {
  const srv = await serve({}, () => false, 50);
  const t = new OwnTransport(conn(srv.port));
  await t.ready();
  const big = Buffer.alloc(200_000, 7);
  const calls = Array.from(
    { length: 12 },
    () => new Promise<Error | null>((resolve) => t.send(METHOD.put, big, (e) => resolve(e))),
  );
  // Streams the client opened before it learned the new limit are refused (REFUSED_STREAM) and go again.
  srv.sessions[0]!.settings({ initialWindowSize: 1000, maxConcurrentStreams: 2 });
  const more = Array.from({ length: 12 }, () => send(t));
  const errors = await Promise.all([...calls, ...more]);
  assert.deepEqual(
    errors.map((e) => e?.message ?? null),
    errors.map(() => null),
  );
  assert.equal(srv.sessions.length, 1, 'all on the one connection');
  t.close();
  srv.close();
});

test('a response header block split into HEADERS and CONTINUATION frames is read whole', async () => {
  const srv = await serve({}, (stream) => {
    // Larger than one 16 KiB frame: nghttp2 sends the rest in CONTINUATION frames.
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'x-big': 'x'.repeat(40_000) },
      { waitForTrailers: true },
    );
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '5', 'grpc-message': 'after the big one' }));
    stream.end(ANSWER);
    return true;
  });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const r = await new Promise<[number, string]>((resolve) => s.call(PATH, Buffer.from([1]), (c, d) => resolve([c, d])));
  assert.deepEqual(r, [5, 'after the big one']);
  assert.equal(await call(s), 5, 'the connection goes on');
  s.close();
  srv.close();
});

test('a lost connection fails exactly the calls in flight; the queued ones go again on a new one', async () => {
  let first: ServerHttp2Session | null = null;
  const srv = await serve({ maxConcurrentStreams: 4 }, (_stream, _n, session) => {
    first ??= session;
    // The first connection never answers: its 4 open calls hang until it is dropped.
    return session === first;
  });
  const t = new OwnTransport(conn(srv.port));
  await t.ready();
  const results = Array.from({ length: 10 }, () => send(t));
  await new Promise((r) => setTimeout(r, 200));
  (first as ServerHttp2Session | null)?.destroy();
  const errors = await Promise.all(results);
  const failed = errors.filter((e) => e !== null);
  assert.equal(failed.length, 4, errors.map((e) => e?.message ?? 'ok').join('; '));
  // As grpc-js reads it: the connection closed, or the server's RST_STREAM NO_ERROR on an unanswered stream first.
  for (const e of failed)
    assert.match(e!.message, /^(14 UNAVAILABLE: connection to 127\.0\.0\.1:\d+ closed|13 INTERNAL: stream reset)/);
  t.close();
  srv.close();
});

test("a reply's DATA kept past a read stays whole while other replies arrive in between (plain reads reuse memory)", {
  timeout: 10_000,
}, async () => {
  const srv = await serve({}, (stream, n) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    // Call 1's message now and its trailers 100 ms later; call 2 answers whole in between.
    const message = n === 1 ? Buffer.from([0, 0, 0, 0, 3, 7, 7, 7]) : Buffer.from([0, 0, 0, 0, 3, 9, 9, 9]);
    if (n === 1) {
      stream.write(message);
      setTimeout(() => stream.end(), 100);
    } else setTimeout(() => stream.end(message), 30);
    return true;
  });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const answer = () =>
    new Promise<string>((resolve) =>
      s.call(PATH, Buffer.from([1]), (c, _d, r) => resolve(`${c}:${r?.toString('hex')}`)),
    );
  const first = answer();
  await new Promise((r) => setTimeout(r, 20));
  const second = answer();
  assert.deepEqual(await Promise.all([first, second]), ['0:070707', '0:090909']);
  s.close();
  srv.close();
});

test("a server's PING is answered with its payload, held back about 200 ms; a second sends the first", async () => {
  const srv = await serve();
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  await call(s); // the server's session exists once a stream came in
  const session = srv.sessions[0]!;
  const ping = (payload: Buffer) =>
    new Promise<{ ms: number; payload: string; at: number }>((resolve, reject) =>
      session.ping(payload, (e, ms, p) =>
        e ? reject(e) : resolve({ ms, payload: p.toString(), at: performance.now() }),
      ),
    );
  const one = await ping(Buffer.from('edb-ping'));
  assert.equal(one.payload, 'edb-ping');
  assert.ok(one.ms >= 150, `answered after ${one.ms.toFixed(1)} ms: held back`);
  const a = ping(Buffer.from('first...'));
  const b = ping(Buffer.from('second..'));
  const [ra, rb] = await Promise.all([a, b]);
  assert.deepEqual([ra.payload, rb.payload], ['first...', 'second..']);
  assert.ok(ra.at <= rb.at, 'the first answer came first');
  assert.ok(rb.ms >= 150, `the second held back too (${rb.ms.toFixed(1)} ms)`);
  assert.equal(await call(s), 0, 'calls go on');
  s.close();
  srv.close();
});

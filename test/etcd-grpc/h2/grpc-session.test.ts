// The tool's HTTP/2 gRPC session against another HTTP/2 implementation
// (Node's http2 server, nghttp2): what arrives is the gRPC message that was
// sent (5-byte prefix and bytes, up to 300 KB, through flow control and
// frame splitting), the trailers' status and percent-encoded message come
// back, a trailers-only answer too, an unanswered call fails at its deadline,
// the calls in flight fail as UNAVAILABLE when the server goes away, and
// TLS with ALPN and a client certificate works (an unknown CA does not).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createSecureServer, createServer, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';
import { test } from 'node:test';
import { GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';
import { makePki } from '../../helpers/certs.js';
import { tempDir } from '../../helpers/tmp.js';

/** The message's first byte tells the server what to do. */
const ECHO = 1;
const FAIL_TRAILERS_ONLY = 2;
const HANG = 3;

function answer(stream: ServerHttp2Stream, body: Buffer): void {
  const length = body.length >= 5 ? body.readUInt32BE(1) : -1;
  const message = body.subarray(5);
  const kind = message[0];
  if (kind === HANG) return;
  if (kind === FAIL_TRAILERS_ONLY) {
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '9', 'grpc-message': 'no%20good: 100%25' },
      { endStream: true },
    );
    return;
  }
  // The whole message as sent: uncompressed, its length right, its bytes the pattern the test wrote.
  const intact = body[0] === 0 && length === message.length && message.every((b, k) => k === 0 || b === k % 251);
  stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
  stream.on('wantTrailers', () =>
    stream.sendTrailers(intact ? { 'grpc-status': '0' } : { 'grpc-status': '3', 'grpc-message': `bad ${length}` }),
  );
  stream.end(Buffer.from([0, 0, 0, 0, 2, 8, 1]));
}

/** Each stream's whole request, then its answer. */
function serveAnswers(server: { on(event: 'stream', listener: (stream: ServerHttp2Stream) => void): unknown }): void {
  server.on('stream', (stream) => {
    const parts: Buffer[] = [];
    stream.on('data', (c: Buffer) => parts.push(c));
    stream.on('end', () => answer(stream, Buffer.concat(parts)));
    stream.on('error', () => undefined);
  });
}

/** Runs `go` with a server; `kill` drops every connection it has, as a server that goes away. */
async function withServer(go: (port: number, kill: () => void) => Promise<void>): Promise<void> {
  const server = createServer();
  const sessions = new Set<ServerHttp2Session>();
  server.on('session', (s) => sessions.add(s));
  serveAnswers(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await go((server.address() as { port: number }).port, () => {
      for (const s of sessions) s.destroy();
    });
  } finally {
    server.close();
  }
}

const message = (kind: number, size: number) => {
  const m = Buffer.alloc(size);
  for (let k = 1; k < size; k++) m[k] = k % 251;
  m[0] = kind;
  return m;
};
const PATH = '/test.Echo/Call';
const call = (s: GrpcSession, m: Buffer) =>
  new Promise<{ code: number; details: string }>((resolve) =>
    s.call(PATH, m, (code, details) => resolve({ code, details })),
  );

const target = (port: number, deadlineMs = 5000) => ({ host: '127.0.0.1', port, deadlineMs, dialTimeoutMs: 2000 });

test('messages of every size arrive whole; OK and a failing status come back with their message', async () => {
  await withServer(async (port) => {
    const s = new GrpcSession(target(port));
    await s.settled;
    const sizes = [1, 100, 16_379, 16_380, 70_000, 300_000];
    const results = await Promise.all(sizes.map((n) => call(s, message(ECHO, n))));
    assert.deepEqual(
      results,
      sizes.map(() => ({ code: 0, details: '' })),
    );
    // The response message comes back as its bytes, without the 5-byte gRPC prefix.
    const response = await new Promise<Buffer | null>((r) => s.call(PATH, message(ECHO, 10), (_c, _d, m) => r(m)));
    assert.deepEqual(response, Buffer.from([8, 1]));
    // Many calls at once on one connection: each stream's answer goes to its own call.
    const many = await Promise.all(Array.from({ length: 500 }, (_, k) => call(s, message(ECHO, 1 + (k % 3000)))));
    assert.equal(many.filter((r) => r.code === 0).length, 500);
    assert.deepEqual(await call(s, message(FAIL_TRAILERS_ONLY, 10)), { code: 9, details: 'no good: 100%' });
    assert.equal(s.inFlight, 0);
    s.close();
  });
});

test('an unanswered call fails at its deadline; the others on the connection are not held up', async () => {
  await withServer(async (port) => {
    const s = new GrpcSession(target(port, 400));
    await s.settled;
    const t0 = performance.now();
    const hung = call(s, message(HANG, 10));
    assert.equal((await call(s, message(ECHO, 10))).code, 0);
    const r = await hung;
    const ms = performance.now() - t0;
    assert.deepEqual(r, { code: 4, details: 'Deadline exceeded' });
    // Never before its deadline; how soon after it is measured in test/etcd-grpc/h2/deadline.system.test.ts.
    assert.ok(ms >= 400, `failed after ${ms.toFixed(0)} ms`);
    s.close();
  });
});

test('the server going away fails the calls in flight as UNAVAILABLE and the session takes no more', async () => {
  await withServer(async (port, kill) => {
    const s = new GrpcSession(target(port));
    await s.settled;
    const hung = call(s, message(HANG, 10));
    await new Promise((r) => setTimeout(r, 100));
    kill();
    const r = await hung;
    assert.equal(r.code, 14, r.details);
    assert.notEqual(s.closedBy, null);
    assert.equal((await call(s, message(ECHO, 10))).code, 14);
  });
});

test('nothing listening: the session fails at once as UNAVAILABLE, naming the address', async () => {
  const s = new GrpcSession(target(1));
  await s.settled;
  const r = await call(s, message(ECHO, 10));
  assert.equal(r.code, 14);
  assert.match(r.details, /127\.0\.0\.1:1.*ECONNREFUSED/);
});

test('over TLS (ALPN h2, the CA and a client certificate): calls go through; an unknown CA is refused', async () => {
  const pki = makePki(tempDir('edb-h2-tls-'));
  const server = createSecureServer({
    key: readFileSync(pki.serverKey),
    cert: readFileSync(pki.serverCert),
    ca: readFileSync(pki.ca),
    requestCert: true,
    rejectUnauthorized: true,
  });
  serveAnswers(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const files = { ca: readFileSync(pki.ca), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) };
  const s = new GrpcSession({ ...target(port), tls: files });
  await s.settled;
  assert.equal(s.closedBy, null);
  assert.deepEqual(await call(s, message(ECHO, 20_000)), { code: 0, details: '' });
  s.close();
  const stranger = new GrpcSession({ ...target(port), tls: { ...files, ca: readFileSync(pki.strangerCert) } });
  await stranger.settled;
  const r = await call(stranger, message(ECHO, 10));
  assert.equal(r.code, 14);
  assert.match(r.details, /127\.0\.0\.1:\d+ failed: .*certificate/i);
  server.close();
});

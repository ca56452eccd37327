// The HTTP/2 client's parser fed what a broken or hostile server might send:
// random bytes, and well-formed server frames (SETTINGS, HEADERS with
// CONTINUATION, DATA, RST_STREAM, PING, GOAWAY, WINDOW_UPDATE) with bytes
// flipped, cut short and split at random points. Nothing may throw out of the
// parser, nothing may hang, and every call ends exactly once. The generator is
// seeded: a failure names the seed that reproduces it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { after, test } from 'node:test';
import * as f from '../../../src/etcd-grpc/h2/frames.js';
import { GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';
import { encodeHeaderBlock } from '../../../src/etcd-grpc/h2/hpack.js';

/** mulberry32: a small seeded generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A server that accepts and says nothing: the test speaks for it through onData.
const sockets: Socket[] = [];
const server: Server = createServer((s) => sockets.push(s));
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const port = (server.address() as { port: number }).port;
after(() => {
  for (const s of sockets) s.destroy();
  server.close();
});

/** A plausible answer to the calls on streams 1, 3, 5 ...: frames a gRPC server sends. */
function serverFrames(random: () => number, calls: number): Buffer[] {
  const out: Buffer[] = [f.settingsFrame([[f.SETTINGS_MAX_CONCURRENT_STREAMS, 100]]), f.frame(f.SETTINGS, f.ACK, 0)];
  for (let k = 0; k < calls; k++) {
    const id = 2 * k + 1;
    const head = encodeHeaderBlock([
      [':status', '200'],
      ['content-type', 'application/grpc'],
    ]);
    if (random() < 0.3) {
      const cut = Math.floor(random() * head.length);
      out.push(
        f.frame(f.HEADERS, 0, id, head.subarray(0, cut)),
        f.frame(f.CONTINUATION, f.END_HEADERS, id, head.subarray(cut)),
      );
    } else out.push(f.frame(f.HEADERS, f.END_HEADERS, id, head));
    out.push(f.frame(f.DATA, 0, id, Buffer.from([0, 0, 0, 0, 2, 8, 1])));
    const r = random();
    if (r < 0.1) out.push(f.wordsFrame(f.RST_STREAM, id, Math.floor(random() * 14)));
    else if (r < 0.15) out.push(f.wordsFrame(f.GOAWAY, 0, id, 0));
    else if (r < 0.2) out.push(f.frame(f.PING, 0, 0, Buffer.alloc(8, 1)));
    else if (r < 0.25) out.push(f.wordsFrame(f.WINDOW_UPDATE, id, 1000));
    out.push(
      f.frame(
        f.HEADERS,
        f.END_HEADERS | f.END_STREAM,
        id,
        encodeHeaderBlock([
          ['grpc-status', String(Math.floor(random() * 17))],
          ['grpc-message', 'x%20y'],
        ]),
      ),
    );
  }
  return out;
}

/** Flips, drops or inserts bytes, and cuts the whole into chunks of random sizes. */
function mutate(random: () => number, bytes: Buffer): Buffer[] {
  const b = Buffer.from(bytes);
  const flips = Math.floor(random() * 6);
  for (let k = 0; k < flips; k++) b[Math.floor(random() * b.length)] = Math.floor(random() * 256);
  const whole = random() < 0.2 ? b.subarray(0, Math.floor(random() * b.length)) : b;
  const chunks: Buffer[] = [];
  for (let at = 0; at < whole.length; ) {
    const n = 1 + Math.floor(random() * 64);
    chunks.push(whole.subarray(at, at + n));
    at += n;
  }
  return chunks;
}

async function oneCase(seed: number): Promise<void> {
  const random = rng(seed);
  const s = new GrpcSession({ host: '127.0.0.1', port, deadlineMs: 60_000, dialTimeoutMs: 2000 });
  const ended: number[] = [];
  const calls = 1 + Math.floor(random() * 8);
  for (let k = 0; k < calls; k++) s.call('/fuzz/Call', Buffer.from([k]), () => ended.push(k));
  const input =
    random() < 0.3
      ? [Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)))]
      : mutate(random, Buffer.concat(serverFrames(random, calls)));
  for (const chunk of input) assert.doesNotThrow(() => s.onData(chunk), `seed ${seed}`);
  s.close();
  ended.sort((a, b) => a - b);
  assert.deepEqual(
    ended,
    Array.from({ length: calls }, (_, k) => k),
    `seed ${seed}: every call ends exactly once`,
  );
}

test('random and mutated server frames: nothing throws out of the parser, every call ends exactly once', async () => {
  for (let seed = 1; seed <= 400; seed++) await oneCase(seed);
});

// The lab's delaying proxy measured with a client through it: the delay one
// way and the round trip never shorter than D and 2D (how much longer a busy
// host makes them is bench:network's to measure, not a unit test's), byte order kept under
// jitter, ends passed on after the data before them, its own measure of what
// it added, a stall holding a link for its length, and who dialed a
// connection read from the kernel's tables.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { after, test } from 'node:test';
import { DelayProxy, type StallPlan, StallClock } from '../../src/lab/delay-proxy.js';
import { dialerOf } from '../../src/lab/socket-owner.js';

const servers: Server[] = [];
const proxies: DelayProxy[] = [];
after(async () => {
  for (const p of proxies) await p.close();
  for (const s of servers) s.close();
});

async function listen(onSocket: (s: Socket) => void): Promise<number> {
  const server = createServer({ allowHalfOpen: true }, onSocket);
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as { port: number }).port;
}

async function proxy(
  target: number,
  delayNs: number,
  jitterNs = 0,
  stall: StallPlan | null = null,
  clock = new StallClock(),
): Promise<{ p: DelayProxy; port: number }> {
  const p = new DelayProxy(target, () => ({ delayNs, jitterNs, stall }), clock);
  proxies.push(p);
  return { p, port: await p.listen() };
}

async function connect(port: number): Promise<Socket> {
  const c = new Socket({ allowHalfOpen: true });
  c.connect(port, '127.0.0.1');
  await once(c, 'connect');
  return c;
}

test('20 ms one way: a message arrives no sooner than 20 ms later, its echo no sooner than 40 ms', async () => {
  const D = 20e6;
  const arrivals: number[] = [];
  const target = await listen((s) =>
    s.on('data', (d) => {
      arrivals.push(performance.now());
      s.write(d);
    }),
  );
  const { p, port } = await proxy(target, D);
  const c = await connect(port);
  const oneWay: number[] = [];
  const round: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    c.write(`ping ${i}\n`);
    await once(c, 'data');
    round.push((performance.now() - t0) * 1e6);
    oneWay.push((arrivals[i]! - t0) * 1e6);
  }
  c.end();
  assert.ok(Math.min(...oneWay) >= 0.99 * D, `one way at least ${Math.min(...oneWay)} ns for ${D}`);
  assert.ok(Math.min(...round) >= 0.99 * 2 * D, `round trip at least ${Math.min(...round)} ns for ${2 * D}`);
  assert.equal(p.stats.connections, 1);
  assert.equal(p.stats.delayedConnections, 1);
  assert.ok(p.added.count >= 40, `each direction measured: ${p.added.count} chunks`);
  // The histogram keeps 3 significant digits: 0.1 % either way.
  assert.ok(p.added.minNs >= 0.999 * D, `added ${p.added.minNs}..${p.added.maxNs}`);
  assert.equal(p.stats.stalledChunks, 0);
});

test('a stall of 300 ms every 1 s: what is sent into it arrives one delay after it ends, and not before', async () => {
  const D = 10e6;
  const arrivals: { at: number; ids: number[] }[] = [];
  const target = await listen((s) =>
    s.on('data', (d: Buffer) =>
      arrivals.push({
        at: performance.now(),
        ids: d.toString().split(';').filter(Boolean).map(Number),
      }),
    ),
  );
  const clock = new StallClock();
  const { p, port } = await proxy(target, D, 0, { everyNs: 1e9, forNs: 300e6 }, clock);
  const c = await connect(port);
  clock.originMs = performance.now();
  const sent: number[] = [];
  // One message every 20 ms for 1.5 s on the clock (a busy host fires fewer timers, never more time): the stall
  // runs from 1.0 s to 1.3 s, and the next would start at 2.0 s.
  for (let i = 0; performance.now() - clock.originMs < 1500; i++) {
    sent.push(performance.now());
    c.write(`${i};`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 100));
  c.end();
  const start = clock.originMs + 1000;
  const end = start + 300;
  assert.equal(arrivals.length > 0, true);
  // The mechanism, not the clock: a message due out before the stall may still leave during it when a busy host
  // fires the timer late, but one sent into the stall (or in flight when it began) never arrives before it ends
  // plus one delay.
  const caught = new Set(sent.flatMap((t, i) => (t < end && t + D / 1e6 > start ? [i] : [])));
  assert.ok(caught.size >= 3, `${caught.size} messages sent into the stall`);
  for (const a of arrivals)
    for (const id of a.ids.filter((x) => caught.has(x)))
      assert.ok(a.at - end >= D / 1e6 - 1, `message ${id} arrived ${(a.at - end).toFixed(1)} ms after the stall`);
  // Messages written close together may travel as one chunk: every chunk that carried one was held.
  const chunks = arrivals.filter((a) => a.ids.some((x) => caught.has(x))).length;
  assert.ok(
    p.stats.stalledChunks >= 1,
    `${p.stats.stalledChunks} stalled of ${caught.size} sent in ${chunks} arrivals`,
  );
  assert.deepEqual(p.stats.stalls, [1]);
  // The first message sent inside the stall waits out the rest of it (a busy host reads it up to 50 ms late).
  const firstInside = Math.min(...sent.filter((t) => t >= start && t < end));
  const held = (end - firstInside - 50) * 1e6;
  assert.ok(p.added.maxNs >= held, `the largest added delay ${p.added.maxNs} ns covers the stall from ${held} ns`);
});

test('the stall clock: which stall a send meets, none before it is started or after one ends', () => {
  const c = new StallClock();
  const plan = { everyNs: 10e9, forNs: 2e9 };
  assert.equal(c.meets(plan, 9_990, 10_010), null, 'not started');
  c.originMs = 0;
  assert.equal(c.meets(plan, 5_000, 5_100), null, 'between stalls');
  assert.deepEqual(c.meets(plan, 9_950, 10_050), { endMs: 12_000, n: 1 }, 'in flight when it starts');
  assert.deepEqual(c.meets(plan, 11_000, 11_100), { endMs: 12_000, n: 1 }, 'sent during it');
  assert.equal(c.meets(plan, 12_000, 12_100), null, 'sent after it ended');
  assert.deepEqual(c.meets(plan, 29_999, 30_001), { endMs: 32_000, n: 3 }, 'the third');
  c.untilMs = 25_000;
  assert.equal(c.meets(plan, 29_999, 30_001), null, 'none starts after the load ended');
  assert.deepEqual(c.meets(plan, 19_999, 20_001), { endMs: 22_000, n: 2 }, 'those before it still hold');
});

test('with jitter the bytes still arrive whole and in order; an end follows the data before it', async () => {
  let received = '';
  let ended = false;
  const target = await listen((s) => {
    s.on('data', (d) => (received += d));
    s.on('end', () => {
      ended = true;
      s.end('bye');
    });
  });
  const { port } = await proxy(target, 10e6, 10e6);
  const c = await connect(port);
  const sent = Array.from({ length: 500 }, (_, i) => `${i};`);
  for (const m of sent) {
    c.write(m);
    await new Promise((r) => setImmediate(r));
  }
  c.end();
  let reply = '';
  c.on('data', (d) => (reply += d));
  await once(c, 'end');
  assert.equal(received, sent.join(''), 'every byte, in order');
  assert.ok(ended, 'the end came after the data');
  assert.equal(reply, 'bye', 'the other way too');
});

test('the proxy tells who dialed: the process holding the client socket', async () => {
  const target = await listen(() => undefined);
  let seen: number | null | undefined;
  const p = new DelayProxy(target, (remote, local) => {
    seen = dialerOf(remote, local, [1, process.pid]);
    return { delayNs: 0, jitterNs: 0, stall: null };
  });
  proxies.push(p);
  const c = await connect(await p.listen());
  await new Promise((r) => setTimeout(r, 50));
  c.destroy();
  assert.equal(seen, 1, 'this process (index 1), not pid 1');
});

// The lab's delaying proxy measured with a client through it: the delay one
// way and the round trip (within 10 % of D and 2D), byte order kept under
// jitter, ends passed on after the data before them, its own measure of what
// it added, and who dialed a connection read from the kernel's tables.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { after, test } from 'node:test';
import { DelayProxy } from '../../src/lab/delay-proxy.js';
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

async function proxy(target: number, delayNs: number, jitterNs = 0): Promise<{ p: DelayProxy; port: number }> {
  const p = new DelayProxy(target, () => ({ delayNs, jitterNs }));
  proxies.push(p);
  return { p, port: await p.listen() };
}

async function connect(port: number): Promise<Socket> {
  const c = new Socket({ allowHalfOpen: true });
  c.connect(port, '127.0.0.1');
  await once(c, 'connect');
  return c;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

test('20 ms one way: a message arrives 20 ms later and its echo 40 ms after sending (within 10 %)', async () => {
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
  assert.ok(Math.abs(median(oneWay) - D) <= 0.1 * D, `one way ${median(oneWay)} ns for ${D}`);
  assert.ok(Math.abs(median(round) - 2 * D) <= 0.2 * D, `round trip ${median(round)} ns for ${2 * D}`);
  assert.equal(p.stats.connections, 1);
  assert.equal(p.stats.delayedConnections, 1);
  assert.ok(p.stats.addedNs.length >= 40, 'each direction measured');
  assert.ok(
    p.stats.addedNs.every((x) => x >= D && x < D + 5e6),
    `added ${Math.min(...p.stats.addedNs)}..${Math.max(...p.stats.addedNs)}`,
  );
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
    return { delayNs: 0, jitterNs: 0 };
  });
  proxies.push(p);
  const c = await connect(await p.listen());
  await new Promise((r) => setTimeout(r, 50));
  c.destroy();
  assert.equal(seen, 1, 'this process (index 1), not pid 1');
});

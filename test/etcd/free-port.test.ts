// Reserved ports stay bound until released: nothing else can listen on them meanwhile, their owner can after.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { reservePorts } from '../../src/etcd/free-port.js';

const listen = (port: number) =>
  new Promise<string>((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve('bound')));
  });

test('reserved ports are distinct and held until released, then free to bind', async () => {
  const r = await reservePorts(4);
  assert.equal(new Set(r.ports).size, 4);
  for (const p of r.ports) assert.equal(await listen(p), 'EADDRINUSE', `port ${p} while reserved`);
  await r.release();
  for (const p of r.ports) assert.equal(await listen(p), 'bound', `port ${p} after release`);
});

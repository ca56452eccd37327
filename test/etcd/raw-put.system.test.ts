// Both put paths against a real etcd (etcd3's channel, raw-put.ts, and the
// tool's own HTTP/2 connections, h2-put.ts): the bytes encodePut makes are the
// PutRequest etcd stores (key and value read back with etcd3's own get, values
// up to past HTTP/2's default window so flow control is used), check perf's
// encoded keys have its shape, and a failure comes back as the error class
// etcd3 would have thrown (errors by kind read the same either way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openClient } from '../../src/etcd/connection.js';
import type { Etcd3 } from 'etcd3';
import { H2Put, type PutSender } from '../../src/etcd/h2-put.js';
import { encodePut, RawPut } from '../../src/etcd/raw-put.js';
import { checkPerfWorkload, putWorkload } from '../../src/etcd/workloads/put.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';

const skip = needs('etcd');

const conn = (endpoints: string[], requestTimeoutMs = 5000) =>
  openClient({
    endpoints,
    cacert: '',
    cert: '',
    key: '',
    auth: null,
    dialTimeoutMs: 3000,
    requestTimeoutMs,
    insecureSkipTlsVerify: false,
  });

const PATHS: [string, (c: Etcd3) => PutSender][] = [
  ['grpc-js', (c) => new RawPut(c)],
  ['own HTTP/2', (c) => new H2Put(c)],
];

const put = (raw: PutSender, request: Buffer) =>
  new Promise<Error | null>((resolve) => raw.send(request, (e) => resolve(e)));

for (const [path, make] of PATHS) {
  test(`${path}: encoded puts land as etcd3 reads them: key, value, and check perf and put workloads' shapes`, {
    skip,
  }, async () => {
    const { cluster, client } = await testEtcd();
    const c = conn(cluster.endpoints);
    try {
      const raw = make(c);
      await raw.ready();
      // A value long enough for a two-byte length, one over 16 KiB for three (and more than one HTTP/2 frame),
      // and one over 64 KiB (more than HTTP/2's default window: sent as the server opens it).
      for (const size of [0, 1, 127, 128, 1024, 20_000, 200_000]) {
        const value = Buffer.alloc(size, size % 251);
        assert.equal(await put(raw, encodePut(`/edb-raw/v${size}`, value)), null);
        const back = await client.get(`/edb-raw/v${size}`).buffer();
        assert.ok(back?.equals(value), `value of ${size} bytes read back`);
      }
      const perf = checkPerfWorkload('/edb-raw/perf/');
      for (let i = 0; i < 50; i++) assert.equal(await put(raw, perf.encodePut!(i)), null);
      const keys = await client.getAll().prefix('/edb-raw/perf/').buffers();
      assert.equal(Object.keys(keys).length, 50, 'fifty fresh keys');
      for (const [k, v] of Object.entries(keys)) {
        assert.match(k, /^\/edb-raw\/perf\/[0-9a-f]{256}$/);
        assert.equal(v.length, 1024);
      }
      const seq = putWorkload({ prefix: '/edb-raw/seq/', keySize: 8, valueSize: 300, keySpace: 10, sequential: true });
      for (let i = 0; i < 12; i++) assert.equal(await put(raw, seq.encodePut!(i)), null);
      const seqKeys = Object.keys(await client.getAll().prefix('/edb-raw/seq/').buffers()).sort();
      assert.deepEqual(
        seqKeys,
        Array.from({ length: 10 }, (_, n) => `/edb-raw/seq/0000000${n}`),
      );
      // etcd refuses a request over --max-request-bytes (1.5 MiB): the same class as etcd3's builder gives.
      const big = Buffer.alloc(2 << 20, 1);
      const refused = await put(raw, encodePut('/edb-raw/big', big));
      const viaEtcd3 = await client
        .put('/edb-raw/big')
        .value(big)
        .exec()
        .then(
          () => null,
          (x: Error) => x,
        );
      assert.ok(refused instanceof Error && viaEtcd3 instanceof Error);
      assert.equal(refused.constructor.name, viaEtcd3.constructor.name, `${refused.message} / ${viaEtcd3.message}`);
      assert.equal(await put(raw, encodePut('/edb-raw/after', Buffer.from('ok'))), null, 'the connection still works');
      raw.close();
    } finally {
      c.close();
    }
  });

  test(`${path}: a put to a port where nothing listens fails as etcd3 fails it: a GRPC error class, not a crash`, {
    skip,
  }, async () => {
    const c = conn(['http://127.0.0.1:1'], 1500);
    try {
      const raw = make(c);
      // The own path dials before the load and says what it could not reach; etcd3's channel dials on the first call.
      const notReady = await raw.ready().then(
        () => null,
        (x: Error) => x,
      );
      if (raw instanceof H2Put)
        assert.match(`${notReady?.constructor.name} ${notReady?.message}`, /^GRPCUnavailableError .*127\.0\.0\.1:1/);
      const e = await put(raw, encodePut('/edb-raw/x', Buffer.from('x')));
      raw.close();
      assert.ok(e instanceof Error);
      assert.match(
        e.constructor.name,
        /^GRPC(Unavailable|DeadlineExceeded)Error$/,
        `${e.constructor.name}: ${e.message}`,
      );
      let viaEtcd3: Error | null = null;
      await c
        .put('/edb-raw/x')
        .value('x')
        .exec()
        .catch((x: Error) => {
          viaEtcd3 = x;
        });
      assert.equal((viaEtcd3 as Error | null)?.constructor.name, e.constructor.name, 'the same class as the builder');
    } finally {
      c.close();
    }
  });
}

// The raw put path against a real etcd: the bytes encodePut makes are the
// PutRequest etcd stores (key and value read back with etcd3's own get), check
// perf's encoded keys have its shape, and a failure comes back as the error
// class etcd3 would have thrown (errors by kind read the same either way).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openClient } from '../../src/etcd/connection.js';
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

const put = (raw: RawPut, request: Buffer) =>
  new Promise<Error | null>((resolve) => raw.send(request, (e) => resolve(e)));

test("encoded puts land as etcd3 reads them: key, value, and check perf and put workloads' shapes", {
  skip,
}, async () => {
  const { cluster, client } = await testEtcd();
  const c = conn(cluster.endpoints);
  try {
    const raw = new RawPut(c);
    await raw.ready();
    // A value long enough for a two-byte length, and one over 16 KiB for three.
    for (const size of [0, 1, 127, 128, 1024, 20_000]) {
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
  } finally {
    c.close();
  }
});

test('a put to a port where nothing listens fails as etcd3 fails it: a GRPC error class, not a crash', {
  skip,
}, async () => {
  const c = conn(['http://127.0.0.1:1'], 1500);
  try {
    const raw = new RawPut(c);
    await raw.ready();
    const e = await put(raw, encodePut('/edb-raw/x', Buffer.from('x')));
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

// Both transports against a real etcd (grpc-js through etcd3's channels, and
// the tool's own HTTP/2 connections): the bytes encodePut makes are the
// PutRequest etcd stores (key and value read back with etcd3's own get, values
// up to past HTTP/2's default window so flow control is used), check perf's
// keys have its shape, the kube workload's transactions, events and lease
// behave as etcd3's builders would, and a failure comes back as the error
// class etcd3 would have thrown (errors by kind read the same either way).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { openClient } from '../../../src/etcd/connection.js';
import type { Etcd3 } from 'etcd3';
import { encodePut, METHOD } from '../../../src/etcd-grpc/messages/etcd.js';
import { GrpcJsTransport } from '../../../src/load/transport/grpc-js.js';
import { OwnTransport } from '../../../src/load/transport/own.js';
import { pacingUnavailable } from '../../../src/load/transport/paced-wire.js';
import { type Transport, unary } from '../../../src/load/transport/transport.js';
import { kubeWorkload } from '../../../src/load/workloads/kube.js';
import { checkPerfWorkload, putWorkload } from '../../../src/load/workloads/put.js';
import { callThrough, type LoadWorkload, type Outcome } from '../../../src/load/workloads/workload.js';
import { testEtcd } from '../../helpers/etcd.js';
import { needs } from '../../helpers/needs.js';

const skip = needs('etcd');

const options = (endpoints: string[], requestTimeoutMs = 5000) => ({
  endpoints,
  cacert: '',
  cert: '',
  key: '',
  auth: null,
  dialTimeoutMs: 3000,
  requestTimeoutMs,
  insecureSkipTlsVerify: false,
});
const conn = (endpoints: string[], requestTimeoutMs = 5000) => openClient(options(endpoints, requestTimeoutMs));

const PATHS: [string, (c: Etcd3, endpoints: string[], timeoutMs?: number) => Transport][] = [
  ['grpc-js', (c) => new GrpcJsTransport(c, '/edb-raw/connect')],
  ['own HTTP/2', (_c, endpoints, timeoutMs) => new OwnTransport(options(endpoints, timeoutMs))],
];

const put = (raw: Transport, request: Buffer) =>
  new Promise<Error | null>((resolve) => raw.send(METHOD.put, request, (e) => resolve(e)));

/** Sends the workload's i-th request and reads its answer as the runner does. */
const sendNext = async (t: Transport, w: LoadWorkload, i: number): Promise<{ kind: string; outcome: Outcome }> => {
  const req = w.next(i);
  return { kind: req.kind, outcome: await callThrough((m, message) => unary(t, m, message), req) };
};

for (const [path, make] of PATHS) {
  test(`${path}: encoded puts land as etcd3 reads them: key, value, and check perf and put workloads' shapes`, {
    skip,
  }, async () => {
    const { cluster, client } = await testEtcd();
    const c = conn(cluster.endpoints);
    try {
      const raw = make(c, cluster.endpoints);
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
      for (let i = 0; i < 50; i++) assert.equal(await put(raw, perf.next(i).message), null);
      const keys = await client.getAll().prefix('/edb-raw/perf/').buffers();
      assert.equal(Object.keys(keys).length, 50, 'fifty fresh keys');
      for (const [k, v] of Object.entries(keys)) {
        assert.match(k, /^\/edb-raw\/perf\/[0-9a-f]{256}$/);
        assert.equal(v.length, 1024);
      }
      const seq = putWorkload({ prefix: '/edb-raw/seq/', keySize: 8, valueSize: 300, keySpace: 10, sequential: true });
      for (let i = 0; i < 12; i++) assert.equal(await put(raw, seq.next(i).message), null);
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
      if (raw instanceof OwnTransport) raw.close();
    } finally {
      c.close();
    }
  });

  test(`${path}: a put to a port where nothing listens fails as etcd3 fails it: a GRPC error class, not a crash`, {
    skip,
  }, async () => {
    const c = conn(['http://127.0.0.1:1'], 1500);
    try {
      const raw = make(c, ['http://127.0.0.1:1'], 1500);
      // The own path dials before the load and says what it could not reach; etcd3's channel dials on the first call.
      const notReady = await raw.ready().then(
        () => null,
        (x: Error) => x,
      );
      if (raw instanceof OwnTransport)
        assert.match(`${notReady?.constructor.name} ${notReady?.message}`, /^GRPCUnavailableError .*127\.0\.0\.1:1/);
      const e = await put(raw, encodePut('/edb-raw/x', Buffer.from('x')));
      if (raw instanceof OwnTransport) raw.close();
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

for (const [path, make] of PATHS) {
  test(`${path}: the kube workload's transactions, events and lease behave as etcd3's builders would`, {
    skip,
  }, async () => {
    const { cluster, client } = await testEtcd();
    const c = conn(cluster.endpoints);
    const t = make(c, cluster.endpoints);
    try {
      await t.ready();
      const prefix = '/edb-kube/';
      // Only creates first, then only updates, then deletes, on 3 objects: the outcomes follow from etcd's state.
      const w = (mix: Record<string, number>) =>
        kubeWorkload({
          prefix,
          mix: { create: 0, update: 0, delete: 0, event: 0, list: 0, ...mix },
          objects: 3,
          nodes: 0,
          valueSize: { min: 10, max: 20 },
          eventTtlSeconds: 60,
          rate: 0,
        });
      const creates = w({ create: 1 });
      const created: Outcome[] = [];
      for (let i = 0; i < 30; i++) created.push((await sendNext(t, creates, i)).outcome);
      const keys = await client.getAll().prefix(`${prefix}registry/pods/`).keys();
      assert.equal(keys.length, 3, 'three objects, each created once');
      assert.equal(created.filter((o) => o === 'ok').length, 3, 'the other creates found the object and conflicted');
      // A fresh workload knows no revisions: its first update of each object conflicts and learns the revision from
      // the else-branch's range, so the next one succeeds.
      const updates = w({ update: 1 });
      const updated: Outcome[] = [];
      for (let i = 0; i < 40; i++) updated.push((await sendNext(t, updates, i)).outcome);
      assert.ok(updated.filter((o) => o === 'conflict').length <= 3, `conflicts: ${updated.join(',')}`);
      assert.ok(updated.filter((o) => o === 'ok').length >= 37);
      const rev = await client.get(keys[0]!).exec();
      assert.ok(Number(rev.kvs[0]!.version) >= 2, 'updated in etcd');
      // Events carry the workload's lease; finish() revokes it and the events go with it.
      const events = w({ event: 1 });
      await events.prepare!((m, b) => unary(t, m, b));
      for (let i = 0; i < 5; i++) assert.equal((await sendNext(t, events, i)).kind, 'event');
      const evs = await client.getAll().prefix(`${prefix}registry/events/`).exec();
      assert.equal(evs.kvs.length, 5);
      const lease = evs.kvs[0]!.lease;
      assert.notEqual(lease, '0', 'events are put with a lease');
      await events.finish!((m, b) => unary(t, m, b));
      assert.equal(
        await client.getAll().prefix(`${prefix}registry/events/`).count(),
        0,
        'revoking the lease removed them',
      );
      // Deletes with the known revision: once each object is gone the rest conflict (the range finds nothing).
      const deletes = w({ delete: 1 });
      for (let i = 0; i < 40; i++) await sendNext(t, deletes, i);
      assert.equal(await client.getAll().prefix(`${prefix}registry/pods/`).count(), 0, 'every object deleted');
    } finally {
      t.close();
      c.close();
    }
  });
}

test('password auth on the own transport: a token header, and one new token when etcd let the last expire', {
  skip,
}, async () => {
  const { cluster } = await testEtcd(1, { extraArgs: ['--auth-token-ttl', '1'] });
  const url = cluster.endpoints[0]!;
  const ctl = (...args: string[]) =>
    execFileSync('etcdctl', [`--endpoints=${url}`, ...args], { env: { ...process.env, ETCDCTL_API: '3' } });
  ctl('user', 'add', 'root:rootpw');
  ctl('auth', 'enable');
  const o = { ...options([url]), auth: { username: 'root', password: 'rootpw' } };
  const t = new OwnTransport(o);
  // The same on the native pacer's wires, where the addon is built.
  const paced = pacingUnavailable() === null ? new OwnTransport(o, true) : null;
  try {
    await t.ready();
    await paced?.ready();
    assert.equal(await put(t, encodePut('/edb-auth/a', Buffer.from('1'))), null);
    if (paced) assert.equal(await put(paced, encodePut('/edb-auth/pa', Buffer.from('1'))), null, 'paced');
    // etcd drops a simple token unused for --auth-token-ttl: the next call is refused, then sent again.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await put(t, encodePut('/edb-auth/b', Buffer.from('2'))), null, 'after the token expired');
    if (paced)
      assert.equal(await put(paced, encodePut('/edb-auth/pb', Buffer.from('2'))), null, 'paced, token expired');
    const wrong = new OwnTransport({ ...o, auth: { username: 'root', password: 'wrong' } });
    const refused = await wrong.ready().then(
      () => null,
      (e: Error) => e,
    );
    wrong.close();
    assert.equal(refused?.constructor.name, 'EtcdAuthenticationFailedError', refused?.message);
    const anonymous = new OwnTransport(options([url]));
    await anonymous.ready();
    const denied = await put(anonymous, encodePut('/edb-auth/c', Buffer.from('3')));
    anonymous.close();
    assert.match(denied?.constructor.name ?? '', /^Etcd(PermissionDenied|UserNotFound|InvalidAuthToken)Error|GRPC/);
    assert.notEqual(denied, null, 'without a token etcd refuses the write');
  } finally {
    t.close();
    paced?.close();
    ctl('--user', 'root:rootpw', 'auth', 'disable');
  }
});

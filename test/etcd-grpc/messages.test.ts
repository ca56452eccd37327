// The load's hand-written etcd messages against the protobuf definitions
// etcd3 ships (its proto/rpc.proto, read by protobufjs as etcd3's own client
// reads it): what we encode decodes there to the same request, byte for byte
// equal to protobufjs's own encoding, and what it encodes as etcd's answers we
// read back to the same figures: revisions, a lease id past 2^53, a token.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  decodeAuthenticate,
  decodeLeaseGrant,
  decodeRange,
  decodeTxn,
  encodeAuthenticate,
  encodeLeaseGrant,
  encodeLeaseRevoke,
  encodePut,
  encodePutWithLease,
  encodeRange,
  prefixEnd,
} from '../../src/etcd-grpc/messages/etcd.js';
import { encodeTxn } from '../../src/etcd-grpc/messages/txn.js';
import { FieldReader } from '../../src/etcd-grpc/messages/protobuf.js';
import { asObject, b64, theirs } from '../helpers/etcd-proto.js';

test('PutRequest: key, value and lease as protobufjs encodes them', () => {
  const value = Buffer.alloc(300, 7);
  assert.deepEqual(encodePut('/k', value), theirs('PutRequest', { key: b64('/k'), value: value.toString('base64') }));
  const lease = 7587887383934012345n; // past 2^53: kept exact
  const ours = encodePutWithLease('/e', Buffer.from('v'), lease);
  assert.deepEqual(ours, theirs('PutRequest', { key: b64('/e'), value: b64('v'), lease: lease.toString() }));
  assert.deepEqual(asObject('PutRequest', ours), { key: b64('/e'), value: b64('v'), lease: lease.toString() });
});

test("TxnRequest: kube-apiserver's create, update and delete shapes decode to the same request", () => {
  const create = encodeTxn(
    '/registry/pods/a',
    'create',
    0,
    { put: { key: '/registry/pods/a', value: Buffer.from('x') } },
    {
      range: '/registry/pods/a',
    },
  );
  assert.deepEqual(asObject('TxnRequest', create), {
    compare: [{ target: 1, key: b64('/registry/pods/a'), createRevision: '0', targetUnion: 'createRevision' }],
    success: [{ requestPut: { key: b64('/registry/pods/a'), value: b64('x') }, request: 'requestPut' }],
    failure: [{ requestRange: { key: b64('/registry/pods/a') }, request: 'requestRange' }],
  });
  assert.deepEqual(
    create,
    theirs('TxnRequest', {
      compare: [{ target: 1, key: b64('/registry/pods/a'), createRevision: 0 }],
      success: [{ requestPut: { key: b64('/registry/pods/a'), value: b64('x') } }],
      failure: [{ requestRange: { key: b64('/registry/pods/a') } }],
    }),
  );
  const del = encodeTxn('/k', 'mod', 123456, { delete: '/k' }, { range: '/k' });
  assert.deepEqual(asObject('TxnRequest', del), {
    compare: [{ target: 2, key: b64('/k'), modRevision: '123456', targetUnion: 'modRevision' }],
    success: [{ requestDeleteRange: { key: b64('/k') }, request: 'requestDeleteRange' }],
    failure: [{ requestRange: { key: b64('/k') }, request: 'requestRange' }],
  });
  // An update of a 4000-byte object: lengths and a revision of several varint bytes, byte for byte as protobufjs.
  const big = Buffer.alloc(4000, 0x61);
  const update = encodeTxn(
    '/registry/configmaps/é',
    'mod',
    2 ** 40 + 3,
    { put: { key: '/registry/configmaps/é', value: big } },
    {
      range: '/registry/configmaps/é',
    },
  );
  const k = b64('/registry/configmaps/é');
  assert.deepEqual(
    update,
    theirs('TxnRequest', {
      compare: [{ target: 2, key: k, modRevision: String(2 ** 40 + 3) }],
      success: [{ requestPut: { key: k, value: big.toString('base64') } }],
      failure: [{ requestRange: { key: k } }],
    }),
  );
});

test("kube-apiserver's create with a lease and no else, and its reads: get, a LIST's revision, a count", () => {
  const lease = 7587887383934012345n;
  const create = encodeTxn('/e', 'mod', 0, { put: { key: '/e', value: Buffer.from('v'), lease } }, null);
  assert.deepEqual(asObject('TxnRequest', create), {
    compare: [{ target: 2, key: b64('/e'), modRevision: '0', targetUnion: 'modRevision' }],
    success: [{ requestPut: { key: b64('/e'), value: b64('v'), lease: lease.toString() }, request: 'requestPut' }],
  });
  assert.deepEqual(
    create,
    theirs('TxnRequest', {
      compare: [{ target: 2, key: b64('/e'), modRevision: 0 }],
      success: [{ requestPut: { key: b64('/e'), value: b64('v'), lease: lease.toString() } }],
    }),
  );
  assert.deepEqual(encodeRange('/k', { limit: 1 }), theirs('RangeRequest', { key: b64('/k'), limit: 1 }));
  assert.deepEqual(
    encodeRange('/registry/pods/', { prefix: true, limit: 1 }),
    theirs('RangeRequest', { key: b64('/registry/pods/'), rangeEnd: b64('/registry/pods0'), limit: 1 }),
  );
  assert.deepEqual(
    encodeRange('/registry/pods/', { prefix: true, countOnly: true }),
    theirs('RangeRequest', { key: b64('/registry/pods/'), rangeEnd: b64('/registry/pods0'), countOnly: true }),
  );
  assert.deepEqual(prefixEnd('a\u00ff'), Buffer.from([0x61, 0xc3, 0xc0]), 'the last byte raised (UTF-8 c3 bf)');
  const found = theirs('RangeResponse', {
    header: { revision: 77 },
    kvs: [{ key: b64('/k'), modRevision: 70, createRevision: 7, version: 3 }],
    count: 1,
  });
  assert.deepEqual(decodeRange(found), { revision: 77, modRevision: 70 });
  assert.deepEqual(decodeRange(theirs('RangeResponse', { header: { revision: 78 } })), {
    revision: 78,
    modRevision: 0,
  });
});

test('TxnResponse: succeeded, the header revision, the else-range mod revision', () => {
  const ok = theirs('TxnResponse', {
    header: { revision: 9_000_000_001, raftTerm: 3 },
    succeeded: true,
    responses: [{ responsePut: { header: { revision: 9_000_000_001 } } }],
  });
  assert.deepEqual(decodeTxn(ok), { succeeded: true, revision: 9_000_000_001, rangeModRevision: 0 });
  const conflict = theirs('TxnResponse', {
    header: { revision: 50 },
    succeeded: false,
    responses: [
      { responseRange: { kvs: [{ key: b64('/k'), modRevision: 41, createRevision: 7, version: 3 }], count: 1 } },
    ],
  });
  assert.deepEqual(decodeTxn(conflict), { succeeded: false, revision: 50, rangeModRevision: 41 });
  const gone = theirs('TxnResponse', { header: { revision: 51 }, responses: [{ responseRange: { count: 0 } }] });
  assert.deepEqual(decodeTxn(gone), { succeeded: false, revision: 51, rangeModRevision: 0 });
});

test('leases and authentication: requests and answers as protobufjs has them', () => {
  assert.deepEqual(encodeLeaseGrant(3600), theirs('LeaseGrantRequest', { TTL: 3600 }));
  const id = -5n; // an int64 read as etcd sends it, sign and all
  assert.deepEqual(decodeLeaseGrant(theirs('LeaseGrantResponse', { ID: '-5', TTL: 60 })), { id, error: '' });
  assert.deepEqual(decodeLeaseGrant(theirs('LeaseGrantResponse', { error: 'no room' })), { id: 0n, error: 'no room' });
  // An id past 2^53 read exactly, as the revoke must send it back.
  const big = decodeLeaseGrant(theirs('LeaseGrantResponse', { ID: '7587887383934012345', TTL: 60 }));
  assert.equal(big.id, 7587887383934012345n);
  assert.deepEqual(
    encodeLeaseRevoke(7587887383934012345n),
    theirs('LeaseRevokeRequest', { ID: '7587887383934012345' }),
  );
  assert.deepEqual(encodeAuthenticate('root', 'pw'), theirs('AuthenticateRequest', { name: 'root', password: 'pw' }));
  assert.equal(decodeAuthenticate(theirs('AuthenticateResponse', { token: 'abc.123' })), 'abc.123');
});

test('a malformed message is an error, not a wrong figure', () => {
  const walk = (b: number[]) => {
    const r = new FieldReader(Buffer.from(b));
    while (r.next());
  };
  assert.throws(() => walk([0x0a, 0x05, 1, 2]), /truncated/);
  assert.throws(() => walk([0x08, 0xff]), /truncated varint/);
  assert.throws(() => walk([0x08, ...Array(10).fill(0xff), 1]), /varint too long/);
  assert.throws(() => decodeTxn(Buffer.from([0x0b])), /wire type 3/);
});

// The Watch messages against the protobuf definitions etcd3 ships: a prefix
// watch with PrevKV and progress notify and a progress request decode there
// to the requests kube-apiserver's watch cache sends, and what protobufjs
// encodes as etcd's answers reads back to the same figures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeWatchResponse, encodeWatchCreate, encodeWatchProgress } from '../../src/etcd-grpc/messages/watch.js';
import { asObject, b64, theirs } from '../helpers/etcd-proto.js';

test("a watch cache's watch: the resource's prefix, PrevKV, progress notify; and a progress request", () => {
  const create = encodeWatchCreate('/edb/registry/pods/', { prevKv: true, progressNotify: true });
  assert.deepEqual(asObject('WatchRequest', create), {
    createRequest: {
      key: b64('/edb/registry/pods/'),
      rangeEnd: b64('/edb/registry/pods0'),
      progressNotify: true,
      prevKv: true,
    },
    requestUnion: 'createRequest',
  });
  const from = encodeWatchCreate('/a/', { prevKv: false, progressNotify: false, startRevision: 9_000_000_001 });
  assert.equal(asObject('WatchRequest', from).createRequest.startRevision, '9000000001');
  // etcd3's proto predates the progress request (3.4): its field 3 is read by number.
  assert.deepEqual([...encodeWatchProgress()], [0x1a, 0x00], 'field 3, an empty WatchProgressRequest');
});

test('WatchResponse: created, events counted, a progress notification, canceled', () => {
  const created = decodeWatchResponse(theirs('WatchResponse', { header: { revision: 5 }, watchId: 7, created: true }));
  assert.deepEqual(created, { watchId: 7, created: true, canceled: false, events: 0, revision: 5 });
  const kv = { key: b64('/k'), value: b64('v'), modRevision: 9 };
  const events = decodeWatchResponse(
    theirs('WatchResponse', {
      header: { revision: 9 },
      watchId: 7,
      events: [
        { kv, prevKv: { ...kv, modRevision: 8 } },
        { type: 1, kv },
      ],
    }),
  );
  assert.deepEqual(events, { watchId: 7, created: false, canceled: false, events: 2, revision: 9 });
  const progress = decodeWatchResponse(theirs('WatchResponse', { header: { revision: 12 }, watchId: 7 }));
  assert.deepEqual(progress, { watchId: 7, created: false, canceled: false, events: 0, revision: 12 });
  assert.equal(decodeWatchResponse(theirs('WatchResponse', { watchId: 7, canceled: true })).canceled, true);
});

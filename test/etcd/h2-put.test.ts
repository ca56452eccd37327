// Which connections the tool's own HTTP/2 put path takes over: plain-text
// and TLS endpoints without a password; password auth keeps etcd3's channel,
// and so does a client the tool did not open (its options are not known).
// And a failed call's error is the class etcd3 gives for that gRPC code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Etcd3 } from 'etcd3';
import { type ConnectionOptions, openClient } from '../../src/etcd/connection.js';
import { grpcError, H2Put } from '../../src/etcd/h2-put.js';

const options = (o: Partial<ConnectionOptions>): ConnectionOptions => ({
  endpoints: ['http://127.0.0.1:2379'],
  cacert: '',
  cert: '',
  key: '',
  auth: null,
  dialTimeoutMs: 1000,
  requestTimeoutMs: 1000,
  insecureSkipTlsVerify: false,
  ...o,
});

test('plain-text and TLS endpoints without a password use the own HTTP/2 path; auth does not', () => {
  const cases: [Partial<ConnectionOptions>, boolean][] = [
    [{}, true],
    [{ endpoints: ['127.0.0.1:2379', 'http://[::1]:2379', 'localhost:22379'] }, true],
    [{ endpoints: ['https://127.0.0.1:2379', 'https://etcd-1.example:2379'] }, true],
    [{ auth: { username: 'root', password: 'x' } }, false],
  ];
  for (const [o, usable] of cases) {
    const client = openClient(options(o));
    try {
      assert.equal(H2Put.usable(client), usable, JSON.stringify(o));
    } finally {
      client.close();
    }
  }
  const foreign = new Etcd3({ hosts: 'http://127.0.0.1:2379' });
  assert.equal(H2Put.usable(foreign), false);
  foreign.close();
});

test("a failed call's error: grpc-js's message, etcd3's class", () => {
  const unavailable = grpcError(14, 'connection to 127.0.0.1:1 failed');
  assert.equal(unavailable.constructor.name, 'GRPCUnavailableError');
  assert.match(unavailable.message, /14 UNAVAILABLE: connection to 127\.0\.0\.1:1 failed/);
  assert.equal(grpcError(4, 'Deadline exceeded').constructor.name, 'GRPCDeadlineExceededError');
  // etcd's message decides before the code, as in etcd3.
  assert.equal(grpcError(7, 'etcdserver: permission denied').constructor.name, 'EtcdPermissionDeniedError');
  const nospace = grpcError(8, 'etcdserver: mvcc: database space exceeded');
  assert.match(nospace.message, /database space exceeded/, 'the run stops on NOSPACE by its message');
});

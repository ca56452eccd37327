// Which endpoints the tool's own HTTP/2 transport dials (etcdctl's forms,
// plain text or TLS, with or without a password), and a failed call's error is
// the class etcd3 gives for that gRPC code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectionOptions } from '../../../src/etcd/connection.js';
import { OwnTransport } from '../../../src/load/transport/own.js';
import { grpcError } from '../../../src/load/transport/transport.js';

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

test('the own transport dials plain-text and TLS endpoints in every form etcdctl takes, password or not', () => {
  const cases: [Partial<ConnectionOptions>, boolean][] = [
    [{}, true],
    [{ endpoints: ['127.0.0.1:2379', 'http://[::1]:2379', 'localhost:22379'] }, true],
    [{ endpoints: ['https://127.0.0.1:2379', 'https://etcd-1.example:2379'] }, true],
    [{ auth: { username: 'root', password: 'x' } }, true],
    [{ endpoints: ['unix:///run/etcd.sock'] }, false],
    [{ endpoints: [] }, false],
  ];
  for (const [o, usable] of cases) assert.equal(OwnTransport.usable(options(o)), usable, JSON.stringify(o));
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

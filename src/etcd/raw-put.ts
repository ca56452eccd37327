// A put sent on etcd3's own gRPC channel without its builders and promise
// layers: the request is encoded by the workload (PutRequest is two length-
// delimited fields), the answer is not decoded (a put's success is the call
// completing; its header is not used), and the result comes back through a
// callback. What etcd3's pool would do around the call is kept: a random
// host of the client's per call, its auth metadata, the same deadline, its
// error classes (castGrpcError, so errors by kind read the same), a channel
// reset after a recoverable error, and one resend after an invalid auth token
// (etcd3 re-authenticates and resends then). Its retry and circuit-breaker
// policies are off in every client the tool opens (connection.ts), so there
// is nothing else to keep.
import { type CallOptions, type Client as GrpcClient, Metadata, type ServiceError } from '@grpc/grpc-js';
import { castGrpcError, EtcdInvalidAuthTokenError, type Etcd3, isRecoverableError } from 'etcd3';
import type { PutSender } from './h2-put.js';

interface PoolHost {
  getServiceClient(name: string): GrpcClient;
  resetAllServices(): void;
}
interface PoolInternals {
  hosts: PoolHost[];
  authenticator: { getMetadata(): Promise<Metadata>; invalidateMetadata(): void };
  /** etcd3's defaultCallOptions: the tool's sets every unary call's deadline (connection.ts). */
  callOptionsFactory?: CallOptions | ((context: CallContext) => CallOptions);
}
interface CallContext {
  service: string;
  method: string;
  params: unknown;
  isStream: boolean;
}

export type PutDone = (error: Error | null) => void;

const PUT = '/etcdserverpb.KV/Put';
const asIs = (b: Buffer) => b;

/** A PutRequest's bytes: key (field 1) and value (field 2), each tag, length, bytes. */
export function encodePut(key: Buffer | string, value: Buffer): Buffer {
  const k = typeof key === 'string' ? Buffer.from(key) : key;
  const out = Buffer.allocUnsafe(putHeaderLength(k.length) + k.length + putHeaderLength(value.length) + value.length);
  let at = writeField(out, 0, 0x0a, k.length);
  at += k.copy(out, at);
  at = writeField(out, at, 0x12, value.length);
  value.copy(out, at);
  return out;
}

/** The bytes before a field's content: its tag and its length as a varint. */
export function putHeaderLength(length: number): number {
  let n = 2;
  for (let l = length; l >= 0x80; l >>>= 7) n++;
  return n;
}

/** Writes a length-delimited field's tag and length at `at`; returns where its content starts. */
export function writeField(out: Buffer, at: number, tag: number, length: number): number {
  let p = at;
  out[p++] = tag;
  let l = length;
  while (l >= 0x80) {
    out[p++] = (l & 0x7f) | 0x80;
    l >>>= 7;
  }
  out[p++] = l;
  return p;
}

/** Puts through one etcd3 client's connections. */
export class RawPut implements PutSender {
  private readonly pool: PoolInternals;
  private metadata: Metadata | null = null;

  constructor(client: Etcd3) {
    this.pool = (client as unknown as { pool: PoolInternals }).pool;
  }

  /** The call's options as etcd3 resolves them (a fresh deadline each call). */
  private callOptions(request: Buffer): CallOptions {
    const f = this.pool.callOptionsFactory;
    return typeof f === 'function' ? f({ service: 'KV', method: 'put', params: request, isStream: false }) : (f ?? {});
  }

  /** Reads the auth metadata once (etcd3 authenticates on the first call); call before the load. */
  async ready(): Promise<void> {
    this.metadata = await this.pool.authenticator.getMetadata();
  }

  /** etcd3's channels are closed with its client. */
  close(): void {}

  /** Sends one encoded PutRequest; `done` gets null or the error as etcd3 would have thrown it. */
  send(request: Buffer, done: PutDone, resent = false): void {
    const hosts = this.pool.hosts;
    const host = hosts.length === 1 ? hosts[0]! : hosts[Math.floor(Math.random() * hosts.length)]!;
    let kv: GrpcClient;
    try {
      kv = host.getServiceClient('KV');
    } catch (e) {
      done(e as Error);
      return;
    }
    const metadata = this.metadata ?? new Metadata();
    // grpc-js makes an Error per call for the caller's stack (10 us of CPU here); the load reports errors by kind
    // and message, never by stack, so none is captured for this call.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      this.call(kv, host, request, metadata, done, resent);
    } finally {
      Error.stackTraceLimit = limit;
    }
  }

  private call(kv: GrpcClient, host: PoolHost, request: Buffer, metadata: Metadata, done: PutDone, resent: boolean) {
    kv.makeUnaryRequest(PUT, asIs, asIs, request, metadata, this.callOptions(request), (err: ServiceError | null) => {
      if (!err) return done(null);
      const e = castGrpcError(err);
      if (e instanceof EtcdInvalidAuthTokenError && !resent) {
        this.pool.authenticator.invalidateMetadata();
        this.ready().then(
          () => this.send(request, done, true),
          (a: Error) => done(a),
        );
        return;
      }
      if (isRecoverableError(e)) host.resetAllServices();
      done(e);
    });
  }
}

// The load's requests on etcd3's own gRPC channels (grpc-js) without its
// builders and promise layers: the workload's request bytes go out as they
// are, the response comes back as bytes, through a callback. What etcd3's pool
// would do around a call is kept: a random host of the client's per call, its
// auth metadata, the same deadline, its error classes (castGrpcError), a
// channel reset after a recoverable error, and one resend after an invalid
// auth token (etcd3 re-authenticates and resends then). Its retry and
// circuit-breaker policies are off in every client the tool opens
// (connection.ts), so there is nothing else to keep. The comparison and the
// fallback for the own transport (--transport grpc-js).
import { type CallOptions, type Client as GrpcClient, Metadata, type ServiceError } from '@grpc/grpc-js';
import { castGrpcError, EtcdInvalidAuthTokenError, type Etcd3, isRecoverableError } from 'etcd3';
import type { Method } from '../../etcd-grpc/messages/etcd.js';
import type { CallDone, Transport } from './transport.js';

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

const asIs = (b: Buffer) => b;

/** The etcd3 service a method belongs to ("/etcdserverpb.KV/Put" -> KV), as its pool names its clients. */
function serviceOf(method: Method): string {
  return method.slice(method.indexOf('.') + 1, method.lastIndexOf('/'));
}

/** Calls through one etcd3 client's connections; closing the transport closes the client. */
export class GrpcJsTransport implements Transport {
  readonly name = 'grpc-js' as const;
  private readonly pool: PoolInternals;
  private metadata: Metadata | null = null;

  constructor(
    private readonly client: Etcd3,
    /** A key under the load's prefix, read once to dial (a user may be allowed only that prefix). */
    private readonly probeKey: string,
  ) {
    this.pool = (client as unknown as { pool: PoolInternals }).pool;
  }

  /** The call's options as etcd3 resolves them (a fresh deadline each call). */
  private callOptions(method: Method, request: Buffer): CallOptions {
    const f = this.pool.callOptionsFactory;
    const ctx = { service: serviceOf(method), method: method.slice(method.lastIndexOf('/') + 1), params: request };
    return typeof f === 'function' ? f({ ...ctx, isStream: false }) : (f ?? {});
  }

  /** Dials each host with one read and takes the auth metadata (etcd3 authenticates on the first call). */
  async ready(): Promise<void> {
    this.metadata = await this.pool.authenticator.getMetadata();
    await this.client.get(this.probeKey).exists();
  }

  close(): void {
    this.client.close();
  }

  /** Sends one request at once; `done` gets the response bytes, or the error as etcd3 would have thrown it. */
  send(method: Method, request: Buffer, done: CallDone): void {
    this.sendOnce(method, request, done, false);
  }

  private sendOnce(method: Method, request: Buffer, done: CallDone, resent: boolean): void {
    const hosts = this.pool.hosts;
    const host = hosts.length === 1 ? hosts[0]! : hosts[Math.floor(Math.random() * hosts.length)]!;
    let service: GrpcClient;
    try {
      service = host.getServiceClient(serviceOf(method));
    } catch (e) {
      done(e as Error, null);
      return;
    }
    const metadata = this.metadata ?? new Metadata();
    // grpc-js makes an Error per call for the caller's stack (10 us of CPU here); the load reports errors by kind
    // and message, never by stack, so none is captured for this call.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      service.makeUnaryRequest(
        method,
        asIs,
        asIs,
        request,
        metadata,
        this.callOptions(method, request),
        (err: ServiceError | null, response?: Buffer) => {
          if (!err) return done(null, response ?? null);
          const e = castGrpcError(err);
          if (e instanceof EtcdInvalidAuthTokenError && !resent) {
            this.pool.authenticator.invalidateMetadata();
            this.pool.authenticator.getMetadata().then(
              (m) => {
                this.metadata = m;
                this.sendOnce(method, request, done, true);
              },
              (a: Error) => done(a, null),
            );
            return;
          }
          if (isRecoverableError(e)) host.resetAllServices();
          done(e, null);
        },
      );
    } finally {
      Error.stackTraceLimit = limit;
    }
  }
}

// The one seam every load workload sends through: a unary gRPC call of a
// method with a serialized request, answered by a callback with the response
// message's bytes or the error as etcd3 would have thrown it (its classes, so
// errors by kind read the same whatever carried them). Two transports: the
// tool's own HTTP/2 connections (own.ts, the default) and grpc-js through
// etcd3's channels (grpc-js.ts), kept to compare and to fall back on.
import { status } from '@grpc/grpc-js';
import { castGrpcError } from 'etcd3';
import type { LOAD_TRANSPORTS } from '../../options/table.js';
import type { Method } from '../../etcd-grpc/messages/etcd.js';

/**
 * A call's end: null and the response message, or the error (etcd3's class for its gRPC code and message). A paced
 * transport adds when the request went out and when its answer was read (performance.now(); NaN where not known).
 */
export type CallDone = (error: Error | null, response: Buffer | null, sentAtMs?: number, doneAtMs?: number) => void;

export type TransportName = (typeof LOAD_TRANSPORTS)[number];

export interface Transport {
  readonly name: TransportName;
  /** Dials every host (and authenticates) before the load; throws, naming a host it cannot reach. */
  ready(): Promise<void>;
  /** Sends a call; a paced transport sends it at `dueAtMs` (performance.now()), others at once. */
  send(method: Method, request: Buffer, done: CallDone, dueAtMs?: number): void;
  close(): void;
  /**
   * Set on a paced transport (its requests go out at their times from the native pacer's thread, and its answers are
   * collected every few milliseconds): runs `listener` after each collection, at least every `everyMs`; returns how
   * to stop.
   */
  readonly onPump?: ((listener: () => void, everyMs: number) => () => void) | undefined;
}

/** An error as grpc-js would have made it, cast to etcd3's class for the code and message. */
export function grpcError(code: number, details: string): Error {
  const e = Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details });
  return castGrpcError(e);
}

/** One call as a promise: for what is not the hot path (a lease granted before the load, revoked after). */
export function unary(t: Transport, method: Method, request: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    t.send(method, request, (e, response) => (e ? reject(e) : resolve(response ?? Buffer.alloc(0)))),
  );
}

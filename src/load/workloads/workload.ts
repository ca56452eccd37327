// What a load workload is: a source of requests, each a gRPC method and its
// serialized request (etcd's own messages, messages/etcd.ts), with how to read
// etcd's answer where the answer matters (a transaction's compare). The
// runner owns timing, concurrency, recording and the transport; a workload
// only says what to send.
import type { Method } from '../../etcd-grpc/messages/etcd.js';

/** How a request ended when etcd answered: ok, or a transaction whose compare failed. */
export type Outcome = 'ok' | 'conflict';

export interface Request {
  /** What it is, for per-kind counts ("put", "create", "update", ...). */
  kind: string;
  method: Method;
  /** The serialized request message. */
  message: Buffer;
  /**
   * Reads etcd's answer (the response message): ok or conflict, or the request's next call (kube-apiserver's get
   * after a create that found the name taken), sent at once on the same connection and timed with it; absent: the
   * answer is not read (ok).
   */
  answer?: ((response: Buffer) => Outcome | Request) | undefined;
}

/** One call outside the hot path (before or after the load), as a promise of the response message. */
export type Call = (method: Method, message: Buffer) => Promise<Buffer>;

export interface LoadWorkload {
  name: string;
  /**
   * The i-th request of the run. The object may be reused by the next call (the put workloads fill one in place):
   * the runner reads it before asking for another.
   */
  next(i: number): Request;
  /** Keys this workload may leave behind are all under this prefix. */
  prefix: string;
  /** Before the first request (after the safety checks): grant leases, ... */
  prepare?(call: Call): Promise<void>;
  /** After the last request, before the prefix is deleted: revoke leases, ... */
  finish?(call: Call): Promise<void>;
  /**
   * Prefixes to watch as an API server's watch cache does (one Watch stream each, PrevKV and progress notify), opened
   * after prepare() and held through the load (src/load/watch-streams.ts).
   */
  readonly watchPrefixes?: readonly string[];
  /** Given the open watches: `requestProgress(k)` asks the watch of watchPrefixes[k] for a progress notification. */
  watching?(w: { requestProgress(k: number): void }): void;
}

/** Sends `req` with `call`, and each next call its answer asks for, to its outcome (outside the hot path). */
export async function callThrough(call: Call, req: Request): Promise<Outcome> {
  let r: Request = req;
  for (;;) {
    const response = await call(r.method, r.message);
    const answer = r.answer ? r.answer(response) : 'ok';
    if (typeof answer === 'string') return answer;
    r = answer;
  }
}

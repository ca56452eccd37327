// What a load workload is: a source of requests, each a function of a client
// that resolves when etcd answered. The runner owns timing, concurrency and
// recording; a workload only says what to send.
import type { Etcd3 } from 'etcd3';

/** How a request ended when etcd answered: ok, or a transaction whose compare failed. */
export type Outcome = 'ok' | 'conflict';

export interface Request {
  /** What it is, for per-kind counts ("put", "create", "update", ...). */
  kind: string;
  send(client: Etcd3): Promise<Outcome>;
}

export interface LoadWorkload {
  name: string;
  /** The i-th request of the run. */
  next(i: number): Request;
  /**
   * Plain puts only: the i-th request as PutRequest bytes, the same key and value next(i) would send. The runner then
   * sends it on etcd3's channel without the builder and promise layers (raw-put.ts): the load's CPU per request.
   */
  encodePut?(i: number): Buffer;
  /** Keys this workload may leave behind are all under this prefix. */
  prefix: string;
  /** Before the first request (after the safety checks): grant leases, ... */
  prepare?(client: Etcd3): Promise<void>;
  /** After the last request, before the prefix is deleted: revoke leases, ... */
  finish?(client: Etcd3): Promise<void>;
}

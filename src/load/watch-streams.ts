// The watches an API server's watch cache holds on etcd: one Watch stream per
// resource it serves, each with one watch of the resource's prefix, PrevKV
// and progress notify (k8s.io/apiserver's cacher; docs/load.md). Opened on a
// connection of their own (the unary hot path stays apart), each created
// before the load starts; they read every event etcd fans out to them
// (counted, not decoded), and ask for progress as a consistent LIST does.
import type { ConnectionOptions } from '../etcd/connection.js';
import { StreamSession } from '../etcd-grpc/h2/stream-session.js';
import { decodeAuthenticate, encodeAuthenticate, METHOD } from '../etcd-grpc/messages/etcd.js';
import {
  decodeWatchResponse,
  encodeWatchCreate,
  encodeWatchProgress,
  WATCH_METHOD,
} from '../etcd-grpc/messages/watch.js';
import { targetsOf } from './transport/own.js';
import type { Call } from './workloads/workload.js';

export interface WatchCounts {
  /** Watches etcd confirmed, and how many are still open. */
  created: number;
  open: number;
  /** Events read, progress notifications read, progress requests sent. */
  events: number;
  progress: number;
  progressRequests: number;
  /** Why a watch ended during the load (the first few). */
  ended: string[];
}

export interface WatchStreams {
  /** Asks the watch of prefix `k` for a progress notification (kube-apiserver's RequestWatchProgress). */
  requestProgress(k: number): void;
  counts(): WatchCounts;
  close(): void;
}

/**
 * Opens one Watch stream per prefix on one connection to a random endpoint and waits until etcd confirmed each
 * (within the dial timeout); throws, naming the endpoint, if it does not. `call` authenticates (with a password).
 * `paced`: on a native pacer's wire, like the load's connections, so that events are read in the pacer's batches
 * instead of waking the event loop once each.
 */
export async function openWatchStreams(
  conn: ConnectionOptions,
  prefixes: string[],
  call: Call,
  paced = false,
): Promise<WatchStreams> {
  const targets = targetsOf(conn, paced);
  const target = targets[Math.floor(Math.random() * targets.length)]!;
  const token = conn.auth
    ? decodeAuthenticate(await call(METHOD.authenticate, encodeAuthenticate(conn.auth.username, conn.auth.password)))
    : '';
  const session = new StreamSession(target);
  await session.ready;
  const counts: WatchCounts = { created: 0, open: 0, events: 0, progress: 0, progressRequests: 0, ended: [] };
  let confirm: () => void = () => undefined;
  let refuse: (e: Error) => void = () => undefined;
  const allCreated = new Promise<void>((resolve, reject) => {
    confirm = resolve;
    refuse = reject;
  });
  const streams = prefixes.map((prefix) => {
    let created = false;
    return session.open(WATCH_METHOD, token, {
      message: (msg) => {
        const a = decodeWatchResponse(msg);
        if (a.created) {
          created = true;
          counts.created++;
          counts.open++;
          if (counts.created === prefixes.length) confirm();
        }
        if (a.canceled && created) {
          created = false;
          counts.open--;
        }
        if (a.events > 0) counts.events += a.events;
        else if (!a.created && !a.canceled) counts.progress++;
      },
      closed: (code, details) => {
        if (created) counts.open--;
        created = false;
        if (counts.ended.length < 5) counts.ended.push(`watch of ${prefix} ended: ${code} ${details}`);
        refuse(new Error(`etcd at ${target.host}:${target.port} ended the watch of ${prefix}: ${code} ${details}`));
      },
    });
  });
  streams.forEach((s, k) => {
    s.send(encodeWatchCreate(prefixes[k]!, { prevKv: true, progressNotify: true }));
  });
  const timeout = setTimeout(
    () =>
      refuse(
        new Error(
          `etcd at ${target.host}:${target.port} created ${counts.created} of ${prefixes.length} watches ` +
            `within ${conn.dialTimeoutMs} ms`,
        ),
      ),
    conn.dialTimeoutMs,
  );
  try {
    await allCreated;
  } catch (e) {
    session.close();
    throw e;
  } finally {
    clearTimeout(timeout);
  }
  const progress = encodeWatchProgress();
  return {
    requestProgress: (k) => {
      counts.progressRequests++;
      streams[k % streams.length]!.send(progress);
    },
    counts: () => ({ ...counts, ended: [...counts.ended] }),
    close: () => session.close(),
  };
}

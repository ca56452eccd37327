// The load's connections, opened before it starts (etcdctl dials its clients
// before check perf begins, so no request pays for a handshake): --conns
// transports of the kind --transport names, each dialed (and authenticated)
// and ready. The own transport opens nothing of etcd3's; grpc-js opens one
// etcd3 client per connection, closed with its transport.
import type { ConnectionOptions } from '../etcd/connection.js';
import { openClient } from '../etcd/connection.js';
import { UsageError } from '../core/errors.js';
import type { LoadOptions } from './load-option-values.js';
import { GrpcJsTransport } from './transport/grpc-js.js';
import { OwnTransport, parseEndpoint } from './transport/own.js';
import { pacingUnavailable } from './transport/paced-wire.js';
import { type Transport, type TransportName, unary } from './transport/transport.js';
import type { Call, LoadWorkload } from './workloads/workload.js';
import { openWatchStreams, type WatchStreams } from './watch-streams.js';

/** How the load's requests are timed, and why (the load result and the report say both). */
export interface Pacing {
  pacing: 'native' | 'event-loop';
  why: string;
}

/**
 * --pacing auto paces natively up to this many requests/s a thread. Above it the event loop already sends several
 * requests a wakeup, and the pacer's thread only competes for the CPU: at check-perf-l (4,000/s a thread, 2 threads)
 * the client cost 91 us a request paced against 78 from the event loop; at m (1,000/s) 138-148 against 166-167.
 */
export const AUTO_PACED_MAX_RATE = 2000;

/** Decides --pacing: native where it can (auto) or was asked for; a --pacing native it cannot honour is refused. */
export function choosePacing(
  o: Pick<LoadOptions, 'pacing' | 'transport' | 'rate' | 'workers'>,
  conn: Pick<ConnectionOptions, 'endpoints'>,
): Pacing {
  const tls = conn.endpoints.some((e) => parseEndpoint(e)?.secure);
  const cannot =
    o.transport !== 'own'
      ? 'grpc-js sends from the event loop (--transport grpc-js)'
      : o.rate <= 0
        ? 'a closed loop (no --rate) sends each request when an answer frees its client'
        : tls
          ? 'TLS connections run in Node (https endpoints)'
          : pacingUnavailable();
  if (o.pacing === 'event-loop') return { pacing: 'event-loop', why: '--pacing event-loop' };
  const perThread = o.rate / Math.max(1, o.workers);
  if (cannot === null && o.pacing === 'auto' && perThread > AUTO_PACED_MAX_RATE)
    return {
      pacing: 'event-loop',
      why:
        `${Math.round(perThread)} requests/s a thread: above ${AUTO_PACED_MAX_RATE} the event loop sends several ` +
        'a wakeup and costs less CPU than the pacer (--pacing native to use it anyway)',
    };
  if (cannot === null)
    return { pacing: 'native', why: 'plain TCP with --transport own at a --rate: the native pacer times requests' };
  if (o.pacing === 'native') throw new UsageError(`--pacing native: not possible here: ${cannot}`);
  return { pacing: 'event-loop', why: cannot };
}

/** Opens `conns` connections of `kind` and waits until each is ready; throws, naming a host, if one is not. */
export async function connectLoad(
  conn: ConnectionOptions,
  conns: number,
  kind: TransportName,
  prefix: string,
  paced = false,
): Promise<Transport[]> {
  const transports: Transport[] = Array.from({ length: Math.max(1, conns) }, () =>
    kind === 'own' ? new OwnTransport(conn, paced) : new GrpcJsTransport(openClient(conn), `${prefix}connect`),
  );
  try {
    await Promise.all(transports.map((t) => t.ready()));
  } catch (e) {
    closeAll(transports);
    throw e;
  }
  return transports;
}

/** Closes every connection of the load. */
export function closeAll(transports: Transport[]): void {
  for (const t of transports) t.close();
}

/** A workload's calls before and after the load (a lease granted, revoked) on the load's first connection. */
export function callOn(t: Transport): Call {
  return (method, message) => unary(t, method, message);
}

/**
 * Opens the watches the workload holds (an API server's watch cache) after its prepare(), and hands them to it; null
 * when it holds none. Closed by the caller after the load.
 */
export async function openWorkloadWatches(
  conn: ConnectionOptions,
  workload: LoadWorkload,
  call: Call,
  paced = false,
): Promise<WatchStreams | null> {
  const prefixes = workload.watchPrefixes ?? [];
  if (prefixes.length === 0) return null;
  const w = await openWatchStreams(conn, [...prefixes], call, paced);
  workload.watching?.(w);
  return w;
}

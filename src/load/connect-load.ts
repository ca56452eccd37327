// The load's connections, opened before it starts (etcdctl dials its clients
// before check perf begins, so no request pays for a handshake): --conns
// transports of the kind --transport names, each dialed (and authenticated)
// and ready. The own transport opens nothing of etcd3's; grpc-js opens one
// etcd3 client per connection, closed with its transport.
import type { ConnectionOptions } from '../etcd/connection.js';
import { openClient } from '../etcd/connection.js';
import { GrpcJsTransport } from './transport/grpc-js.js';
import { OwnTransport } from './transport/own.js';
import { type Transport, type TransportName, unary } from './transport/transport.js';
import type { Call } from './workloads/workload.js';

/** Opens `conns` connections of `kind` and waits until each is ready; throws, naming a host, if one is not. */
export async function connectLoad(
  conn: ConnectionOptions,
  conns: number,
  kind: TransportName,
  prefix: string,
): Promise<Transport[]> {
  const transports: Transport[] = Array.from({ length: Math.max(1, conns) }, () =>
    kind === 'own' ? new OwnTransport(conn) : new GrpcJsTransport(openClient(conn), `${prefix}connect`),
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

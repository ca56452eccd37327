// Free TCP ports on 127.0.0.1, asked of the kernel (bind to port 0), for
// throwaway etcd members. A port could be taken between here and etcd's
// bind; the launcher then fails clearly and can be rerun. Reserved ports stay
// bound until released, so what binds meanwhile (the network lab's proxies,
// on port 0) cannot be handed one of them.
import { createServer, type Server } from 'node:net';

/** One free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port > 0 ? resolve(port) : reject(new Error('no port'))));
    });
  });
}

/** `n` distinct free loopback ports. */
export async function freePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/** Ports held bound until `release`, which frees them for their owner to bind a moment later. */
export interface PortReservation {
  ports: number[];
  release(): Promise<void>;
}

/** `n` distinct loopback ports, each kept bound until the reservation is released. */
export async function reservePorts(n: number): Promise<PortReservation> {
  const servers: Server[] = [];
  const release = () =>
    Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
  try {
    for (let i = 0; i < n; i++) {
      const srv = createServer();
      srv.unref();
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(srv);
    }
  } catch (e) {
    await release();
    throw e;
  }
  const ports = servers.map((s) => {
    const a = s.address();
    return typeof a === 'object' && a ? a.port : 0;
  });
  return { ports, release };
}

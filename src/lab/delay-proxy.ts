// A TCP proxy that holds every chunk back by a delay (plus or minus a uniform
// jitter) in each direction, keeping byte order, and closes cleanly both ways:
// an end from one side is passed on once what came before it has been
// delivered. What it actually added is measured per chunk (release time minus
// arrival), not assumed. Which link a connection belongs to (who dialed)
// decides whether it is delayed: `delayFor` is asked once per connection.
import { createServer, type Server, Socket } from 'node:net';

export interface LinkDelay {
  delayNs: number;
  jitterNs: number;
}

export interface ProxyStats {
  connections: number;
  /** Connections held back (the others passed at once). */
  delayedConnections: number;
  chunks: number;
  bytes: number;
  /** Added delay of each delayed chunk, ns: the measured figure. */
  addedNs: number[];
}

/** The most chunks whose added delay is kept (a sample of a long run is enough for its percentiles). */
const KEEP = 200_000;
/** Past this many bytes waiting in one direction the sender is paused (a slow link is not an infinite buffer). */
const HIGH_WATER = 8 << 20;

function pipeDelayed(from: Socket, to: Socket, d: LinkDelay, stats: ProxyStats): void {
  // One queue and one timer per direction: chunks leave in the order they came, each at its release time or
  // later (a jittered chunk never overtakes the one ahead of it).
  const queue: { chunk: Buffer; arrival: number; release: number }[] = [];
  let queued = 0;
  let timer: NodeJS.Timeout | null = null;
  let ended = false;
  const pump = () => {
    timer = null;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.release <= now) {
      const q = queue.shift()!;
      queued -= q.chunk.length;
      if (!to.destroyed) to.write(q.chunk);
      if (stats.addedNs.length < KEEP) stats.addedNs.push(Math.round((now - q.arrival) * 1e6));
    }
    if (queued < HIGH_WATER / 8 && from.isPaused()) from.resume();
    // libuv's timers count whole milliseconds from the loop's cached time and can fire up to a millisecond
    // early: the pump re-arms until the head's release time has really come.
    if (queue.length > 0) timer = setTimeout(pump, Math.max(1, Math.ceil(queue[0]!.release - performance.now())));
    else if (ended && !to.destroyed) to.end();
  };
  from.on('data', (chunk: Buffer) => {
    const arrival = performance.now();
    stats.chunks++;
    stats.bytes += chunk.length;
    if (d.delayNs === 0 && d.jitterNs === 0) {
      to.write(chunk);
      return;
    }
    const last = queue.at(-1)?.release ?? 0;
    const release = Math.max(arrival + (d.delayNs + (Math.random() * 2 - 1) * d.jitterNs) / 1e6, last);
    queue.push({ chunk, arrival, release });
    queued += chunk.length;
    if (queued > HIGH_WATER) from.pause();
    if (timer === null) timer = setTimeout(pump, Math.max(1, Math.ceil(release - arrival)));
  });
  from.on('end', () => {
    ended = true;
    if (queue.length === 0 && !to.destroyed) to.end();
  });
}

/** One proxy in front of one target port on 127.0.0.1. */
export class DelayProxy {
  readonly stats: ProxyStats = { connections: 0, delayedConnections: 0, chunks: 0, bytes: 0, addedNs: [] };
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly targetPort: number,
    /** The delay for a connection, from the port it was dialed from (resolved to a member by the caller). */
    private readonly delayFor: (remotePort: number, localPort: number) => LinkDelay,
  ) {
    this.server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    const d = this.delayFor(client.remotePort ?? 0, client.localPort ?? 0);
    if (d.delayNs > 0 || d.jitterNs > 0) this.stats.delayedConnections++;
    const upstream = new Socket({ allowHalfOpen: true });
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.setNoDelay(true);
      s.on('close', () => this.sockets.delete(s));
    }
    // An error on one side resets the other: the peer sees the failure as it would on a real link.
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', (hadError) => hadError && upstream.destroy());
    upstream.on('close', (hadError) => hadError && client.destroy());
    pipeDelayed(client, upstream, d, this.stats);
    pipeDelayed(upstream, client, d, this.stats);
    upstream.connect(this.targetPort, '127.0.0.1');
  }

  /** Listens on a free port of 127.0.0.1; resolves to it. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        const a = this.server.address();
        resolve(typeof a === 'object' && a ? a.port : 0);
      });
    });
  }

  /** Stops accepting and closes every connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

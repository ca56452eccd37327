// A TCP proxy that holds every chunk back by a delay (plus or minus a uniform
// jitter) in each direction, keeping byte order, and closes cleanly both ways:
// an end from one side is passed on once what came before it has been
// delivered. What it actually added is measured per chunk (release time minus
// arrival) into a histogram, not assumed. Which link a connection belongs to
// (who dialed) decides whether it is delayed: `delayFor` is asked once per
// connection, and `linkOf` names it, so what each link carried and was added
// is counted on its own. Optionally the slowed links stall: every `everyNs` for `forNs`
// they carry nothing, as a link that flaps; what was sent into or during the
// stall arrives one delay after it ends, as TCP resends it.
import { createServer, type Server, Socket } from 'node:net';
import { LatencyHistogram } from '../stats/histogram.js';

export interface StallPlan {
  everyNs: number;
  forNs: number;
}

export interface LinkDelay {
  delayNs: number;
  jitterNs: number;
  stall: StallPlan | null;
}

export interface ProxyStats {
  connections: number;
  /** Connections held back (the others passed at once). */
  delayedConnections: number;
  chunks: number;
  bytes: number;
  /** Chunks a stall held back, and which stalls (their numbers, 1 = the first) held any. */
  stalledChunks: number;
  stalls: number[];
}

/** Stalls counted from here (performance.now() ms); none before `startStalls`. */
export class StallClock {
  originMs: number | null = null;
  /** No stall starts at or after this (the load's end: the lab's scenario is the load's); Infinity until then. */
  untilMs = Number.POSITIVE_INFINITY;

  /** The end (ms) of the stall that [sentMs, releaseMs) meets, with its number; null when none. */
  meets(plan: StallPlan, sentMs: number, releaseMs: number): { endMs: number; n: number } | null {
    if (this.originMs === null) return null;
    const every = plan.everyNs / 1e6;
    const n = Math.floor((releaseMs - this.originMs) / every);
    const start = this.originMs + n * every;
    if (start >= this.untilMs) return null;
    return n >= 1 && sentMs < start + plan.forNs / 1e6 ? { endMs: start + plan.forNs / 1e6, n } : null;
  }
}

/** A link's name: its two members' indexes, lower first ("0-2"): both directions of a pair are one link. */
export const linkName = (a: number, b: number) => (a < b ? `${a}-${b}` : `${b}-${a}`);

/** What one link (the member that dialed, to this proxy's member) carried: its chunks, and the delay added. */
export class LinkCounters {
  chunks = 0;
  readonly added = new LatencyHistogram();
}

interface Counters {
  stats: ProxyStats;
  added: LatencyHistogram;
  clock: StallClock;
  link: LinkCounters | null;
}
/** Past this many bytes waiting in one direction the sender is paused (a slow link is not an infinite buffer). */
const HIGH_WATER = 8 << 20;

function pipeDelayed(from: Socket, to: Socket, d: LinkDelay, c: Counters): void {
  const stats = c.stats;
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
      c.added.record((now - q.arrival) * 1e6);
      c.link?.added.record((now - q.arrival) * 1e6);
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
    if (c.link) c.link.chunks++;
    if (!isDelayed(d)) {
      to.write(chunk);
      return;
    }
    const transit = (d.delayNs + (Math.random() * 2 - 1) * d.jitterNs) / 1e6;
    let release = arrival + transit;
    const stall = d.stall && c.clock.meets(d.stall, arrival, release);
    if (stall) {
      release = stall.endMs + transit;
      stats.stalledChunks++;
      if (!stats.stalls.includes(stall.n)) stats.stalls.push(stall.n);
    }
    release = Math.max(release, queue.at(-1)?.release ?? 0);
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

const isDelayed = (d: LinkDelay) => d.delayNs > 0 || d.jitterNs > 0 || d.stall !== null;

/** One proxy in front of one target port on 127.0.0.1. */
export class DelayProxy {
  readonly stats: ProxyStats = {
    connections: 0,
    delayedConnections: 0,
    chunks: 0,
    bytes: 0,
    stalledChunks: 0,
    stalls: [],
  };
  /** The delay added to each delayed chunk, ns: the measured figure. */
  readonly added = new LatencyHistogram();
  /** The same per link, by the member that dialed (as `linkOf` names it); connections it cannot name are left out. */
  readonly links = new Map<string, LinkCounters>();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly targetPort: number,
    /** The delay for a connection, from the port it was dialed from (resolved to a member by the caller). */
    private readonly delayFor: (remotePort: number, localPort: number) => LinkDelay,
    /** Where stalls are counted from (shared by the proxies of one lab). */
    private readonly clock = new StallClock(),
    /** The link a connection belongs to (e.g. the member that dialed it), or null when that is not known. */
    private readonly linkOf: (remotePort: number, localPort: number) => string | null = () => null,
  ) {
    this.server = createServer({ allowHalfOpen: true }, (client) => this.accept(client));
  }

  private accept(client: Socket): void {
    this.stats.connections++;
    const d = this.delayFor(client.remotePort ?? 0, client.localPort ?? 0);
    if (isDelayed(d)) this.stats.delayedConnections++;
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
    const name = this.linkOf(client.remotePort ?? 0, client.localPort ?? 0);
    let link: LinkCounters | null = null;
    if (name !== null) {
      link = this.links.get(name) ?? new LinkCounters();
      this.links.set(name, link);
    }
    const c = { stats: this.stats, added: this.added, clock: this.clock, link };
    pipeDelayed(client, upstream, d, c);
    pipeDelayed(upstream, client, d, c);
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
    return new Promise<void>((resolve) => this.server.close(() => resolve())).then(() => {
      this.added.destroy();
      for (const l of this.links.values()) l.added.destroy();
    });
  }
}

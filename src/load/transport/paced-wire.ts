// Paced wires: HTTP/2 connections whose bytes the native addon's Pacer thread
// carries (native/src/pacer.h). Node dials the TCP connection, pauses it
// before it reads a byte, and hands a copy of its descriptor to the pacer;
// from then on the pacer writes each request at its due time and reads the
// answers, stamping each read. This thread collects both every 2-20 ms
// (pump; the runner asks for about ten requests a collection), so an
// open-loop load wakes the event loop 50-500 times a second instead of twice
// per request (a timer to send, a read to answer), and the
// times on the wire stay exact: the runner is told when each request went
// out and when its answer was read. Plain TCP only (TLS needs Node's stack).
import { connect, type Socket } from 'node:net';
import { loadAddon } from '../../native/addon.js';
import type { Dialer, Wire, WireEvents } from '../../etcd-grpc/h2/byte-wire.js';

/**
 * How often this thread collects what the pacer sent and read when no load asks for less (a load asks for about ten
 * requests a collection: loadPumpMs). Each collection is one wakeup of the event loop.
 */
export const PUMP_MS = 20;

interface NativePacer {
  add(fd: number): number;
  write(conn: number, bytes: Buffer, dueNs: number, flowBytes?: number): number;
  withdraw(conn: number, seq: number): boolean;
  credit(conn: number, bytes: number): void;
  remove(conn: number): void;
  /** What was sent ([conn, seq, atNs]...), read ([conn, atNs, start, end]... in `data`), closed ([conn, errno]...). */
  poll(): { sent: Float64Array; reads: Float64Array; data: Buffer; closed: Float64Array } | null;
  now(): number;
  stop(): void;
}

/** The addon's Pacer class, or why this thread cannot have one (the addon's loader says why it did not load). */
function pacerClass(): (new () => NativePacer) | string {
  const loaded = loadAddon();
  if ('error' in loaded) {
    return `the native addon could not load (${loaded.error.message.split('\n')[0]}): npm run build`;
  }
  const Pacer = (loaded.addon as { Pacer?: new () => NativePacer }).Pacer;
  return typeof Pacer === 'function' ? Pacer : 'the native addon has no pacer (an older build): npm run build';
}

/** Why this thread cannot pace (the addon did not load, or has no pacer), or null when it can. */
export function pacingUnavailable(): string | null {
  const Pacer = pacerClass();
  return typeof Pacer === 'string' ? Pacer : null;
}

class PacedWire implements Wire {
  readonly borrowed = false;
  readonly paced = true;
  readonly keepsWindow = true;
  destroyed = false;
  conn = 0;
  /** Writes asked for before the connection was handed over, in order: [bytes, due or undefined, flow, number]. */
  private early: [Buffer, number | undefined, number, number][] | null = [];
  private earlySeq = 0;
  /** Window credit given before the handover. */
  private earlyCredit = 0;
  private ending = false;

  constructor(
    private readonly pump: Pump,
    private readonly socket: Socket,
    readonly events: WireEvents,
  ) {}

  handOver(fd: number): void {
    try {
      this.conn = this.pump.pacer.add(fd);
    } catch (e) {
      this.destroy(e as Error);
      return;
    }
    this.pump.wires.set(this.conn, this);
    const early = this.early ?? [];
    this.early = null;
    for (const [bytes, due, flow] of early) this.write(bytes, due, flow);
    if (this.earlyCredit > 0) this.pump.pacer.credit(this.conn, this.earlyCredit);
    this.events.connected();
    if (this.ending) this.end();
  }

  write(bytes: Buffer, dueAtMs?: number, flowBytes = 0): number {
    if (this.destroyed) return 0;
    if (this.early) {
      // Numbered as the pacer will number them: its scheduled writes count from 1 per connection.
      const seq = dueAtMs === undefined ? 0 : ++this.earlySeq;
      this.early.push([bytes, dueAtMs, flowBytes, seq]);
      return seq;
    }
    // Stream frames keep their order behind earlier ones (due, or as soon as they can); control frames go at once.
    const due = dueAtMs === undefined ? 0 : Math.max(1, this.pump.toNs(dueAtMs > 0 ? dueAtMs : performance.now()));
    return this.pump.pacer.write(this.conn, bytes, due, flowBytes);
  }

  withdraw(seq: number): boolean {
    if (this.destroyed || seq === 0) return false;
    if (this.early) {
      const k = this.early.findIndex((e) => e[3] === seq);
      if (k < 0) return false;
      // The pacer numbers the timed writes it is given: a withdrawn early one stays, empty, to keep the numbers.
      this.early[k] = [Buffer.alloc(0), this.early[k]![1], 0, seq];
      return true;
    }
    return this.pump.pacer.withdraw(this.conn, seq);
  }

  credit(bytes: number): void {
    if (this.destroyed) return;
    if (this.early) this.earlyCredit += bytes;
    else this.pump.pacer.credit(this.conn, bytes);
  }

  end(): void {
    // Unary calls only: by the time a session ends its connection nothing is left to send but control frames.
    if (this.early) this.ending = true;
    else this.destroy();
  }

  destroy(error?: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.conn !== 0) this.pump.forget(this.conn);
    if (error) this.events.failed(error.message);
    this.socket.destroy();
  }

  /** The pacer saw the connection end (errno, or 0 for the server closing it). */
  lost(errno: number): void {
    if (this.destroyed) return;
    this.destroy(errno === 0 ? undefined : new Error(`connection lost (errno ${errno})`));
  }
}

/** This thread's pacer and the wires on it; collects what it did while a wire or a listener is left. */
class Pump {
  readonly pacer: NativePacer;
  readonly wires = new Map<number, PacedWire>();
  /** Wires still connecting: not yet on the pacer, but about to be; the pump must not stop under them. */
  private dialing = 0;
  /** Who is told after each collection, and how often each wants one (ms). */
  private readonly listeners = new Map<() => void, number>();
  private timer: NodeJS.Timeout | null = null;
  private everyMs = 0;
  /** The pacer's clock (ns) minus performance.now()'s (in ns): both are CLOCK_MONOTONIC. */
  private readonly offsetNs: number;

  constructor(Pacer: new () => NativePacer) {
    this.pacer = new Pacer();
    let best = Number.POSITIVE_INFINITY;
    let offset = 0;
    for (let k = 0; k < 5; k++) {
      const before = performance.now();
      const native = this.pacer.now();
      const after = performance.now();
      if (after - before < best) {
        best = after - before;
        offset = native - ((before + after) / 2) * 1e6;
      }
    }
    this.offsetNs = offset;
  }

  toNs(ms: number): number {
    return ms * 1e6 + this.offsetNs;
  }

  toMs(ns: number): number {
    return (ns - this.offsetNs) / 1e6;
  }

  dial(events: WireEvents, host: string, port: number): PacedWire {
    // Paused before it connects: Node never reads from it, so no byte is lost to the handover.
    const socket = connect({ host, port, noDelay: true });
    socket.pause();
    const wire = new PacedWire(this, socket, events);
    this.dialing++;
    let dialed = false;
    const settled = () => {
      if (dialed) return;
      dialed = true;
      this.dialing--;
    };
    socket.once('connect', () => {
      settled();
      const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
      if (fd < 0) wire.destroy(new Error('the socket has no descriptor to hand over'));
      else wire.handOver(fd);
      this.keepPumping();
    });
    socket.on('error', (e) => wire.destroyed || wire.destroy(e));
    socket.on('close', () => {
      settled();
      events.closed();
      this.stopIfIdle();
    });
    return wire;
  }

  forget(conn: number): void {
    this.pacer.remove(conn);
    this.wires.delete(conn);
    this.stopIfIdle();
  }

  /** Calls `listener` after each collection, at least every `everyMs`; returns how to stop. */
  onPump(listener: () => void, everyMs: number): () => void {
    this.listeners.set(listener, everyMs);
    this.keepPumping();
    return () => {
      this.listeners.delete(listener);
      if (!this.stopIfIdle()) this.keepPumping();
    };
  }

  /** Collects at the shortest interval anyone asked for (PUMP_MS when nobody did). */
  private keepPumping(): void {
    const everyMs = Math.min(PUMP_MS, ...this.listeners.values());
    if (this.timer !== null && everyMs === this.everyMs) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.everyMs = everyMs;
    this.timer = setInterval(() => this.pump(), everyMs);
  }

  /** Hands every wire what the pacer sent and read since the last time, then tells the listeners. */
  pump(): void {
    const got = this.pacer.poll();
    if (got !== null) {
      const { sent, reads, data, closed } = got;
      for (let k = 0; k < sent.length; k += 3)
        this.wires.get(sent[k]!)?.events.sent(sent[k + 1]!, this.toMs(sent[k + 2]!));
      for (let k = 0; k < reads.length; k += 4) {
        const wire = this.wires.get(reads[k]!);
        if (wire && !wire.destroyed)
          wire.events.data(data.subarray(reads[k + 2]!, reads[k + 3]!), this.toMs(reads[k + 1]!));
      }
      for (let k = 0; k < closed.length; k += 2) this.wires.get(closed[k]!)?.lost(closed[k + 1]!);
    }
    for (const listener of this.listeners.keys()) listener();
  }

  /** With no wire and no listener left, the interval and the pacer's thread end (a new Pump starts them again). */
  private stopIfIdle(): boolean {
    if (this.wires.size > 0 || this.listeners.size > 0 || this.dialing > 0) return false;
    if (pump !== this) return true; // stopped already
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.pacer.stop();
    if (pump === this) pump = null;
    return true;
  }
}

let pump: Pump | null = null;

function thisThreadsPump(): Pump {
  if (pump === null) {
    const Pacer = pacerClass();
    if (typeof Pacer === 'string') throw new Error(`cannot pace: ${Pacer}`);
    pump = new Pump(Pacer);
  }
  return pump;
}

/** Dials a paced wire (plain TCP only). */
export const dialPaced: Dialer = (target, events) => {
  if (target.tls) throw new Error('a paced wire carries plain TCP only');
  return thisThreadsPump().dial(events, target.host, target.port);
};

/** Runs `listener` after each collection of this thread's paced wires, at least every `everyMs`; returns a stop. */
export function onPump(listener: () => void, everyMs: number = PUMP_MS): () => void {
  return thisThreadsPump().onPump(listener, everyMs);
}

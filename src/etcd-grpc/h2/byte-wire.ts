// What a session's bytes travel on: a Node socket (dialSocket, below), or a
// wire whose writes go out at given times from another thread and whose reads
// come stamped with when they were read (src/load/transport/paced-wire.ts).
// The session sees only this interface.
import { connect, type Socket } from 'node:net';
import { connect as tlsConnect, type ConnectionOptions as TlsOptions } from 'node:tls';

export interface WireTarget {
  host: string;
  port: number;
  /** TLS (https): CA, client certificate, verification; undefined: plain text. */
  tls?: TlsOptions | undefined;
}

export interface WireEvents {
  /** Connected (and for TLS, agreed on HTTP/2): writes go out from now on. */
  connected(): void;
  /**
   * Bytes read, and when (performance.now(): a paced wire's read, a socket's delivery; NaN when not known). `chunk`
   * may be reused once this returns (`Wire.borrowed`).
   */
  data(chunk: Buffer, atMs: number): void;
  /** A write numbered `seq` (Wire.write's answer) went out at `atMs` (performance.now()). */
  sent(seq: number, atMs: number): void;
  /** The connection failed (refused, reset, timed out); closed() follows. */
  failed(message: string): void;
  closed(): void;
}

export interface Wire {
  /** Whether a chunk handed to data() is reused after it returns (keep copies of what must outlive it). */
  readonly borrowed: boolean;
  /** Whether writes go out at the time asked and their send times come back through sent(). */
  readonly paced: boolean;
  /**
   * Writes bytes, in order: at once, or on a paced wire at `dueAtMs` (performance.now()). Returns the number its
   * send time is reported under (paced wires, timed writes), else 0. `flowBytes`: the HTTP/2 DATA payload in them,
   * which a wire that keeps the connection's send window (`keepsWindow`) spends when it writes them.
   */
  write(bytes: Buffer, dueAtMs?: number, flowBytes?: number): number;
  /**
   * A paced wire: the connection's send window is kept where the bytes are written, so it is spent when they go, not
   * when they are queued; the session passes the peer's stream-0 WINDOW_UPDATEs on with credit().
   */
  readonly keepsWindow?: boolean;
  credit?(bytes: number): void;
  /** A paced wire: takes back a timed write (its number) if none of it has gone; true when it never will. */
  withdraw?(seq: number): boolean;
  /** Closes once what was written has gone. */
  end(): void;
  /** Closes at once; with an error, reports it through failed() first. */
  destroy(error?: Error): void;
  readonly destroyed: boolean;
}

export type Dialer = (target: WireTarget, events: WireEvents) => Wire;

/** Bytes a plain connection reads into, reused for every read (`onread`): what is kept past a read is copied. */
const READ_BUFFER = 64 * 1024;

/**
 * A Node socket: plain TCP, or TLS that must agree to HTTP/2 (ALPN h2); no delay on small writes. A plain socket hands
 * its reads straight to `data` in one reused buffer (no stream machinery: about a third of the read path's CPU); a TLS
 * one through its 'data' events.
 */
export const dialSocket: Dialer = (target, events) => {
  const where = { host: target.host, port: target.port };
  let socket: Socket;
  if (!target.tls) {
    socket = connect({
      ...where,
      noDelay: true,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER),
        callback: (n, buf) => {
          // Stamped as the socket delivers it: the session's parsing and the answer's callback come after.
          events.data((buf as Buffer).subarray(0, n), performance.now());
          return true;
        },
      },
    });
    socket.once('connect', () => events.connected());
  } else {
    const tls = tlsConnect({ ...target.tls, ...where, ALPNProtocols: ['h2'] });
    tls.once('secureConnect', () => {
      tls.setNoDelay(true);
      if (tls.alpnProtocol !== 'h2')
        tls.destroy(new Error(`the server did not agree to HTTP/2 over TLS (ALPN ${tls.alpnProtocol})`));
      else events.connected();
    });
    tls.on('data', (chunk: Buffer) => events.data(chunk, performance.now()));
    socket = tls;
  }
  socket.on('error', (e) => events.failed(e.message));
  socket.on('close', () => events.closed());
  return {
    borrowed: !target.tls,
    paced: false,
    write: (bytes) => {
      socket.write(bytes);
      return 0;
    },
    end: () => socket.end(),
    destroy: (error) => socket.destroy(error),
    get destroyed() {
      return socket.destroyed;
    },
  };
};

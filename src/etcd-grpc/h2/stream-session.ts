// One HTTP/2 connection carrying long-lived bidirectional gRPC streams (etcd's
// Watch), apart from the unary hot path of grpc-session.ts: a stream opens
// with HEADERS and sends messages on it as asked, never ending its side; each
// gRPC message the server sends is handed over whole. Flow control both ways
// (every byte read is given back to the server once half a window is spent),
// SETTINGS, PING, GOAWAY, RST_STREAM and CONTINUATION as RFC 9113 asks.
import { FrameReader } from './frame-reader.js';
import * as f from './frames.js';
import { percentDecode } from './grpc-status.js';
import { encodeHeaderBlock, HpackDecoder } from './hpack.js';
import { type Dialer, dialSocket, type Wire, type WireTarget } from './byte-wire.js';

export interface StreamTarget extends WireTarget {
  dialTimeoutMs: number;
  dial?: Dialer | undefined;
}

export interface StreamEvents {
  /** One whole gRPC message from the server. */
  message(msg: Buffer): void;
  /** The stream ended: its gRPC status (0 when the server ended it cleanly), or why the connection went. */
  closed(code: number, details: string): void;
}

/** Bytes each side may have unanswered: a window a stream or the connection gives back once half is spent. */
const WINDOW = 1 << 24;

class Stream {
  /** Send window the server gave this stream. */
  window: number;
  /** Bytes of DATA read since the window was last given back. */
  received = 0;
  /** What arrived of the message being read. */
  inbox: Buffer[] = [];
  inboxBytes = 0;
  grpcStatus = -1;
  details = '';
  /** Messages waiting for send window, framed. */
  readonly outbox: Buffer[] = [];

  constructor(
    readonly id: number,
    readonly events: StreamEvents,
    window: number,
  ) {
    this.window = window;
  }
}

export class StreamSession {
  private readonly wire: Wire;
  private readonly streams = new Map<number, Stream>();
  private readonly decoder = new HpackDecoder();
  private nextId = 1;
  private sendWindow = f.DEFAULT_WINDOW;
  private peerInitialWindow = f.DEFAULT_WINDOW;
  private peerMaxFrame = f.DEFAULT_MAX_FRAME;
  private received = 0;
  private readonly frames = new FrameReader((type, flags, id, payload) => this.onFrame(type, flags, id, payload));
  private fragments: { id: number; endStream: boolean; parts: Buffer[] } | null = null;
  /** Why the connection ended; null while it is up. */
  closedBy: string | null = null;
  /** Resolves when the server's SETTINGS arrived; rejects when the connection ends first. */
  readonly ready: Promise<void>;
  private settle: (e?: Error) => void = () => undefined;

  constructor(private readonly target: StreamTarget) {
    this.ready = new Promise<void>((resolve, reject) => {
      this.settle = (e) => (e ? reject(e) : resolve());
    });
    this.ready.catch(() => undefined);
    let dialing: NodeJS.Timeout | undefined;
    this.wire = (target.dial ?? dialSocket)(target, {
      connected: () => clearTimeout(dialing),
      data: (chunk) => this.onData(chunk),
      sent: () => undefined,
      failed: (message) => this.end(`connection to ${target.host}:${target.port} failed: ${message}`),
      closed: () => {
        clearTimeout(dialing);
        this.end(`connection to ${target.host}:${target.port} closed`);
        this.settle(new Error(this.closedBy ?? 'closed'));
      },
    });
    dialing = setTimeout(
      () => this.wire.destroy(new Error(`no connection within ${target.dialTimeoutMs} ms`)),
      target.dialTimeoutMs,
    );
    this.wire.write(f.clientPreface(WINDOW));
  }

  /** Opens a stream to `path` (no deadline: it lives until closed); returns how to send on it and to cancel it. */
  open(path: string, token: string, events: StreamEvents): { send(message: Buffer): void; cancel(): void } {
    if (this.closedBy !== null) {
      const why = this.closedBy;
      queueMicrotask(() => events.closed(14, why));
      return { send: () => undefined, cancel: () => undefined };
    }
    const id = this.nextId;
    this.nextId += 2;
    const s = new Stream(id, events, this.peerInitialWindow);
    this.streams.set(id, s);
    const t = this.target;
    const block = encodeHeaderBlock([
      [':method', 'POST'],
      [':scheme', t.tls ? 'https' : 'http'],
      [':path', path],
      [':authority', `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['user-agent', 'etcd-disk-bench'],
      ...(token === '' ? [] : ([['token', token]] as [string, string][])),
    ]);
    this.wire.write(f.frame(f.HEADERS, f.END_HEADERS, id, block));
    return {
      send: (message) => {
        if (!this.streams.has(id)) return;
        const framed = Buffer.allocUnsafe(5 + message.length);
        framed[0] = 0;
        framed.writeUInt32BE(message.length, 1);
        message.copy(framed, 5);
        s.outbox.push(framed);
        this.flush(s);
      },
      cancel: () => {
        if (!this.streams.delete(id)) return;
        this.wire.write(f.wordsFrame(f.RST_STREAM, id, f.ERROR_CANCEL));
      },
    };
  }

  /** Ends every stream and the connection. */
  close(): void {
    this.end('closed by the load');
    this.wire.end();
  }

  private end(why: string): void {
    if (this.closedBy === null) this.closedBy = why;
    const gone = [...this.streams.values()];
    this.streams.clear();
    for (const s of gone) s.events.closed(14, why);
  }

  /** Sends what a stream has waiting, as far as the windows allow (in whole messages' frames, in order). */
  private flush(s: Stream): void {
    while (s.outbox.length > 0) {
      const data = s.outbox[0]!;
      const n = Math.min(data.length, this.sendWindow, s.window, this.peerMaxFrame);
      if (n <= 0) return;
      this.wire.write(f.frame(f.DATA, 0, s.id, data.subarray(0, n)));
      this.sendWindow -= n;
      s.window -= n;
      if (n === data.length) s.outbox.shift();
      else s.outbox[0] = data.subarray(n);
    }
  }

  private onData(chunk: Buffer): void {
    try {
      this.frames.read(chunk);
    } catch (e) {
      this.end(`protocol error from ${this.target.host}:${this.target.port}: ${(e as Error).message}`);
      this.wire.destroy();
    }
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    switch (type) {
      case f.DATA:
        this.onDataFrame(flags, id, payload);
        return;
      case f.HEADERS: {
        if (this.fragments) throw new Error('HEADERS inside another header block');
        const block = f.unpad(flags, payload, flags & f.PRIORITY ? 5 : 0);
        this.fragments = { id, endStream: (flags & f.END_STREAM) !== 0, parts: [Buffer.from(block)] };
        if (flags & f.END_HEADERS) this.headerBlockDone();
        return;
      }
      case f.CONTINUATION:
        if (!this.fragments || this.fragments.id !== id) throw new Error('CONTINUATION without HEADERS');
        this.fragments.parts.push(Buffer.from(payload));
        if (flags & f.END_HEADERS) this.headerBlockDone();
        return;
      case f.RST_STREAM:
        if (payload.length !== 4) throw new Error('RST_STREAM of the wrong size');
        this.finish(id, 14, `stream reset by the server (code ${payload.readUInt32BE(0)})`);
        return;
      case f.SETTINGS:
        this.settle();
        if (flags & f.ACK) return;
        if (payload.length % 6 !== 0) throw new Error('SETTINGS of the wrong size');
        for (let k = 0; k + 6 <= payload.length; k += 6)
          this.setting(payload.readUInt16BE(k), payload.readUInt32BE(k + 2));
        this.wire.write(f.frame(f.SETTINGS, f.ACK, 0));
        return;
      case f.PING:
        if (payload.length !== 8) throw new Error('PING of the wrong size');
        if (!(flags & f.ACK)) this.wire.write(f.frame(f.PING, f.ACK, 0, Buffer.from(payload)));
        return;
      case f.GOAWAY:
        if (payload.length < 8) throw new Error('GOAWAY too short');
        this.end(`the server went away (GOAWAY code ${payload.readUInt32BE(4)})`);
        this.wire.end();
        return;
      case f.WINDOW_UPDATE: {
        if (payload.length !== 4) throw new Error('WINDOW_UPDATE of the wrong size');
        const increment = payload.readUInt32BE(0) & f.MAX_STREAM_ID;
        if (id === 0) this.sendWindow += increment;
        else {
          const s = this.streams.get(id);
          if (s) s.window += increment;
        }
        for (const s of this.streams.values()) this.flush(s);
        return;
      }
      default:
    }
  }

  private setting(key: number, value: number): void {
    if (key === f.SETTINGS_INITIAL_WINDOW_SIZE) {
      const delta = value - this.peerInitialWindow;
      this.peerInitialWindow = value;
      for (const s of this.streams.values()) s.window += delta;
    } else if (key === f.SETTINGS_MAX_FRAME_SIZE) this.peerMaxFrame = value;
  }

  /** DATA: gives the bytes back to the server once half a window is read, and hands over each whole message. */
  private onDataFrame(flags: number, id: number, payload: Buffer): void {
    this.received += payload.length;
    if (this.received >= WINDOW / 2) {
      this.wire.write(f.wordsFrame(f.WINDOW_UPDATE, 0, this.received));
      this.received = 0;
    }
    const s = this.streams.get(id);
    if (!s) return;
    s.received += payload.length;
    if (s.received >= WINDOW / 2) {
      this.wire.write(f.wordsFrame(f.WINDOW_UPDATE, id, s.received));
      s.received = 0;
    }
    const data = f.unpad(flags, payload);
    if (data.length > 0) {
      s.inbox.push(Buffer.from(data));
      s.inboxBytes += data.length;
      this.deliver(s);
    }
    if (flags & f.END_STREAM) this.finish(id, s.grpcStatus < 0 ? 2 : s.grpcStatus, s.details);
  }

  /** Hands over every whole gRPC message the stream holds (5-byte prefix: compressed flag, length). */
  private deliver(s: Stream): void {
    while (s.inboxBytes >= 5) {
      const all = s.inbox.length === 1 ? s.inbox[0]! : Buffer.concat(s.inbox);
      s.inbox = [all];
      if (all[0] !== 0) throw new Error('a compressed gRPC message, not asked for');
      const length = all.readUInt32BE(1);
      if (all.length < 5 + length) return;
      const msg = all.subarray(5, 5 + length);
      const rest = all.subarray(5 + length);
      s.inbox = rest.length > 0 ? [rest] : [];
      s.inboxBytes = rest.length;
      s.events.message(msg);
    }
  }

  private headerBlockDone(): void {
    const { id, endStream, parts } = this.fragments!;
    this.fragments = null;
    const s = this.streams.get(id);
    this.decoder.decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts), (name, value) => {
      if (!s) return;
      if (name === 'grpc-status') s.grpcStatus = Number(value);
      else if (name === 'grpc-message') s.details = percentDecode(value);
    });
    if (endStream && s) this.finish(id, s.grpcStatus < 0 ? 2 : s.grpcStatus, s.details);
  }

  private finish(id: number, code: number, details: string): void {
    const s = this.streams.get(id);
    if (!s) return;
    this.streams.delete(id);
    s.events.closed(code, details);
  }
}

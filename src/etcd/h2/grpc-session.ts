// One HTTP/2 connection carrying unary gRPC calls to one method, written for
// the load's hot path: a request is one write of two frames (HEADERS from a
// block made once per connection, DATA with the message), and an answer is
// read frame by frame from the socket with no per-call promise or decoding of
// the response message (only its status). Flow control both ways, SETTINGS,
// PING, GOAWAY and RST_STREAM as RFC 9113 asks; deadlines by a sweep every
// SWEEP_MS shared by all sessions of the thread (no timer per call).
import { type Socket, connect } from 'node:net';
import { type ConnectionOptions as TlsOptions, connect as tlsConnect } from 'node:tls';
import { status } from '@grpc/grpc-js';
import * as f from './frames.js';
import { codeOfHttp, codeOfReset, percentDecode } from './grpc-status.js';
import { encodeHeaderBlock, HpackDecoder } from './hpack.js';

/** Called once per call: code 0 and '' for OK, else the gRPC status code and its details. */
export type CallDone = (code: number, details: string) => void;

export interface SessionTarget {
  host: string;
  port: number;
  /** The method's path, e.g. /etcdserverpb.KV/Put. */
  path: string;
  deadlineMs: number;
  dialTimeoutMs: number;
  /** TLS (https): CA, client certificate, verification; undefined: plain text. */
  tls?: TlsOptions | undefined;
}

interface Call {
  done: CallDone;
  /** The sweep's tick when the call was sent. */
  tick: number;
  /** Send window left for this stream (only read while its message waits for window). */
  window: number;
  httpStatus: string;
  grpcStatus: number;
  message: string;
}

interface Pending {
  id: number;
  data: Buffer;
  offset: number;
}

const RECEIVE_WINDOW = 1 << 30;
const SWEEP_MS = 100;
const live = new Set<GrpcSession>();
let sweepTick = 0;
let sweeper: NodeJS.Timeout | null = null;

function sweep(): void {
  sweepTick++;
  for (const s of live) s.expire(sweepTick);
}

/** Opens the connection: plain TCP, or TLS that must agree to HTTP/2 (ALPN h2); no delay on small writes. */
function dial(target: SessionTarget): Socket {
  const where = { host: target.host, port: target.port };
  if (!target.tls) return connect({ ...where, noDelay: true });
  const socket = tlsConnect({ ...target.tls, ...where, ALPNProtocols: ['h2'] });
  socket.once('secureConnect', () => {
    socket.setNoDelay(true);
    if (socket.alpnProtocol !== 'h2')
      socket.destroy(new Error(`the server did not agree to HTTP/2 over TLS (ALPN ${socket.alpnProtocol})`));
  });
  return socket;
}

export class GrpcSession {
  private readonly socket: Socket;
  private readonly calls = new Map<number, Call>();
  private readonly decoder = new HpackDecoder();
  private readonly block: Buffer;
  private readonly deadlineTicks: number;
  private nextId = 1;
  private sendWindow = f.DEFAULT_WINDOW;
  private peerInitialWindow = f.DEFAULT_WINDOW;
  private peerMaxFrame = f.DEFAULT_MAX_FRAME;
  private received = 0;
  private readonly pending: Pending[] = [];
  private inbuf: Buffer | null = null;
  /** A header block arriving in HEADERS + CONTINUATION frames. */
  private fragments: { id: number; endStream: boolean; parts: Buffer[] } | null = null;
  private current: Call | null = null;
  private readonly onField = (name: string, value: string) => {
    const c = this.current;
    if (!c) return;
    if (name === ':status') c.httpStatus = value;
    else if (name === 'grpc-status') c.grpcStatus = Number(value);
    else if (name === 'grpc-message') c.message = percentDecode(value);
  };
  /** Set when the server's SETTINGS arrived or the connection ended. */
  readonly settled: Promise<void>;
  private settle: () => void = () => undefined;
  /** Why the session takes no more calls (closed, failed, or told to go away); null while it does. */
  closedBy: string | null = null;
  /** When it stopped taking calls for good (performance.now()), 0 while it takes them. */
  closedAtMs = 0;

  constructor(private readonly target: SessionTarget) {
    this.block = encodeHeaderBlock([
      [':method', 'POST'],
      [':scheme', target.tls ? 'https' : 'http'],
      [':path', target.path],
      [':authority', `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`],
      ['content-type', 'application/grpc'],
      ['te', 'trailers'],
      ['grpc-timeout', `${Math.min(99_999_999, Math.max(1, Math.ceil(target.deadlineMs)))}m`],
      ['user-agent', 'etcd-disk-bench'],
    ]);
    this.deadlineTicks = Math.max(1, Math.ceil(target.deadlineMs / SWEEP_MS));
    this.socket = dial(target);
    const dialing = setTimeout(
      () => this.socket.destroy(new Error(`no connection within ${target.dialTimeoutMs} ms`)),
      target.dialTimeoutMs,
    );
    this.settled = new Promise((r) => {
      this.settle = r;
    });
    this.socket.once(target.tls ? 'secureConnect' : 'connect', () => clearTimeout(dialing));
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    this.socket.on('error', (e) => this.end(`connection to ${target.host}:${target.port} failed: ${e.message}`));
    this.socket.on('close', () => {
      clearTimeout(dialing);
      this.end(`connection to ${target.host}:${target.port} closed`);
      this.settle();
    });
    this.socket.write(
      Buffer.concat([
        f.PREFACE,
        f.settingsFrame([
          [f.SETTINGS_ENABLE_PUSH, 0],
          [f.SETTINGS_INITIAL_WINDOW_SIZE, RECEIVE_WINDOW],
        ]),
        f.wordsFrame(f.WINDOW_UPDATE, 0, RECEIVE_WINDOW - f.DEFAULT_WINDOW),
      ]),
    );
    live.add(this);
    sweeper ??= setInterval(sweep, SWEEP_MS).unref();
  }

  get inFlight(): number {
    return this.calls.size;
  }

  /** Sends one call: `message` is the serialized request. */
  call(message: Buffer, done: CallDone): void {
    if (this.closedBy !== null) {
      done(status.UNAVAILABLE, this.closedBy);
      return;
    }
    const id = this.nextId;
    this.nextId += 2;
    if (this.nextId > f.MAX_STREAM_ID) this.closedBy = 'stream ids used up: a new connection is opened';
    const length = 5 + message.length;
    const call: Call = {
      done,
      tick: sweepTick,
      window: this.peerInitialWindow,
      httpStatus: '',
      grpcStatus: -1,
      message: '',
    };
    this.calls.set(id, call);
    const fits = this.pending.length === 0 && length <= Math.min(this.peerMaxFrame, this.sendWindow, call.window);
    const out = Buffer.allocUnsafe(f.FRAME_HEADER + this.block.length + (fits ? f.FRAME_HEADER + length : 0));
    let at = f.writeFrameHeader(out, 0, this.block.length, f.HEADERS, f.END_HEADERS, id);
    at += this.block.copy(out, at);
    if (fits) {
      at = f.writeFrameHeader(out, at, length, f.DATA, f.END_STREAM, id);
      out[at] = 0;
      out.writeUInt32BE(message.length, at + 1);
      message.copy(out, at + 5);
      this.sendWindow -= length;
      this.socket.write(out);
      return;
    }
    this.socket.write(out);
    const data = Buffer.allocUnsafe(length);
    data[0] = 0;
    data.writeUInt32BE(message.length, 1);
    message.copy(data, 5);
    this.pending.push({ id, data, offset: 0 });
    this.flush();
  }

  /** Sends what waits for send window, in order, as far as the windows allow. */
  private flush(): void {
    while (this.pending.length > 0) {
      const p = this.pending[0]!;
      const call = this.calls.get(p.id);
      if (!call) {
        this.pending.shift();
        continue;
      }
      const n = Math.min(p.data.length - p.offset, this.sendWindow, call.window, this.peerMaxFrame);
      if (n <= 0) return;
      const last = p.offset + n === p.data.length;
      this.socket.write(f.frame(f.DATA, last ? f.END_STREAM : 0, p.id, p.data.subarray(p.offset, p.offset + n)));
      p.offset += n;
      this.sendWindow -= n;
      call.window -= n;
      if (last) this.pending.shift();
    }
  }

  private onData(chunk: Buffer): void {
    let buf = this.inbuf ? Buffer.concat([this.inbuf, chunk]) : chunk;
    let p = 0;
    try {
      while (buf.length - p >= f.FRAME_HEADER) {
        const length = (buf[p]! << 16) | (buf[p + 1]! << 8) | buf[p + 2]!;
        if (buf.length - p < f.FRAME_HEADER + length) break;
        const payload = buf.subarray(p + f.FRAME_HEADER, p + f.FRAME_HEADER + length);
        this.onFrame(buf[p + 3]!, buf[p + 4]!, buf.readUInt32BE(p + 5) & f.MAX_STREAM_ID, payload);
        p += f.FRAME_HEADER + length;
      }
    } catch (e) {
      this.socket.destroy();
      this.end(`protocol error from ${this.target.host}:${this.target.port}: ${(e as Error).message}`, status.INTERNAL);
      return;
    }
    buf = buf.subarray(p);
    this.inbuf = buf.length > 0 ? Buffer.from(buf) : null;
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    switch (type) {
      case f.DATA:
        this.received += payload.length;
        if (this.received >= RECEIVE_WINDOW / 2) {
          this.socket.write(f.wordsFrame(f.WINDOW_UPDATE, 0, this.received));
          this.received = 0;
        }
        if (flags & f.END_STREAM) this.finish(id);
        return;
      case f.HEADERS: {
        let start = 0;
        let end = payload.length;
        if (flags & f.PADDED) end -= payload[start++]!;
        if (flags & f.PRIORITY) start += 5;
        this.fragments = { id, endStream: (flags & f.END_STREAM) !== 0, parts: [payload.subarray(start, end)] };
        if (flags & f.END_HEADERS) this.headerBlockDone();
        return;
      }
      case f.CONTINUATION:
        if (!this.fragments || this.fragments.id !== id) throw new Error('CONTINUATION without HEADERS');
        this.fragments.parts.push(payload);
        if (flags & f.END_HEADERS) this.headerBlockDone();
        return;
      case f.RST_STREAM:
        this.finish(
          id,
          codeOfReset(payload.readUInt32BE(0)),
          `stream reset by the server (code ${payload.readUInt32BE(0)})`,
        );
        return;
      case f.SETTINGS:
        if (flags & f.ACK) return;
        for (let k = 0; k + 6 <= payload.length; k += 6)
          this.setting(payload.readUInt16BE(k), payload.readUInt32BE(k + 2));
        this.socket.write(f.frame(f.SETTINGS, f.ACK, 0));
        this.flush();
        this.settle();
        return;
      case f.PING:
        if (!(flags & f.ACK)) this.socket.write(f.frame(f.PING, f.ACK, 0, payload));
        return;
      case f.GOAWAY:
        this.goAway(payload.readUInt32BE(0) & f.MAX_STREAM_ID, payload.readUInt32BE(4));
        return;
      case f.WINDOW_UPDATE: {
        const increment = payload.readUInt32BE(0) & f.MAX_STREAM_ID;
        if (id === 0) this.sendWindow += increment;
        else {
          const call = this.calls.get(id);
          if (call) call.window += increment;
        }
        this.flush();
        return;
      }
      default:
    }
  }

  private setting(key: number, value: number): void {
    if (key === f.SETTINGS_INITIAL_WINDOW_SIZE) {
      const delta = value - this.peerInitialWindow;
      for (const call of this.calls.values()) call.window += delta;
      this.peerInitialWindow = value;
    } else if (key === f.SETTINGS_MAX_FRAME_SIZE) this.peerMaxFrame = value;
  }

  private headerBlockDone(): void {
    const { id, endStream, parts } = this.fragments!;
    this.fragments = null;
    // Every block is decoded, a finished call's too: the dynamic table must follow the server's.
    this.current = this.calls.get(id) ?? null;
    this.decoder.decode(parts.length === 1 ? parts[0]! : Buffer.concat(parts), this.onField);
    this.current = null;
    if (endStream) this.finish(id);
  }

  /** Ends a call: with the code given, or from what its headers said. */
  private finish(id: number, code?: number, details?: string): void {
    const call = this.calls.get(id);
    if (!call) return;
    this.calls.delete(id);
    // Told to go away (or out of stream ids): the connection ends with its last call.
    if (this.closedBy !== null && this.calls.size === 0 && live.has(this)) this.socket.end();
    if (code !== undefined) call.done(code, details ?? '');
    else if (call.httpStatus !== '200')
      call.done(codeOfHttp(call.httpStatus), `Received HTTP status code ${call.httpStatus || '(none)'}`);
    else if (call.grpcStatus < 0) call.done(status.UNKNOWN, 'No status received');
    else call.done(call.grpcStatus, call.message);
  }

  private goAway(lastId: number, code: number): void {
    this.closedBy ??= `the server sent GOAWAY (code ${code})`;
    for (const id of [...this.calls.keys()]) if (id > lastId) this.finish(id, status.UNAVAILABLE, this.closedBy);
    if (this.calls.size === 0) this.socket.end();
  }

  /** Fails the calls past their deadline (called by the shared sweep). */
  expire(tick: number): void {
    for (const [id, call] of this.calls) {
      if (tick - call.tick <= this.deadlineTicks) continue;
      this.socket.write(f.wordsFrame(f.RST_STREAM, id, f.ERROR_CANCEL));
      this.finish(id, status.DEADLINE_EXCEEDED, 'Deadline exceeded');
    }
  }

  /** No more calls: the connection is gone or failed; every call in flight fails with `code`. */
  private end(reason: string, code: number = status.UNAVAILABLE): void {
    this.closedBy ??= reason;
    this.closedAtMs ||= performance.now();
    live.delete(this);
    for (const id of [...this.calls.keys()]) this.finish(id, code, reason);
    if (live.size === 0 && sweeper) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  /** Closes the connection (calls in flight fail). */
  close(): void {
    this.socket.destroy();
    this.end('the session was closed');
  }
}

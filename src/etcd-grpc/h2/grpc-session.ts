// One HTTP/2 connection carrying unary gRPC calls, written for the load's hot
// path: a request is one write of two frames (HEADERS from a block made once
// per method and token, DATA with the message), and an answer is read frame by
// frame from the socket with no per-call promise; the response message is
// handed over as bytes, undecoded. Flow control both ways, SETTINGS (the
// server's stream limit honoured by queueing), PING, GOAWAY, RST_STREAM and
// CONTINUATION as RFC 9113 asks. A call the server never processed (queued
// when the connection ended, above a GOAWAY's last stream, or refused with
// REFUSED_STREAM) is handed back to be sent again on another connection.
// Deadlines: one timer per thread, armed for the earliest deadline of any
// call in flight (no timer per call, and no wakeups while none is due: a
// sweep every few milliseconds cost the load 50 us of CPU per request here).
import { status } from '@grpc/grpc-js';
import { FrameReader } from './frame-reader.js';
import * as f from './frames.js';
import { codeOfHttp, codeOfReset, percentDecode } from './grpc-status.js';
import { encodeHeaderBlock, HpackDecoder } from './hpack.js';
import { type Dialer, dialSocket, type Wire, type WireTarget } from './byte-wire.js';

/**
 * Called once per call: code 0, '' and the response message for OK; else the gRPC code and its details. On a paced
 * wire also when the request went out and when its answer was read (performance.now()); NaN where not known.
 */
export type CallDone = (
  code: number,
  details: string,
  response: Buffer | null,
  sentAtMs: number,
  doneAtMs: number,
) => void;

export interface SessionTarget extends WireTarget {
  deadlineMs: number;
  dialTimeoutMs: number;
  /** What carries the bytes: a Node socket unless given. */
  dial?: Dialer | undefined;
}

/** A call as sent, and as handed back when it must be sent again elsewhere. */
export interface CallSpec {
  path: string;
  message: Buffer;
  done: CallDone;
  /** The auth token header, '' for none. */
  token: string;
  /** performance.now() after which the call has failed. */
  deadlineAt: number;
  /** Times it was handed back to go again. */
  resent: number;
  /** On a paced wire: when to send it (performance.now()); NaN: as soon as it can go. */
  dueAtMs: number;
}

/**
 * A call on the connection. A class, its fields set in one order in the constructor: every call has one shape, so
 * the hot path's property reads stay fast (object spreads made calls of several shapes, and cost 40 us a request).
 */
class Call implements CallSpec {
  /** Send window left for this stream (only read while its message waits for window). */
  window = 0;
  httpStatus = '';
  grpcStatus = -1;
  details = '';
  /** The response's first DATA payload, and any after it (a gRPC length-prefixed message, maybe split). */
  data: Buffer | null = null;
  more: Buffer[] | null = null;
  /** On a paced wire: the number its send time comes back under, and that time (NaN until known). */
  seq = 0;
  sentAtMs = Number.NaN;
  /** On a paced wire: the numbers of the DATA frames written after its HEADERS (a message longer than a window). */
  dataSeqs: number[] | null = null;

  constructor(
    readonly path: string,
    readonly message: Buffer,
    readonly done: CallDone,
    readonly token: string,
    readonly deadlineAt: number,
    readonly resent: number,
    readonly dueAtMs: number,
  ) {}

  /** The call as handed back to go again elsewhere (at once). */
  again(): CallSpec {
    return new Call(this.path, this.message, this.done, this.token, this.deadlineAt, this.resent + 1, Number.NaN);
  }
}

interface Pending {
  id: number;
  data: Buffer;
  offset: number;
}

const RECEIVE_WINDOW = 1 << 30;
/** How long a PING's answer is held back (ackPing); far below any server's keepalive timeout (grpc-go: 20 s). */
const PING_ACK_DELAY_MS = 200;
/**
 * Not a gRPC status: a call whose deadline came before the pacer wrote it. It never reached etcd, so it is the
 * client's, apart from etcd's DEADLINE_EXCEEDED.
 */
export const CLIENT_DEADLINE = -1;

/** RST_STREAM REFUSED_STREAM: the server did not process the stream (RFC 9113 8.7). */
const REFUSED_STREAM = 0x7;
const live = new Set<GrpcSession>();
let timer: NodeJS.Timeout | null = null;
/** When the armed timer fires (performance.now()); Infinity when none is armed. */
let armedAt = Number.POSITIVE_INFINITY;

/** Makes sure the deadline timer fires by `at` (calls share a deadline length, so this rarely moves it). */
function armDeadlineTimer(at: number): void {
  if (at >= armedAt) return;
  if (timer) clearTimeout(timer);
  armedAt = at;
  timer = setTimeout(expireDue, Math.max(0, at - performance.now())).unref();
}

/** Fails every call past its deadline, then arms the timer for the earliest deadline left. */
function expireDue(): void {
  timer = null;
  armedAt = Number.POSITIVE_INFINITY;
  const now = performance.now();
  let next = Number.POSITIVE_INFINITY;
  for (const s of live) next = Math.min(next, s.expire(now));
  if (next < Number.POSITIVE_INFINITY) armDeadlineTimer(next);
}

const EMPTY = Buffer.alloc(0);

/** The gRPC message inside a response's DATA (5-byte prefix: compressed flag, length); null if malformed. */
function messageOf(first: Buffer | null, more: Buffer[] | null): Buffer | null {
  if (first === null) return EMPTY;
  const all = more === null ? first : Buffer.concat([first, ...more]);
  if (all.length < 5 || all[0] !== 0) return null;
  const length = all.readUInt32BE(1);
  return all.length < 5 + length ? null : all.subarray(5, 5 + length);
}

export class GrpcSession {
  private readonly wire: Wire;
  private readonly calls = new Map<number, Call>();
  /** Calls waiting for the server's stream limit, in order. */
  private readonly queued: Call[] = [];
  private readonly decoder = new HpackDecoder();
  private readonly blocks = new Map<string, Buffer>();
  private nextId = 1;
  private sendWindow = f.DEFAULT_WINDOW;
  private peerInitialWindow = f.DEFAULT_WINDOW;
  private peerMaxFrame = f.DEFAULT_MAX_FRAME;
  private peerMaxStreams = Number.POSITIVE_INFINITY;
  private received = 0;
  private readonly pending: Pending[] = [];
  private readonly frames = new FrameReader((type, flags, id, payload) => this.onFrame(type, flags, id, payload));
  /** A header block arriving in HEADERS + CONTINUATION frames. */
  private fragments: { id: number; endStream: boolean; parts: Buffer[] } | null = null;
  private current: Call | null = null;
  /** Paced wire: calls whose send time has not come back yet, by the number it comes back under. */
  private readonly unsent = new Map<number, Call>();
  /** When the chunk being parsed was read (performance.now(); NaN on a wire that does not stamp reads). */
  private readAtMs = Number.NaN;
  /** A PING's answer held back (ackPing), and the timer that sends it. */
  private heldAck: Buffer | null = null;
  private ackTimer: NodeJS.Timeout | null = null;
  /** Whether a chunk's memory is reused after onData returns (a plain socket's read buffer): keep copies. */
  private readonly borrowed: boolean;
  private readonly onField = (name: string, value: string) => {
    const c = this.current;
    if (!c) return;
    if (name === ':status') c.httpStatus = value;
    else if (name === 'grpc-status') c.grpcStatus = Number(value);
    else if (name === 'grpc-message') c.details = percentDecode(value);
  };
  /** Set when the server's SETTINGS arrived or the connection ended. */
  readonly settled: Promise<void>;
  private settle: () => void = () => undefined;
  /** Why the session takes no more calls (closed, failed, or told to go away); null while it does. */
  closedBy: string | null = null;
  /** When it stopped taking calls for good (performance.now()), 0 while it takes them. */
  closedAtMs = 0;

  constructor(
    private readonly target: SessionTarget,
    /** Takes back a call the server never processed, to send it on another connection. */
    private readonly again: (call: CallSpec) => void = (c) =>
      c.done(status.UNAVAILABLE, 'not processed', null, Number.NaN, Number.NaN),
  ) {
    let dialing: NodeJS.Timeout | undefined;
    this.wire = (target.dial ?? dialSocket)(target, {
      connected: () => clearTimeout(dialing),
      data: (chunk, atMs) => this.onData(chunk, atMs),
      sent: (seq, atMs) => this.onSent(seq, atMs),
      failed: (message) => this.end(`connection to ${target.host}:${target.port} failed: ${message}`),
      closed: () => {
        clearTimeout(dialing);
        this.end(`connection to ${target.host}:${target.port} closed`);
        this.settle();
      },
    });
    this.borrowed = this.wire.borrowed;
    dialing = setTimeout(
      () => this.wire.destroy(new Error(`no connection within ${target.dialTimeoutMs} ms`)),
      target.dialTimeoutMs,
    );
    this.settled = new Promise((r) => {
      this.settle = r;
    });
    this.wire.write(f.clientPreface(RECEIVE_WINDOW));
    live.add(this);
  }

  /** Calls sent and not answered, and calls queued for the server's stream limit. */
  get inFlight(): number {
    return this.calls.size + this.queued.length;
  }

  /** The header block of a call to `path` with `token` (literal fields: no state shared with the server). */
  private block(path: string, token: string): Buffer {
    const key = token === '' ? path : `${path}\n${token}`;
    let b = this.blocks.get(key);
    if (!b) {
      const t = this.target;
      b = encodeHeaderBlock([
        [':method', 'POST'],
        [':scheme', t.tls ? 'https' : 'http'],
        [':path', path],
        [':authority', `${t.host.includes(':') ? `[${t.host}]` : t.host}:${t.port}`],
        ['content-type', 'application/grpc'],
        ['te', 'trailers'],
        ['grpc-timeout', `${Math.min(99_999_999, Math.max(1, Math.ceil(t.deadlineMs)))}m`],
        ['user-agent', 'etcd-disk-bench'],
        ...(token === '' ? [] : ([['token', token]] as [string, string][])),
      ]);
      if (this.blocks.size > 64) this.blocks.clear();
      this.blocks.set(key, b);
    }
    return b;
  }

  /** Sends one call: `message` is the serialized request; on a paced wire at `dueAtMs` (performance.now()). */
  call(path: string, message: Buffer, done: CallDone, token = '', dueAtMs = Number.NaN): void {
    const from = dueAtMs > 0 ? Math.max(performance.now(), dueAtMs) : performance.now();
    this.send(new Call(path, message, done, token, from + this.target.deadlineMs, 0, dueAtMs));
  }

  /** Whether this session's writes go out at the times asked (its wire is paced). */
  get paced(): boolean {
    return this.wire.paced;
  }

  /** Sends a call (a new one, or one handed back by another session). */
  send(spec: CallSpec): void {
    if (this.closedBy !== null) {
      spec.done(status.UNAVAILABLE, this.closedBy, null, Number.NaN, Number.NaN);
      return;
    }
    const call =
      spec instanceof Call
        ? spec
        : new Call(spec.path, spec.message, spec.done, spec.token, spec.deadlineAt, spec.resent, spec.dueAtMs);
    armDeadlineTimer(call.deadlineAt);
    if (this.calls.size >= this.peerMaxStreams) this.queued.push(call);
    else this.start(call);
  }

  /** Opens the call's stream: HEADERS, and DATA as far as the windows allow. */
  private start(call: Call): void {
    const id = this.nextId;
    this.nextId += 2;
    if (this.nextId > f.MAX_STREAM_ID) this.closedBy = 'stream ids used up: a new connection is opened';
    const { message } = call;
    const block = this.block(call.path, call.token);
    const length = 5 + message.length;
    call.window = this.peerInitialWindow;
    this.calls.set(id, call);
    // A wire that keeps the connection's window spends it when the bytes go (never early): only the stream's counts.
    const connWindow = this.wire.keepsWindow ? Number.POSITIVE_INFINITY : this.sendWindow;
    const fits = this.pending.length === 0 && length <= Math.min(this.peerMaxFrame, connWindow, call.window);
    const out = Buffer.allocUnsafe(f.FRAME_HEADER + block.length + (fits ? f.FRAME_HEADER + length : 0));
    let at = f.writeFrameHeader(out, 0, block.length, f.HEADERS, f.END_HEADERS, id);
    at += block.copy(out, at);
    if (fits) {
      at = f.writeFrameHeader(out, at, length, f.DATA, f.END_STREAM, id);
      out[at] = 0;
      out.writeUInt32BE(message.length, at + 1);
      message.copy(out, at + 5);
      if (!this.wire.keepsWindow) this.sendWindow -= length;
      call.window -= length;
      this.opened(call, this.wire.write(out, call.dueAtMs, length));
      return;
    }
    this.opened(call, this.wire.write(out, call.dueAtMs));
    const data = Buffer.allocUnsafe(length);
    data[0] = 0;
    data.writeUInt32BE(message.length, 1);
    message.copy(data, 5);
    this.pending.push({ id, data, offset: 0 });
    this.flush();
  }

  /** A call's stream was written (or queued to go at its time): its send time comes back under `seq`. */
  private opened(call: Call, seq: number): void {
    if (seq === 0) return;
    call.seq = seq;
    this.unsent.set(seq, call);
  }

  private onSent(seq: number, atMs: number): void {
    const call = this.unsent.get(seq);
    if (!call) return;
    this.unsent.delete(seq);
    call.sentAtMs = atMs;
  }

  /** Starts queued calls while the server's stream limit allows. */
  private dequeue(): void {
    while (this.queued.length > 0 && this.calls.size < this.peerMaxStreams && this.closedBy === null)
      this.start(this.queued.shift()!);
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
      const connWindow = this.wire.keepsWindow ? Number.POSITIVE_INFINITY : this.sendWindow;
      const n = Math.min(p.data.length - p.offset, connWindow, call.window, this.peerMaxFrame);
      if (n <= 0) return;
      const last = p.offset + n === p.data.length;
      // In order behind the stream's HEADERS (a paced wire sends stream frames in the order given).
      const frame = f.frame(f.DATA, last ? f.END_STREAM : 0, p.id, p.data.subarray(p.offset, p.offset + n));
      const seq = this.wire.write(frame, call.dueAtMs, n);
      if (seq !== 0) call.dataSeqs = [...(call.dataSeqs ?? []), seq];
      p.offset += n;
      if (!this.wire.keepsWindow) this.sendWindow -= n;
      call.window -= n;
      if (last) this.pending.shift();
    }
  }

  /** Bytes from the socket: whole frames are handled, a partial one kept for the next chunk. */
  onData(chunk: Buffer, atMs = Number.NaN): void {
    this.readAtMs = atMs;
    try {
      this.frames.read(chunk);
    } catch (e) {
      this.wire.destroy();
      this.end(`protocol error from ${this.target.host}:${this.target.port}: ${(e as Error).message}`, status.INTERNAL);
    }
  }

  private onFrame(type: number, flags: number, id: number, payload: Buffer): void {
    switch (type) {
      case f.DATA: {
        this.received += payload.length;
        if (this.received >= RECEIVE_WINDOW / 2) {
          this.wire.write(f.wordsFrame(f.WINDOW_UPDATE, 0, this.received));
          this.received = 0;
        }
        const call = this.calls.get(id);
        if (call && payload.length > 0) {
          const unpadded = flags & f.PADDED ? f.unpad(flags, payload) : payload;
          const data = this.borrowed ? Buffer.from(unpadded) : unpadded;
          if (call.data === null) call.data = data;
          else if (call.more === null) call.more = [data];
          else call.more.push(data);
        }
        if (flags & f.END_STREAM) this.finish(id);
        return;
      }
      case f.HEADERS: {
        if (this.fragments) throw new Error('HEADERS inside another header block');
        const block = f.unpad(flags, payload, flags & f.PRIORITY ? 5 : 0);
        const whole = (flags & f.END_HEADERS) !== 0;
        this.fragments = {
          id,
          endStream: (flags & f.END_STREAM) !== 0,
          parts: [whole || !this.borrowed ? block : Buffer.from(block)],
        };
        if (whole) this.headerBlockDone();
        return;
      }
      case f.CONTINUATION:
        if (!this.fragments || this.fragments.id !== id) throw new Error('CONTINUATION without HEADERS');
        this.fragments.parts.push(this.borrowed ? Buffer.from(payload) : payload);
        if (flags & f.END_HEADERS) this.headerBlockDone();
        return;
      case f.RST_STREAM: {
        if (payload.length !== 4) throw new Error('RST_STREAM of the wrong size');
        const code = payload.readUInt32BE(0);
        if (code === REFUSED_STREAM) this.handBack(id);
        else this.finish(id, codeOfReset(code), `stream reset by the server (code ${code})`);
        return;
      }
      case f.SETTINGS:
        if (flags & f.ACK) return;
        if (payload.length % 6 !== 0) throw new Error('SETTINGS of the wrong size');
        for (let k = 0; k + 6 <= payload.length; k += 6)
          this.setting(payload.readUInt16BE(k), payload.readUInt32BE(k + 2));
        this.wire.write(f.frame(f.SETTINGS, f.ACK, 0));
        this.flush();
        this.dequeue();
        this.settle();
        return;
      case f.PING:
        if (payload.length !== 8) throw new Error('PING of the wrong size');
        if (!(flags & f.ACK)) this.ackPing(payload);
        return;
      case f.GOAWAY:
        if (payload.length < 8) throw new Error('GOAWAY too short');
        this.goAway(payload.readUInt32BE(0) & f.MAX_STREAM_ID, payload.readUInt32BE(4));
        return;
      case f.WINDOW_UPDATE: {
        if (payload.length !== 4) throw new Error('WINDOW_UPDATE of the wrong size');
        const increment = payload.readUInt32BE(0) & f.MAX_STREAM_ID;
        if (id === 0) {
          this.sendWindow += increment;
          this.wire.credit?.(increment);
        } else {
          const call = this.calls.get(id);
          if (call) call.window += increment;
        }
        this.flush();
        return;
      }
      default:
    }
  }

  /**
   * Answers a PING, PING_ACK_DELAY_MS later. grpc-go's server sends a PING for its bandwidth estimate on the first
   * DATA after each answer, so answering at once costs every request one more read and one more write (a wakeup and
   * a syscall each: bench:client). Held back, it pings a few times a second. A second PING sends the held answer.
   */
  private ackPing(payload: Buffer): void {
    if (this.heldAck) this.sendHeldAck();
    this.heldAck = f.frame(f.PING, f.ACK, 0, payload);
    this.ackTimer = setTimeout(() => this.sendHeldAck(), PING_ACK_DELAY_MS).unref();
  }

  private sendHeldAck(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    const ack = this.heldAck;
    this.heldAck = null;
    if (ack && !this.wire.destroyed) this.wire.write(ack);
  }

  private setting(key: number, value: number): void {
    if (key === f.SETTINGS_INITIAL_WINDOW_SIZE) {
      const delta = value - this.peerInitialWindow;
      for (const call of this.calls.values()) call.window += delta;
      this.peerInitialWindow = value;
    } else if (key === f.SETTINGS_MAX_FRAME_SIZE) this.peerMaxFrame = value;
    else if (key === f.SETTINGS_MAX_CONCURRENT_STREAMS) this.peerMaxStreams = value;
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

  /** Takes a call off the connection without an answer. */
  private take(id: number): Call | null {
    const call = this.calls.get(id);
    if (!call) return null;
    this.calls.delete(id);
    if (call.seq !== 0) this.unsent.delete(call.seq);
    // Told to go away (or out of stream ids): the connection ends with its last call.
    if (this.closedBy !== null && this.calls.size === 0 && live.has(this)) this.wire.end();
    else this.dequeue();
    return call;
  }

  /** Hands a call the server never processed back, to go again on another connection. */
  private handBack(id: number): void {
    const call = this.take(id);
    if (call) this.again(call.again());
  }

  /** Ends a call: with the code given, or from what its headers said. */
  private finish(id: number, code?: number, details?: string): void {
    const call = this.take(id);
    if (!call) return;
    const sent = call.sentAtMs;
    const read = this.readAtMs;
    if (code !== undefined) call.done(code, details ?? '', null, sent, Number.NaN);
    else if (call.httpStatus !== '200')
      call.done(
        codeOfHttp(call.httpStatus),
        `Received HTTP status code ${call.httpStatus || '(none)'}`,
        null,
        sent,
        read,
      );
    else if (call.grpcStatus < 0) call.done(status.UNKNOWN, 'No status received', null, sent, read);
    else if (call.grpcStatus !== 0) call.done(call.grpcStatus, call.details, null, sent, read);
    else {
      const message = messageOf(call.data, call.more);
      if (message === null) call.done(status.INTERNAL, 'malformed response message', null, sent, read);
      else call.done(0, '', message, sent, read);
    }
  }

  private goAway(lastId: number, code: number): void {
    this.closedBy ??= `the server sent GOAWAY (code ${code})`;
    // Streams above the last one it processed were not: they go again elsewhere; those below are awaited.
    for (const id of [...this.calls.keys()]) if (id > lastId) this.handBack(id);
    for (const call of this.queued.splice(0)) this.again(call.again());
    if (this.calls.size === 0) this.wire.end();
  }

  /** Fails the calls past their deadline (the thread's deadline timer calls it); returns the earliest one left. */
  expire(now: number): number {
    let next = Number.POSITIVE_INFINITY;
    const due: [number, Call][] = [];
    for (const [id, call] of this.calls) {
      if (call.deadlineAt > now) next = Math.min(next, call.deadlineAt);
      else due.push([id, call]);
    }
    // Latest first: a stream's frames wait behind the streams opened before it, so taking back an earlier one first
    // would free the wire for a later expired one's HEADERS, which the pacer thread could write before we reach it.
    for (let k = due.length - 1; k >= 0; k--) this.expireCall(due[k]![0], due[k]![1]);
    for (let k = 0; k < this.queued.length; k++) {
      const call = this.queued[k]!;
      if (call.deadlineAt > now) {
        next = Math.min(next, call.deadlineAt);
        continue;
      }
      this.queued.splice(k--, 1);
      call.done(status.DEADLINE_EXCEEDED, 'Deadline exceeded', null, Number.NaN, Number.NaN);
    }
    return next;
  }

  /**
   * A call past its deadline. On a paced wire whose HEADERS are still queued it is taken back and never written: no
   * RST_STREAM can then reach a stream the server has not seen (RFC 9113 6.4, a connection error), and the server
   * never applies a request counted as failed. Otherwise what is still queued of it is taken back and RST_STREAM
   * follows what was written.
   */
  private expireCall(id: number, call: Call): void {
    // Its last frame first, as in expire: no later frame of it can go once an earlier one is taken back.
    const data = call.dataSeqs ?? [];
    for (let k = data.length - 1; k >= 0; k--) this.wire.withdraw?.(data[k]!);
    const k = this.pending.findIndex((p) => p.id === id);
    if (k >= 0) this.pending.splice(k, 1);
    if (call.seq !== 0 && this.unsent.has(call.seq) && this.wire.withdraw?.(call.seq)) {
      this.finish(id, CLIENT_DEADLINE, 'Deadline exceeded before the request was sent: never written');
      return;
    }
    this.wire.write(f.wordsFrame(f.RST_STREAM, id, f.ERROR_CANCEL));
    this.finish(id, status.DEADLINE_EXCEEDED, 'Deadline exceeded');
  }

  /** No more calls: the connection is gone or failed; every call in flight fails with `code`, queued ones go again. */
  private end(reason: string, code: number = status.UNAVAILABLE): void {
    this.closedBy ??= reason;
    this.closedAtMs ||= performance.now();
    live.delete(this);
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    for (const id of [...this.calls.keys()]) this.finish(id, code, reason);
    for (const call of this.queued.splice(0)) this.again(call.again());
    if (live.size === 0 && timer) {
      clearTimeout(timer);
      timer = null;
      armedAt = Number.POSITIVE_INFINITY;
    }
  }

  /** Closes the connection (calls in flight fail). */
  close(): void {
    this.wire.destroy();
    this.end('the session was closed');
  }
}

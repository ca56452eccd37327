// The load's requests on the tool's own HTTP/2 connections (h2/) instead of
// grpc-js: the same request bytes, a random host per call, the same deadline
// and error classes (castGrpcError on the "CODE NAME: details" message grpc-js
// builds), at a fraction of the CPU per request (bench:client). Plain text or
// TLS (the same CA, client certificate and verification as etcd3's channel).
// With a password it authenticates as etcd3 does: Authenticate, then the
// token in a "token" header, and on "invalid auth token" one new
// authentication and one resend. A call the server never processed (GOAWAY,
// REFUSED_STREAM, a connection lost while it waited) goes again, a few times
// at most, within its deadline.
import { isIP } from 'node:net';
import { status } from '@grpc/grpc-js';
import { EtcdInvalidAuthTokenError } from 'etcd3';
import type { ConnectionOptions } from '../../etcd/connection.js';
import { readTlsFiles } from '../../etcd/connection.js';
import {
  CLIENT_DEADLINE,
  type CallSpec,
  GrpcSession,
  type CallDone as SessionDone,
  type SessionTarget,
} from '../../etcd-grpc/h2/grpc-session.js';
import { decodeAuthenticate, encodeAuthenticate, METHOD, type Method } from '../../etcd-grpc/messages/etcd.js';
import { dialPaced, onPump } from './paced-wire.js';
import { type CallDone, grpcError, type Transport } from './transport.js';

/** After a connection failed, calls to that host fail at once for this long before it is dialed again. */
const REDIAL_MS = 1000;
/** A call handed back more often than this fails (a server that keeps refusing it). */
const MAX_RESENDS = 3;

/** An endpoint as the connection options give it (http://, https:// or a bare host:port). */
export function parseEndpoint(endpoint: string): { secure: boolean; host: string; port: number } | null {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(endpoint);
  return m ? { secure: m[1] === 'https', host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) } : null;
}

/** Each endpoint's session target: address, TLS as etcd3's channel would use it, deadline, dial timeout. */
export function targetsOf(o: ConnectionOptions, paced: boolean): SessionTarget[] {
  const files = readTlsFiles(o);
  return o.endpoints.map((e) => {
    const { secure, host, port } = parseEndpoint(e)!;
    const tls = secure
      ? {
          ...files,
          ...(isIP(host) ? {} : { servername: host }),
          ...(o.insecureSkipTlsVerify ? { rejectUnauthorized: false, checkServerIdentity: () => undefined } : {}),
        }
      : undefined;
    const dial = paced ? dialPaced : undefined;
    return { host, port, deadlineMs: o.requestTimeoutMs, dialTimeoutMs: o.dialTimeoutMs, tls, dial };
  });
}

/** A request whose deadline came before the pacer wrote it: never sent, the client's (its own error kind). */
export class ClientDeadlineError extends Error {
  override readonly name = 'ClientDeadlineError';
}

/** The error of a call that ended with `code`: etcd3's class for a gRPC status, or the client's own deadline. */
function callError(code: number, details: string): Error {
  return code === CLIENT_DEADLINE ? new ClientDeadlineError(details) : grpcError(code, details);
}

export class OwnTransport implements Transport {
  readonly name = 'own' as const;
  /** Whether these connection options can be dialed here: endpoints it can parse. */
  static usable(o: ConnectionOptions): boolean {
    return o.endpoints.length > 0 && o.endpoints.every((e) => parseEndpoint(e) !== null);
  }

  private readonly targets: SessionTarget[];
  private readonly sessions: (GrpcSession | null)[];
  /** Every session opened, a replaced one too (it may still await its last calls): close() ends them all. */
  private readonly opened = new Set<GrpcSession>();
  /** Without a password: each call's completion, adapted once per `done` the runner hands in (one per slot). */
  private readonly adapted = new WeakMap<CallDone, SessionDone>();
  private readonly again = (spec: CallSpec) => this.resend(spec);
  private token = '';
  private authenticating: Promise<void> | null = null;

  readonly onPump: ((listener: () => void, everyMs: number) => () => void) | undefined;

  /** `paced`: on the native pacer's wires (plain TCP endpoints only: connect-load.ts choosePacing). */
  constructor(
    private readonly conn: ConnectionOptions,
    paced = false,
  ) {
    this.targets = targetsOf(conn, paced);
    this.sessions = this.targets.map(() => null);
    this.onPump = paced ? onPump : undefined;
  }

  /** Dials every host and waits for each to answer, then authenticates; throws (naming the host) if one fails. */
  async ready(): Promise<void> {
    await Promise.all(
      this.targets.map(async (_, k) => {
        const s = this.session(k);
        await s.settled;
        if (s.closedBy !== null) throw grpcError(status.UNAVAILABLE, s.closedBy);
      }),
    );
    if (this.conn.auth) await this.authenticate();
  }

  /** Gets a token (one authentication at a time, however many calls found theirs invalid). */
  private authenticate(): Promise<void> {
    const auth = this.conn.auth!;
    this.authenticating ??= new Promise<void>((resolve, reject) => {
      this.pick().call(METHOD.authenticate, encodeAuthenticate(auth.username, auth.password), (code, details, r) => {
        this.authenticating = null;
        if (code !== 0) return reject(grpcError(code, details));
        this.token = decodeAuthenticate(r ?? Buffer.alloc(0));
        resolve();
      });
    });
    return this.authenticating;
  }

  send(method: Method, request: Buffer, done: CallDone, dueAtMs = Number.NaN): void {
    if (!this.conn.auth) {
      let cb = this.adapted.get(done);
      if (!cb) {
        cb = (code, details, response, sentAt, doneAt) =>
          done(code === 0 ? null : callError(code, details), response, sentAt, doneAt);
        this.adapted.set(done, cb);
      }
      this.pick().call(method, request, cb, '', dueAtMs);
      return;
    }
    const token = this.token;
    this.pick().call(
      method,
      request,
      (code, details, response, sentAt, doneAt) => {
        if (code === 0) return done(null, response, sentAt, doneAt);
        const e = callError(code, details);
        if (!(e instanceof EtcdInvalidAuthTokenError)) return done(e, null);
        // etcd3's way: authenticate again (unless another call already did) and send once more.
        const fresh = this.token !== token ? Promise.resolve() : this.authenticate();
        fresh.then(
          () =>
            this.pick().call(
              method,
              request,
              (c, d, r, sentAt, doneAt) => done(c === 0 ? null : callError(c, d), r, sentAt, doneAt),
              this.token,
            ),
          (a: Error) => done(a, null),
        );
      },
      token,
      dueAtMs,
    );
  }

  /** A call the server never processed: again on a session of a random host, within its deadline. */
  private resend(spec: CallSpec): void {
    if (spec.resent > MAX_RESENDS) {
      spec.done(status.UNAVAILABLE, `not processed by the server after ${MAX_RESENDS} resends`, null, NaN, NaN);
      return;
    }
    if (performance.now() >= spec.deadlineAt) {
      spec.done(status.DEADLINE_EXCEEDED, 'Deadline exceeded', null, NaN, NaN);
      return;
    }
    // On a live session, or a new one even within REDIAL_MS of a failure (this call never reached a server);
    // deferred, so a GOAWAY's hand-backs are not sent from inside its handling.
    queueMicrotask(() => this.pick(true).send(spec));
  }

  private pick(redial = false): GrpcSession {
    return this.session(this.targets.length === 1 ? 0 : Math.floor(Math.random() * this.targets.length), redial);
  }

  /** The host's session: a new one when the last went away, or failed over REDIAL_MS ago (or at all: `redial`). */
  private session(k: number, redial = false): GrpcSession {
    const s = this.sessions[k];
    const failedLately =
      s !== null && s !== undefined && s.closedAtMs > 0 && performance.now() - s.closedAtMs < REDIAL_MS;
    if (s && (s.closedBy === null || (failedLately && !redial))) return s;
    if (s) this.opened.delete(s);
    if (s?.closedAtMs === 0) this.opened.add(s); // told to go away, still finishing: closed with the rest
    const fresh = new GrpcSession(this.targets[k]!, this.again);
    this.sessions[k] = fresh;
    this.opened.add(fresh);
    return fresh;
  }

  close(): void {
    for (const s of this.opened) s.close();
    this.opened.clear();
  }
}

// Plain puts on the tool's own HTTP/2 connections (h2/grpc-session.ts)
// instead of grpc-js: the same request bytes, the same random host per call,
// deadline and error classes (castGrpcError on the same "CODE NAME: details"
// message grpc-js builds), at a fraction of the CPU per request (bench:client).
// Used for plain-text and TLS endpoints (the same CA, client certificate
// and verification as etcd3's channel); with password auth the client keeps
// etcd3's channel (raw-put.ts), which carries its token and re-authenticates.
import { isIP } from 'node:net';
import { status } from '@grpc/grpc-js';
import { castGrpcError, type Etcd3 } from 'etcd3';
import { type ConnectionOptions, connectionOf, readTlsFiles } from './connection.js';
import { type CallDone, GrpcSession, type SessionTarget } from './h2/grpc-session.js';
import type { PutDone } from './raw-put.js';

const PUT = '/etcdserverpb.KV/Put';
/** After a connection failed, calls to that host fail at once for this long before it is dialed again. */
const REDIAL_MS = 1000;

/** What a put path offers the load runner. */
export interface PutSender {
  ready(): Promise<void>;
  send(request: Buffer, done: PutDone): void;
  close(): void;
}

/** An endpoint as the connection options give it (http://, https:// or a bare host:port). */
function parseEndpoint(endpoint: string): { secure: boolean; host: string; port: number } | null {
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(endpoint);
  return m ? { secure: m[1] === 'https', host: m[2]!.replace(/^\[|\]$/g, ''), port: Number(m[3]) } : null;
}

/** Each endpoint's session target: address, TLS as etcd3's channel would use it, deadline, dial timeout. */
function targetsOf(o: ConnectionOptions): SessionTarget[] {
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
    return { host, port, path: PUT, deadlineMs: o.requestTimeoutMs, dialTimeoutMs: o.dialTimeoutMs, tls };
  });
}

/** An error as grpc-js would have made it, cast to etcd3's class for the code and message. */
export function grpcError(code: number, details: string): Error {
  const e = Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details });
  return castGrpcError(e);
}

export class H2Put implements PutSender {
  /** Whether a client's connections can be replaced: opened by openClient, no password, endpoints it can parse. */
  static usable(client: Etcd3): boolean {
    const o = connectionOf(client);
    return o !== undefined && o.auth === null && o.endpoints.every((e) => parseEndpoint(e) !== null);
  }

  private readonly targets: SessionTarget[];
  private readonly sessions: (GrpcSession | null)[];
  /** Each call's completion, adapted once per `done` the runner hands in (it keeps one per client slot). */
  private readonly adapted = new WeakMap<PutDone, CallDone>();

  constructor(client: Etcd3) {
    this.targets = targetsOf(connectionOf(client)!);
    this.sessions = this.targets.map(() => null);
    // The connections live as long as the etcd3 client they stand in for: closing it (every way a run ends
    // closes its clients) closes them.
    const closeClient = client.close.bind(client);
    client.close = () => {
      this.close();
      closeClient();
    };
  }

  /** Dials every host and waits for each to answer; throws (UNAVAILABLE, naming the host) if one cannot be reached. */
  async ready(): Promise<void> {
    await Promise.all(
      this.targets.map(async (_, k) => {
        const s = this.session(k);
        await s.settled;
        if (s.closedBy !== null) throw grpcError(status.UNAVAILABLE, s.closedBy);
      }),
    );
  }

  send(request: Buffer, done: PutDone): void {
    const k = this.targets.length === 1 ? 0 : Math.floor(Math.random() * this.targets.length);
    let cb = this.adapted.get(done);
    if (!cb) {
      cb = (code, details) => done(code === status.OK ? null : grpcError(code, details));
      this.adapted.set(done, cb);
    }
    this.session(k).call(request, cb);
  }

  /** The host's session: a new one when the last went away, or when it failed over REDIAL_MS ago. */
  private session(k: number): GrpcSession {
    const s = this.sessions[k];
    if (s && (s.closedBy === null || (s.closedAtMs > 0 && performance.now() - s.closedAtMs < REDIAL_MS))) return s;
    const fresh = new GrpcSession(this.targets[k]!);
    this.sessions[k] = fresh;
    return fresh;
  }

  close(): void {
    for (const s of this.sessions) s?.close();
  }
}

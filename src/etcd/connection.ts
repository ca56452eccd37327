// Opens etcd3 clients the way the tool needs them: etcd3's hidden retries
// and circuit breaker off (a retried put would hide an error and inflate its
// latency), a deadline on every unary call, TLS and password auth as
// etcdctl takes them.
import { readFileSync } from 'node:fs';
import { noop } from 'cockatiel';
import { Etcd3, type IOptions } from 'etcd3';
import { UsageError } from '../errors.js';

export interface ConnectionOptions {
  endpoints: string[];
  cacert: string;
  cert: string;
  key: string;
  /** null: no password authentication. */
  auth: { username: string; password: string } | null;
  dialTimeoutMs: number;
  requestTimeoutMs: number;
}

function readPem(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${path}: ${(e as Error).message}`, option.replace(/^--/, ''));
  }
}

/** The etcd3 options for one client. Reads the PEM files (a missing file is a usage error). */
export function clientOptions(o: ConnectionOptions): IOptions {
  const secure = o.endpoints.some((e) => e.startsWith('https://'));
  if ((o.cert === '') !== (o.key === '')) throw new UsageError('--cert and --key: give both (client certificate and its key) or neither', 'cert');
  if (!secure && (o.cacert || o.cert)) throw new UsageError('--cacert/--cert/--key need https:// endpoints', 'cacert');
  const credentials = secure && (o.cacert || o.cert)
    ? {
        rootCertificate: (o.cacert ? readPem('--cacert', o.cacert) : undefined) as Buffer,
        ...(o.cert ? { certChain: readPem('--cert', o.cert), privateKey: readPem('--key', o.key) } : {}),
      }
    : undefined;
  return {
    hosts: o.endpoints,
    dialTimeout: o.dialTimeoutMs,
    ...(credentials ? { credentials } : {}),
    ...(o.auth ? { auth: { username: o.auth.username, password: o.auth.password, callOptions: () => ({ deadline: Date.now() + o.requestTimeoutMs }) } } : {}),
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + o.requestTimeoutMs }),
    faultHandling: { host: () => noop, global: noop },
  } as IOptions;
}

/** A new client (one gRPC channel per endpoint). */
export function openClient(o: ConnectionOptions): Etcd3 {
  return new Etcd3(clientOptions(o));
}

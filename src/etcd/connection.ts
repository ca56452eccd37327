// Opens etcd3 clients the way the tool needs them: etcd3's hidden retries
// and circuit breaker off (a retried put would hide an error and inflate its
// latency), a deadline on every unary call, TLS and password auth as
// etcdctl takes them.
import { readFileSync } from 'node:fs';
import { credentials as grpcCredentials } from '@grpc/grpc-js';
import { noop } from 'cockatiel';
import { Etcd3, type IOptions } from 'etcd3';
import { UsageError } from '../core/errors.js';
import type { TlsMaterial } from './fetch-text.js';

export interface ConnectionOptions {
  endpoints: string[];
  cacert: string;
  cert: string;
  key: string;
  /** null: no password authentication. */
  auth: { username: string; password: string } | null;
  dialTimeoutMs: number;
  requestTimeoutMs: number;
  /** Accept any server certificate (etcdctl --insecure-skip-tls-verify). */
  insecureSkipTlsVerify: boolean;
  /** The most bytes one /metrics answer may be (--metrics-max-size); the reader's default without it. */
  metricsMaxBytes?: number;
}

function readPem(option: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${option}: cannot read ${path}: ${(e as Error).message}`, option.replace(/^--/, ''));
  }
}

/** The TLS files of a connection, read once and checked (a missing file is a usage error). */
export function readTlsFiles(o: ConnectionOptions): { ca?: Buffer; cert?: Buffer; key?: Buffer } {
  if ((o.cert === '') !== (o.key === ''))
    throw new UsageError('--cert and --key: give both (client certificate and its key) or neither', 'cert');
  return {
    ...(o.cacert ? { ca: readPem('--cacert', o.cacert) } : {}),
    ...(o.cert ? { cert: readPem('--cert', o.cert), key: readPem('--key', o.key) } : {}),
  };
}

/** The TLS material for reading /metrics over https with the same files as the client. */
export function tlsMaterial(c: ConnectionOptions): TlsMaterial {
  return {
    ...readTlsFiles(c),
    ...(c.insecureSkipTlsVerify ? { rejectUnauthorized: false } : {}),
    ...(c.metricsMaxBytes !== undefined ? { maxBytes: c.metricsMaxBytes } : {}),
  };
}

/** The etcd3 options for one client. */
export function clientOptions(o: ConnectionOptions): IOptions {
  const secure = o.endpoints.some((e) => e.startsWith('https://'));
  const files = readTlsFiles(o);
  if (!secure && (o.cacert || o.cert || o.insecureSkipTlsVerify))
    throw new UsageError('--cacert/--cert/--key/--insecure-skip-tls-verify need https:// endpoints', 'cacert');
  const credentials =
    secure && (o.cacert || o.cert || o.insecureSkipTlsVerify)
      ? { rootCertificate: files.ca as Buffer, ...(files.cert ? { certChain: files.cert, privateKey: files.key } : {}) }
      : undefined;
  return {
    hosts: o.endpoints,
    dialTimeout: o.dialTimeoutMs,
    ...(credentials ? { credentials } : {}),
    ...(o.auth
      ? {
          auth: {
            username: o.auth.username,
            password: o.auth.password,
            callOptions: () => ({ deadline: Date.now() + o.requestTimeoutMs }),
          },
        }
      : {}),
    // grpc-js shares one TCP connection among channels to the same address unless each keeps its own
    // subchannel pool: without this, --conns N opened one connection.
    grpcOptions: { 'grpc.use_local_subchannel_pool': 1 },
    defaultCallOptions: (ctx) => (ctx.isStream ? {} : { deadline: Date.now() + o.requestTimeoutMs }),
    faultHandling: { host: () => noop, global: noop },
  } as IOptions;
}

/** A new client (one gRPC channel per endpoint), retries and circuit breakers off. */
export function openClient(o: ConnectionOptions): Etcd3 {
  return newClient(o);
}

/**
 * A new client (one gRPC channel per endpoint). etcd3 builds its TLS
 * credentials itself with no way to pass verify options, so for
 * --insecure-skip-tls-verify grpc's createSsl is wrapped for the duration of
 * this synchronous constructor call only, adding { rejectUnauthorized: false }.
 */
function newClient(o: ConnectionOptions): Etcd3 {
  const options = clientOptions(o);
  if (!o.insecureSkipTlsVerify) return new Etcd3(options);
  const creds = grpcCredentials as { createSsl: typeof grpcCredentials.createSsl };
  const original = creds.createSsl;
  creds.createSsl = (root, key, chain) =>
    original(root, key, chain, { rejectUnauthorized: false, checkServerIdentity: () => undefined });
  try {
    return new Etcd3(options);
  } finally {
    creds.createSsl = original;
  }
}

// Connecting to a cluster from the connection flags every command takes
// (etcdctl's): the options a client is opened with, a password asked for at
// a terminal, and the first call's failure named as an environment error.
// What observe and the load share; it knows nothing of either.
import { EnvironmentError, UsageError } from '../core/errors.js';
import type { ConnectionOptions } from './connection.js';

/** Splits --user into name and password; null password means "ask". */
export function parseUser(user: string): { username: string; password: string | null } | null {
  if (user === '') return null;
  const i = user.indexOf(':');
  return i < 0 ? { username: user, password: null } : { username: user.slice(0, i), password: user.slice(i + 1) };
}

/** Makes the first call; a cluster we cannot reach is an environment error naming the endpoints. */
export async function reach<T>(endpoints: string[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (e) {
    if (e instanceof UsageError || e instanceof EnvironmentError) throw e;
    if (e instanceof Error && /auth|permission|password|token/i.test(`${e.constructor.name} ${e.message}`))
      throw new EnvironmentError(`etcd at ${endpoints.join(',')} refused our credentials: ${e.message}`, 'AUTH', {
        cause: e,
      });
    throw new EnvironmentError(
      `cannot reach etcd at ${endpoints.join(',')}: ` +
        `${e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e)}`,
      'UNREACHABLE',
      { cause: e },
    );
  }
}

/** The connection flags every command that talks to a cluster takes (etcdctl's). */
export interface ConnectionValues {
  /** --user: USER or USER:PASSWORD, '' for none. */
  user: string;
  cacert: string;
  cert: string;
  key: string;
  /** Nanoseconds, as the option table gives durations. */
  dialTimeout: number;
  requestTimeout: number;
  insecureSkipTlsVerify: boolean;
  /** Bytes: the most one /metrics answer may be. */
  metricsMaxSize?: number;
}

/** The connection options from the flags, asking for a password at a terminal when --user has none. */
export async function connection(
  o: ConnectionValues,
  endpoints: string[],
  ctx: { askPassword?: (user: string) => Promise<string> },
): Promise<ConnectionOptions> {
  const user = parseUser(o.user);
  let auth: ConnectionOptions['auth'] = null;
  if (user) {
    const password = user.password ?? (ctx.askPassword ? await ctx.askPassword(user.username) : null);
    if (password === null)
      throw new EnvironmentError(
        `--user ${user.username}: no password given and no terminal to ask for it; use --user ` +
          `${user.username}:PASSWORD or ETCDCTL_USER`,
      );
    auth = { username: user.username, password };
  }
  return {
    endpoints,
    cacert: o.cacert,
    cert: o.cert,
    key: o.key,
    auth,
    dialTimeoutMs: o.dialTimeout / 1e6,
    requestTimeoutMs: o.requestTimeout / 1e6,
    insecureSkipTlsVerify: o.insecureSkipTlsVerify,
    ...(o.metricsMaxSize !== undefined ? { metricsMaxBytes: o.metricsMaxSize } : {}),
  };
}

// Finds the etcd binary for a throwaway local cluster, or says exactly how to
// get one.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';

export const HOW_TO_GET_ETCD =
  'install it (Debian/Ubuntu: apt-get install etcd-server; or unpack an etcd release from the etcd project and put ' +
  'etcd on PATH) or pass --etcd-bin /path/to/etcd';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The etcd binary: `explicit` when given, else the first `etcd` on PATH; null when there is none. */
export function findEtcd(explicit: string): string | null {
  if (explicit !== '') return executable(explicit) ? explicit : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && executable(join(dir, 'etcd'))) return join(dir, 'etcd');
  }
  return null;
}

/** Like findEtcd, but throws an EnvironmentError with instructions. */
export function requireEtcd(explicit: string): string {
  const bin = findEtcd(explicit);
  if (bin) return bin;
  if (explicit !== '')
    throw new UsageError(`--etcd-bin: ${explicit} is not an executable file; ${HOW_TO_GET_ETCD}`, 'etcdBin');
  throw new EnvironmentError(`no etcd binary on PATH for the local etcd; ${HOW_TO_GET_ETCD}`);
}

/** "3.4.23", from `etcd --version`. */
export function etcdVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  return /etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown';
}

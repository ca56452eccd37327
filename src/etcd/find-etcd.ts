// Finds the etcd binary for a throwaway local cluster, or says exactly how to
// get one.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError, UsageError } from '../errors.js';
import { liveEtcdBinary } from './live-etcd-binary.js';

export const HOW_TO_GET_ETCD =
  'install it (Debian/Ubuntu: apt-get install etcd-server; or unpack an etcd release from the etcd project and put ' +
  'etcd on PATH) or pass --etcd-bin /path/to/etcd (or live: the binary of the etcd running on this node)';

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The etcd binary: `explicit` when given ('live': the live etcd's own, live-etcd-binary.ts; exit 2 when it cannot be
 * had), else the first `etcd` on PATH; null when there is none.
 */
export function findEtcd(explicit: string): string | null {
  if (explicit === 'live') return liveEtcdBinary().bin;
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

/** Where the etcd binary came from, in words, for the report. */
export function etcdSource(explicit: string, bin: string): string {
  if (explicit === 'live') return liveEtcdBinary().words;
  return explicit !== '' ? `--etcd-bin ${explicit}` : `etcd on PATH (${bin})`;
}

/** "3.4.23", from `etcd --version`. */
export function etcdVersion(bin: string): string {
  const out = execFileSync(bin, ['--version'], { encoding: 'utf8' });
  return /etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown';
}

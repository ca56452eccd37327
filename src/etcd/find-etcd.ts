// Finds the etcd binary for a throwaway local cluster, or says exactly how to
// get one.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { liveEtcdBinary, NoLiveEtcdError } from './live-etcd-binary.js';

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

/** The etcd binary chosen, and where it came from in words (for the report). */
export interface ChosenEtcd {
  bin: string;
  source: string;
  /** Why the first choice was not taken (`live,PATH` with no live etcd): said on stderr and in the report. */
  fallback?: string;
}

/** `live,PATH`: the live etcd's binary, else PATH, with a line saying so; null when not that form. */
function liveOr(explicit: string): string | null {
  const parts = explicit.split(',');
  if (parts.length === 1) return null;
  if (parts.length !== 2 || parts[0] !== 'live' || parts[1] === '' || parts[1] === 'live')
    throw new UsageError(
      `--etcd-bin: "${explicit}" is not allowed; expected a path, live, or live,PATH (the live etcd's binary, else ` +
        'PATH)',
      'etcdBin',
    );
  return parts[1]!;
}

/**
 * The etcd binary: `explicit` when given ('live': the live etcd's own, live-etcd-binary.ts, exit 2 when it cannot be
 * had; 'live,PATH': that, else PATH when no live etcd runs), else the first `etcd` on PATH; null when there is none.
 */
export function chooseEtcd(explicit: string): ChosenEtcd | null {
  const path = liveOr(explicit);
  if (path) {
    try {
      const live = liveEtcdBinary();
      return { bin: live.bin, source: live.words };
    } catch (e) {
      if (!(e instanceof NoLiveEtcdError)) throw e;
      if (!executable(path)) return null;
      const why = 'no live etcd runs on this node';
      return { bin: path, source: `${path} (${why})`, fallback: `${why}: the etcd phase runs ${path} instead` };
    }
  }
  if (explicit === 'live') {
    const live = liveEtcdBinary();
    return { bin: live.bin, source: live.words };
  }
  if (explicit !== '') return executable(explicit) ? { bin: explicit, source: `--etcd-bin ${explicit}` } : null;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const bin = join(dir, 'etcd');
    if (dir !== '' && executable(bin)) return { bin, source: `etcd on PATH (${bin})` };
  }
  return null;
}

/** The etcd binary's path (chooseEtcd), or null. */
export function findEtcd(explicit: string): string | null {
  return chooseEtcd(explicit)?.bin ?? null;
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
  let out: string;
  try {
    out = execFileSync(bin, ['--version'], { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new EnvironmentError(`the etcd binary ${bin} does not run (${bin} --version: ${(e as Error).message})`);
  }
  return /etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown';
}

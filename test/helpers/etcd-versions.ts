// The etcd versions this machine has for the tests: Debian's on PATH (3.4) and
// those scripts/etcd-versions.sh built from etcd's own modules (3.5-3.7), by
// minor. A test of a minor that is missing skips, saying why.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

export const MINORS = ['3.4', '3.5', '3.6', '3.7'] as const;
export type Minor = (typeof MINORS)[number];

let listed: Map<Minor, { version: string; bin: string }> | null = null;

/** Each minor's etcd binary and full version, from `scripts/etcd-versions.sh --list` (it builds nothing). */
export function etcdVersions(): Map<Minor, { version: string; bin: string }> {
  if (listed) return listed;
  listed = new Map();
  let out = '';
  try {
    out = execFileSync('bash', [join(PACKAGE_ROOT, 'scripts', 'etcd-versions.sh'), '--list'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return listed;
  }
  for (const line of out.split('\n')) {
    const [version = '', bin = ''] = line.split(' ');
    if (version === '' || !bin.endsWith('/etcd')) continue;
    const minor = MINORS.find((m) => version.startsWith(`${m}.`));
    if (minor && !listed.has(minor)) listed.set(minor, { version, bin });
  }
  return listed;
}

/** Why a minor cannot be tested here, or false. */
export function needsEtcd(minor: Minor): string | false {
  if (etcdVersions().has(minor)) return false;
  return minor === '3.4'
    ? "needs Debian's etcd-server (3.4) on PATH"
    : `needs etcd ${minor}: scripts/etcd-versions.sh builds it from etcd's Go modules (npm run setup; needs Go)`;
}

// What a system test needs from the machine, declared in one place: each
// requirement checked once, and a test skipped with the reason when one is
// missing (`test(name, { skip: needs('root', 'etcd') }, ...)`). `npm run setup`
// installs all (CI runs it); the test runner's summary says so once.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { slowfsUnavailable } from '../../src/lab/slowfs.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

export type Requirement =
  | 'root'
  | 'etcd'
  | 'fio'
  | 'tmux'
  | 'slowfs'
  | 'prometheus'
  | 'node-exporter'
  | 'chromium'
  | 'nobody-reads-checkout';

const on = (bin: string) => spawnSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' }).status === 0;

const CHECKS: Record<Requirement, () => string | null> = {
  root: () => (process.getuid?.() === 0 && canMount() ? null : 'needs root that may mount (small tmpfs filesystems)'),
  etcd: () => (on('etcd') ? null : 'needs an etcd binary on PATH (Debian: etcd-server)'),
  fio: () => (on('fio') ? null : 'needs fio on PATH'),
  tmux: () => (on('tmux') ? null : 'needs tmux'),
  prometheus: () => (on('prometheus') ? null : "needs Debian's prometheus"),
  chromium: () => (on('chromium') ? null : "needs Debian's chromium"),
  'node-exporter': () => (on('prometheus-node-exporter') ? null : "needs Debian's prometheus-node-exporter"),
  'nobody-reads-checkout': () =>
    nobodyReads(join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js'))
      ? null
      : 'needs the checkout readable by an unprivileged user (uid 65534): it lies under a directory others may ' +
        'not enter (e.g. made by mktemp -d)',
  slowfs: () =>
    slowfsUnavailable() ?? (existsSync('/dev/fuse') ? null : 'needs /dev/fuse (FUSE in the kernel or the container)'),
};
/** Whether uid 65534 can read `file` (every directory above it enterable). */
function nobodyReads(file: string): boolean {
  const r = spawnSync('setpriv', ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', 'test', '-r', file], {
    stdio: 'ignore',
  });
  return r.status === 0;
}

/** Whether a tmpfs can be mounted here (root in a container may still be refused). */
function canMount(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'edb-can-mount-'));
  try {
    if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { stdio: 'ignore' }).status !== 0)
      return false;
    spawnSync('umount', [dir], { stdio: 'ignore' });
    return true;
  } finally {
    rmdirSync(dir);
  }
}

const seen = new Map<Requirement, string | null>();

/** false when every requirement is met, else why not (node:test's `skip` takes either). */
export function needs(...what: Requirement[]): string | false {
  for (const r of what) {
    if (!seen.has(r)) seen.set(r, CHECKS[r]());
    const why = seen.get(r);
    if (why) return why;
  }
  return false;
}

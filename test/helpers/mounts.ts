// Small real filesystems for tests: a read-only tmpfs (root can write through
// chmod, not through a read-only mount) and a tiny tmpfs that fills up.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';

/** Mounts a tmpfs at DIR/name with `options`; null when this machine does not let us mount. */
export function mountTmpfs(parent: string, name: string, options: string): string | null {
  const dir = join(parent, name);
  mkdirSync(dir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch {
    rmdirSync(dir);
    return null;
  }
  after(() => {
    // Lazy: a failed test may leave a process of the tool on it for a moment; the mount must go anyway.
    execFileSync('umount', ['--lazy', dir], { stdio: 'pipe' });
    rmdirSync(dir);
  });
  return dir;
}

/** The slowfs mounts whose line names `dir` (a test's own: other tests beside it hold theirs). */
export function slowfsMountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .filter((l) => l.includes(' - fuse.slowfs ') && l.includes(dir));
}

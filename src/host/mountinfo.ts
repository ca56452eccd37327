// Which mount a path lives on, from /proc/self/mountinfo (systeminformation
// cannot map a path to its mount or device), and from another process's
// mount table: /proc/PID/mountinfo is readable without privilege even where
// /proc/PID/root is not, and device numbers mean the same in every mount
// namespace, so it tells another process's disk across containers.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';

export interface MountFacts {
  mountPoint: string;
  /** The directory of the filesystem that is mounted there ("/" unless a bind mount of a subdirectory). */
  root: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw, relatime, ...) and the filesystem's own (discard, data=ordered, ...). */
  options: string;
  superOptions: string;
  /** "major:minor" of the filesystem's device (0:N for tmpfs, overlay, ...). */
  majMin: string;
}

const unescapeOctal = (s: string) => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses mountinfo lines: id parent maj:min root mountpoint options [optional...] - fstype source superoptions. */
export function parseMountinfo(text: string): MountFacts[] {
  const out: MountFacts[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (dash < 6 || f.length < dash + 4) continue;
    out.push({
      majMin: f[2]!,
      mountPoint: unescapeOctal(f[4]!),
      root: unescapeOctal(f[3]!),
      options: f[5]!,
      fsType: f[dash + 1]!,
      source: unescapeOctal(f[dash + 2]!),
      superOptions: f[dash + 3]!,
    });
  }
  return out;
}

/** True when `path` is `dir` or below it (both absolute and normalized). */
export function isWithin(path: string, dir: string): boolean {
  return dir === '/' || path === dir || path.startsWith(`${dir}/`);
}

/** The mount holding `path` (absolute, as the table's owner names it): the last-mounted of the longest mount points. */
export function mountHolding(path: string, mounts: MountFacts[]): MountFacts | null {
  const p = posix.normalize(path);
  let best: MountFacts | null = null;
  // A later line mounted over an earlier one at the same point hides it: >= keeps the later.
  for (const m of mounts)
    if (isWithin(p, m.mountPoint) && m.mountPoint.length >= (best?.mountPoint.length ?? -1)) best = m;
  return best;
}

/** Where `path` is inside its filesystem: the mount's root joined with the rest, comparable across namespaces. */
export function pathInFilesystem(path: string, mount: MountFacts): string {
  const rest = posix.relative(mount.mountPoint, posix.normalize(path));
  return posix.join(mount.root, rest);
}

/** The mount holding `path`: same device, longest mount point that contains it. */
export function mountOf(path: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): MountFacts | null {
  const real = realpathSync(path);
  const dev = statSync(real, { bigint: true }).dev;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  const majMin = `${major}:${minor}`;
  const candidates = parseMountinfo(mountinfo).filter((m) => m.majMin === majMin && isWithin(real, m.mountPoint));
  candidates.sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  return candidates[0] ?? null;
}

/** An overlay mount's upper directory (where its writes land), from its super options; null for any other mount. */
export function overlayUpperDir(m: MountFacts | null): string | null {
  if (m?.fsType !== 'overlay') return null;
  const opt = m.superOptions.split(',').find((o) => o.startsWith('upperdir='));
  return opt ? unescapeOctal(opt.slice('upperdir='.length)) : null;
}

// Where a directory lives, as a filesystem and a device, for this process's
// own directories and for another process's. Another process's directory is
// stat'ed through /proc/PID/root where we may enter it; where we may not (an
// unprivileged reader, another user's process) it is placed by that process's
// own mount table, which anyone may read: the mount holding the path, its
// device number and source, and the path inside that filesystem. Device
// numbers are the kernel's, the same in every mount namespace, so a container
// compares them with its own.
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deviceFacts, majMinOf } from './block-device.js';
import { isWithin, type MountFacts, mountHolding, parseMountinfo, pathInFilesystem } from './mountinfo.js';

/** A directory's identity on its filesystem. */
export type Id = { dev: bigint; ino: bigint };

export interface DirPlace {
  /** How it was placed: stat through /proc/PID/root (or our own stat), or the owner's mount table. */
  via: 'root' | 'mountinfo';
  /** "major:minor" of its filesystem. */
  majMin: string;
  /** The mount holding it, as its owner's mount table shows it (null when unreadable). */
  mount: MountFacts | null;
  /** The directory and each directory above it, as (dev, ino): when stat'ed. */
  chain: Id[] | null;
  /** Its path inside the filesystem (the mount's root joined with the rest): when placed by the mount table. */
  fsPath: string | null;
}

/**
 * How another process's directory relates to ours: it holds ours (`contains`), lies inside ours (`inside`), shares
 * the filesystem or a physical disk, is apart, or cannot be told apart (a filesystem that writes to another).
 */
export type Relation = 'inside' | 'contains' | 'filesystem' | 'device' | 'elsewhere' | 'unknown';

/** Filesystems whose writes land on another filesystem that its table does not name. */
const BACKED = /^(overlay|aufs|fuse(\..*)?|fuseblk)$/;

function idOf(path: string): Id | null {
  try {
    const s = statSync(path, { bigint: true });
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/** `dir` and each directory above it, as (dev, ino); empty when `dir` cannot be stat'ed. */
function ancestry(dir: string): Id[] {
  const out: Id[] = [];
  if (!idOf(dir)) return out;
  for (let d = dir; ; d = dirname(d)) {
    const id = idOf(d);
    if (id) out.push(id);
    if (d === dirname(d)) return out;
  }
}

const same = (a: Id, b: Id) => a.dev === b.dev && a.ino === b.ino;

/** The physical disks under a "major:minor" (empty when it is not a block device). */
export function disksOf(majMin: string): string[] {
  try {
    return deviceFacts(majMin)?.physical.map((p) => p.name) ?? [];
  } catch {
    return [];
  }
}

/** One of our own directories (it exists): stat'ed, and placed in our own mount table too. */
export function ownPlace(dir: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): DirPlace {
  const real = realpathSync(dir);
  const chain = ancestry(real);
  const mount = mountHolding(real, parseMountinfo(mountinfo));
  return {
    via: 'root',
    majMin: majMinOf(chain[0]!.dev),
    mount,
    chain,
    fsPath: mount ? pathInFilesystem(real, mount) : null,
  };
}

/**
 * A directory of another process, named as that process names it: through `root` (/proc/PID/root) when it can be
 * stat'ed there, else from that process's mount table. Null (with why) when neither tells.
 */
export function foreignPlace(
  path: string,
  root: string,
  mountinfo: string | null,
): { place: DirPlace; why: null } | { place: null; why: string } {
  const mounts = mountinfo === null ? null : parseMountinfo(mountinfo);
  const mount = mounts ? mountHolding(path, mounts) : null;
  const chain = ancestry(join(root, path));
  if (chain.length > 0)
    return {
      place: { via: 'root', majMin: majMinOf(chain[0]!.dev), mount, chain, fsPath: null },
      why: null,
    };
  if (mount)
    return {
      place: { via: 'mountinfo', majMin: mount.majMin, mount, chain: null, fsPath: pathInFilesystem(path, mount) },
      why: null,
    };
  return {
    place: null,
    why:
      mountinfo === null
        ? `neither ${root} nor its mount table (${dirname(root)}/mountinfo) can be read here`
        : `${root} cannot be entered here and no mount in its mount table holds ${path}`,
  };
}

/** How `theirs` relates to `ours` (our --dir): inside it, holding it, the same filesystem or disk, or apart. */
export function relate(ours: DirPlace, theirs: DirPlace, disks: (majMin: string) => string[] = disksOf): Relation {
  let sameFs: boolean;
  if (theirs.chain && ours.chain) {
    if (ours.chain.some((a) => same(a, theirs.chain![0]!))) return 'contains';
    if (theirs.chain.some((a) => same(a, ours.chain![0]!))) return 'inside';
    sameFs = theirs.majMin === ours.majMin;
  } else {
    const mine = ours.mount;
    const src = theirs.mount?.source ?? '';
    sameFs =
      theirs.majMin === (mine?.majMin ?? ours.majMin) ||
      (src.startsWith('/dev/') && src === mine?.source && theirs.mount?.fsType === mine.fsType);
    if (sameFs && theirs.fsPath !== null && mine && ours.fsPath !== null) {
      if (isWithin(ours.fsPath, theirs.fsPath)) return 'contains';
      if (isWithin(theirs.fsPath, ours.fsPath)) return 'inside';
    }
  }
  if (sameFs) return 'filesystem';
  const ourDisks = disks(ours.majMin);
  if (disks(theirs.majMin).some((d) => ourDisks.includes(d))) return 'device';
  if (BACKED.test(ours.mount?.fsType ?? '') || BACKED.test(theirs.mount?.fsType ?? '')) return 'unknown';
  return 'elsewhere';
}

// Which mount a path lives on, from /proc/self/mountinfo (systeminformation
// cannot map a path to its mount or device).
import { readFileSync, realpathSync, statSync } from 'node:fs';

export interface MountFacts {
  mountPoint: string;
  fsType: string;
  source: string;
  /** Per-mount options (rw, relatime, ...) and the filesystem's own (discard, data=ordered, ...). */
  options: string;
  superOptions: string;
  /** "major:minor" of the filesystem's device (0:N for tmpfs, overlay, ...). */
  majMin: string;
}

/** Parses mountinfo lines: id parent maj:min root mountpoint options [optional...] - fstype source superoptions. */
export function parseMountinfo(text: string): MountFacts[] {
  const out: MountFacts[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    const dash = f.indexOf('-');
    if (dash < 6 || f.length < dash + 4) continue;
    const unescapeOctal = (s: string) => s.replace(/\\(\d{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
    out.push({
      majMin: f[2]!,
      mountPoint: unescapeOctal(f[4]!),
      options: f[5]!,
      fsType: f[dash + 1]!,
      source: unescapeOctal(f[dash + 2]!),
      superOptions: f[dash + 3]!,
    });
  }
  return out;
}

/** The mount holding `path`: same device, longest mount point that contains it. */
export function mountOf(path: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): MountFacts | null {
  const real = realpathSync(path);
  const dev = statSync(real, { bigint: true }).dev;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  const majMin = `${major}:${minor}`;
  const inside = (mp: string) => mp === '/' || real === mp || real.startsWith(mp.endsWith('/') ? mp : `${mp}/`);
  const candidates = parseMountinfo(mountinfo).filter((m) => m.majMin === majMin && inside(m.mountPoint));
  candidates.sort((a, b) => b.mountPoint.length - a.mountPoint.length);
  return candidates[0] ?? null;
}

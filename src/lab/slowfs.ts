// Mounts slowfs (native/slowfs: a FUSE passthrough that sleeps before
// fsync/fdatasync) over a directory of ours, changes its delay while mounted,
// and unmounts it. The mount is registered for cleanup the moment it exists;
// slowfs itself unmounts when the tool dies (it asks for SIGTERM on its
// parent's death), so no mount outlives the run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CleanupRegistry } from '../run/cleanup.js';
import { EnvironmentError } from '../core/errors.js';
import { parseMountinfo } from '../host/mountinfo.js';
import { PACKAGE_ROOT } from '../core/paths.js';

export const SLOWFS_BIN = join(PACKAGE_ROOT, 'native', 'build', 'slowfs');

export interface SlowfsSettings {
  fsyncDelayUs: number;
  jitterUs?: number;
  spikeEvery?: number;
  spikeUs?: number;
  writeDelayUs?: number;
  failFsync?: boolean;
  /** Added to the next sync only (one stall of a known length), then back to 0. */
  onceUs?: number;
  /** Added to a WAL cut's syncs only: the fsync of a *.tmp file (the next segment) and every directory fsync. */
  cutFsyncUs?: number;
  /** fallocate fails with this errno (95: EOPNOTSUPP, as on a filesystem without it); 0 or absent: it works. */
  fallocateErrno?: number;
  /**
   * A burst-credit volume: each write and fsync takes a credit from a bucket of `size`, refilled at `rate` a
   * second (a new size starts full, or at `level`); once it is empty, each waits for its credit in turn. `burst`:
   * the volume's ceiling, operations a second even while credits last (0 or absent: none).
   */
  bucket?: { size: number; rate: number; level?: number; burst?: number };
  /**
   * Each sync also waits a delay drawn from these bins: [delay in us, weight] (a share of operations in a tail, or a
   * report's whole fdatasync distribution), at most DIST_MAX_BINS of them; absent: none.
   */
  dist?: [number, number][];
  /** Seeds the draws from `dist`: the same seed, the same sequence of delays. */
  seed?: number;
  /** The disk stalls for `stallUs` at the start of every `stallEveryMs` (counted from when it was set). */
  stallEveryMs?: number;
  stallUs?: number;
}

/** The most bins slowfs takes in a distribution (native/slowfs/draw.h). */
export const DIST_MAX_BINS = 4096;

/** A distribution as slowfs reads it: "US:W;US:W;..." (whole numbers), or why it cannot be one. */
export function distText(bins: [number, number][]): string {
  if (bins.length > DIST_MAX_BINS) throw new RangeError(`${bins.length} bins: slowfs takes at most ${DIST_MAX_BINS}`);
  if (bins.some(([us, w]) => !(us >= 0 && w >= 0 && Number.isFinite(us) && Number.isFinite(w))))
    throw new RangeError('a bin of a distribution is a delay and a weight, both 0 or more');
  if (bins.length > 0 && bins.every(([, w]) => Math.round(w) === 0))
    throw new RangeError('a distribution needs a weight above 0');
  return bins.map(([us, w]) => `${Math.round(us)}:${Math.round(w)}`).join(';');
}

export interface SlowfsMount {
  mountPoint: string;
  backing: string;
  process: ChildProcess;
  /** Changes the delays while mounted. */
  set(s: SlowfsSettings): void;
  /** The settings and counters slowfs reports (syncs, writes, failed; bucket_level, bucket_waited). */
  status(): Record<string, number>;
  unmount(): Promise<void>;
}

function settingsText(s: SlowfsSettings): string[] {
  return [
    `fsync_delay_us=${Math.round(s.fsyncDelayUs)}`,
    `jitter_us=${Math.round(s.jitterUs ?? 0)}`,
    `spike_every=${s.spikeEvery ?? 0}`,
    `spike_us=${Math.round(s.spikeUs ?? 0)}`,
    `write_delay_us=${Math.round(s.writeDelayUs ?? 0)}`,
    `fail_fsync=${s.failFsync ? 1 : 0}`,
    `cut_fsync_us=${Math.round(s.cutFsyncUs ?? 0)}`,
    `fallocate_errno=${s.fallocateErrno ?? 0}`,
    `dist=${distText(s.dist ?? [])}`,
    ...(s.seed !== undefined ? [`seed=${Math.round(s.seed)}`] : []),
    `stall_every_ms=${Math.round(s.stallEveryMs ?? 0)}`,
    `stall_us=${Math.round(s.stallUs ?? 0)}`,
    ...(s.onceUs !== undefined ? [`once_us=${Math.round(s.onceUs)}`] : []),
    ...(s.bucket
      ? [
          `bucket_size=${Math.round(s.bucket.size)}`,
          `bucket_rate=${Math.round(s.bucket.rate)}`,
          ...(s.bucket.level !== undefined ? [`bucket_level=${Math.round(s.bucket.level)}`] : []),
          `bucket_burst=${Math.round(s.bucket.burst ?? 0)}`,
        ]
      : []),
  ];
}

/** Whether `dir` is a mount point of slowfs right now. */
export function isSlowfsMounted(dir: string): boolean {
  return parseMountinfo(readFileSync('/proc/self/mountinfo', 'utf8')).some(
    (m) => m.mountPoint === dir && m.fsType === 'fuse.slowfs',
  );
}

/** Why slowfs cannot run here, or null when it can. */
export function slowfsUnavailable(): string | null {
  if (!existsSync(SLOWFS_BIN))
    return `slowfs is not built (${SLOWFS_BIN}); install libfuse3-dev and fuse3 (Debian) and run npm run build`;
  if (!existsSync('/dev/fuse')) return 'there is no /dev/fuse on this machine (FUSE is not available)';
  return null;
}

/** Mounts slowfs at `mountPoint` over `backing` (both existing, empty, ours). */
export async function mountSlowfs(
  backing: string,
  mountPoint: string,
  s: SlowfsSettings,
  cleanup: CleanupRegistry,
): Promise<SlowfsMount> {
  const why = slowfsUnavailable();
  if (why) throw new EnvironmentError(why);
  const child = spawn(SLOWFS_BIN, [backing, mountPoint, ...settingsText(s)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.on('error', () => undefined);
  const gone = () => child.exitCode !== null || child.signalCode !== null;
  const unmount = async () => {
    if (!gone()) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      });
    }
    // A daemon killed hard leaves the mount; detach it lazily.
    if (isSlowfsMounted(mountPoint)) spawnSync('umount', ['-l', mountPoint], { stdio: 'ignore' });
  };
  const unregister = cleanup.add(`unmount slowfs at ${mountPoint}`, unmount);
  const deadline = Date.now() + 10_000;
  while (!isSlowfsMounted(mountPoint)) {
    if (gone() || Date.now() > deadline) {
      await unmount();
      unregister();
      throw new EnvironmentError(
        `slowfs did not mount at ` +
          `${mountPoint}${gone() ? ` (it exited with ${child.exitCode ?? child.signalCode})` : ''}: ` +
          `${stderr.trim() || 'no message'}`,
      );
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const control = join(mountPoint, '.slowfs');
  return {
    mountPoint,
    backing,
    process: child,
    set: (next) => writeFileSync(control, settingsText(next).join(' ')),
    status: () =>
      Object.fromEntries(
        readFileSync(control, 'utf8')
          .trim()
          .split(/\s+/)
          .map((kv) => kv.split('='))
          .map(([k, v]) => [k!, Number(v)]),
      ),
    unmount: async () => {
      await unmount();
      unregister();
    },
  };
}

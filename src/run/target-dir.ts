// Checks on the directory a user points us at, all done before the run writes
// anything: it exists, it is not etcd's data, we can write there, whether
// O_DIRECT can take the block size, there is room (after removing what killed
// runs of ours left there), and what filesystem it is.
import { accessSync, constants, existsSync, readFileSync, statfsSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { EnvironmentError, UsageError, isSystemError } from '../core/errors.js';
import { majMinOf } from '../host/block-device.js';
import { mountOf, overlayUpperDir } from '../host/mountinfo.js';
import { removeLeftoverRunDirs } from './run-dir.js';
import { guardLiveEtcd, type LiveEtcdGuardRecord, type SharedEtcd } from './live-etcd-guard.js';

/** statfs f_type magic numbers of filesystems held in memory: no disk behind them, no disk verdict. */
const IN_MEMORY: Record<number, string> = {
  16914836: 'tmpfs',
  2240043254: 'ramfs',
};
const OVERLAY = 2035054128;
const KNOWN_FS: Record<number, string> = {
  61267: 'ext4',
  1481003842: 'xfs',
  2435016766: 'btrfs',
  801189825: 'zfs',
  26985: 'nfs',
  1702057286: 'fuse',
  4076150800: 'f2fs',
  [OVERLAY]: 'overlay',
  ...IN_MEMORY,
};

/** The filesystem type of a statfs magic number, in words. */
function fsName(type: number): string {
  return KNOWN_FS[type] ?? `unknown (0x${type.toString(16)})`;
}

/**
 * An overlay's writes land in its upper directory and its fsyncs pass through to the filesystem beneath: that one is
 * the disk. Returns its type and directory, or why it could not be reached.
 */
function overlayBacking(dir: string): { fsType: string; memory: boolean; upper: string } | { why: string } {
  const upper = overlayUpperDir(mountOf(dir));
  if (!upper) return { why: 'its mount table entry names no upper directory' };
  try {
    const t = statfsSync(upper).type;
    if (t === OVERLAY) return { why: `its upper directory ${upper} is an overlay too` };
    return { fsType: fsName(t), memory: t in IN_MEMORY, upper };
  } catch (e) {
    return { why: `its upper directory ${upper} cannot be reached from here (${(e as Error).message})` };
  }
}

/** Free-space margin kept on top of the test file. */
export const SPACE_MARGIN_BYTES = 64 * 1024 * 1024;

export interface TargetDir {
  dir: string;
  /** The filesystem that holds the writes: for an overlay, "overlay over <the upper directory's>". */
  fsType: string;
  /** Set when that filesystem is held in memory (tmpfs, ramfs): the run measures memory, not a disk. */
  memory: string | null;
  /** Device logical block size, when the directory is on a block device we could find. */
  logicalBlockSize: number | null;
  warnings: string[];
  /** Live etcds sharing the disk that --allow-live-etcd let the run go on beside. */
  liveEtcd: SharedEtcd[];
  /** What the live-etcd guard saw and decided. */
  liveEtcdGuard: LiveEtcdGuardRecord;
}

function refuseEtcdData(dir: string): void {
  const markers = basename(dir) === 'member' ? ['wal', 'snap'] : ['member/wal', 'member/snap'];
  for (const marker of markers) {
    if (existsSync(join(dir, marker)))
      throw new UsageError(
        `--dir: ${dir} holds etcd data (${marker}); refusing to write next to it. Point --dir at an empty ` +
          `directory on the same disk`,
        'dir',
      );
  }
}

/** The logical block size of the device holding `dir`, from sysfs; null when not a block device. */
export function logicalBlockSize(dir: string): number | null {
  const majMin = majMinOf(statSync(dir, { bigint: true }).dev);
  for (const rel of ['queue/logical_block_size', '../queue/logical_block_size']) {
    try {
      const n = Number(readFileSync(`/sys/dev/block/${majMin}/${rel}`, 'utf8').trim());
      if (Number.isInteger(n) && n > 0) return n;
    } catch {
      // not this level
    }
  }
  return null;
}

/** O_DIRECT writes of `blockSize` bytes must be a multiple of the device's logical block size (512 when unknown). */
export function checkDirectAlignment(lbs: number | null, blockSize: number): void {
  const align = lbs ?? 512;
  if (blockSize % align === 0) return;
  const lower = Math.floor(blockSize / align) * align;
  throw new UsageError(
    `--block-size: ${blockSize} bytes cannot be written with --direct (O_DIRECT) here: it must be a multiple of ` +
      `${align}, the ${lbs ? "device's logical block size" : 'usual logical block size'}; use ` +
      `${lower > 0 ? `${lower} or ` : ''}${lower + align}`,
    'blockSize',
  );
}

/**
 * Room for a phase that writes `bytes` under `dir`, checked as the phase starts (space is the environment's, and
 * changes between phases); throws an EnvironmentError (ENOSPC) when there is not.
 */
export function checkFreeSpace(dir: string, bytes: number): void {
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  if (free < bytes + SPACE_MARGIN_BYTES)
    throw new EnvironmentError(
      `--dir: ${dir} has ${free} bytes free; the run needs ${bytes} plus a ${SPACE_MARGIN_BYTES}-byte margin`,
      'ENOSPC',
    );
}

/** Validates DIR for a run (each phase checks its own room as it starts: checkFreeSpace). */
export function checkTargetDir(
  dirArg: string,
  opts: { direct: boolean; blockSize: number; allowLiveEtcd: boolean },
): TargetDir {
  const dir = resolve(dirArg);
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(dir);
  } catch (e) {
    if (isSystemError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR'))
      throw new UsageError(`--dir: ${dir} does not exist; give an existing directory on the disk to test`, 'dir');
    throw new EnvironmentError(
      `--dir: cannot stat ${dir}: ${(e as Error).message}`,
      isSystemError(e) ? e.code : undefined,
    );
  }
  if (!st.isDirectory()) throw new UsageError(`--dir: ${dir} is not a directory`, 'dir');
  refuseEtcdData(dir);
  const live = guardLiveEtcd(dir, opts.allowLiveEtcd);
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new EnvironmentError(
      `--dir: cannot write in ${dir} (${isSystemError(e) ? e.code : 'denied'}); choose a directory you can write to`,
      isSystemError(e) ? e.code : undefined,
    );
  }
  const lbs = logicalBlockSize(dir);
  if (opts.direct) checkDirectAlignment(lbs, opts.blockSize);
  // What killed runs left here counts against the free space: remove it first.
  const warnings = [...live.warnings, ...removeLeftoverRunDirs(dir)];
  const fs = statfsSync(dir);
  let fsType = fsName(fs.type);
  let memory = IN_MEMORY[fs.type] ?? null;
  if (fs.type === OVERLAY) {
    const b = overlayBacking(dir);
    if ('why' in b)
      warnings.push(
        `${dir} is on an overlay and ${b.why}: its fsyncs reach a filesystem this run cannot name, so the device ` +
          `facts are the overlay's`,
      );
    else {
      fsType = `overlay over ${b.fsType}`;
      if (b.memory) memory = `an overlay whose upper directory ${b.upper} is on ${b.fsType}`;
    }
  }
  if (memory)
    warnings.push(
      `${dir} is on ${memory}: memory, not a disk; its sync latency says nothing about a disk etcd could use, and ` +
        `the run gives no disk verdict (exit 4)`,
    );
  if (fsType === 'fuse')
    warnings.push(
      `${dir} is on a FUSE filesystem: every sync also pays the trip through its daemon, which can cost a grade ` +
        `the disk below would earn`,
    );
  return { dir, fsType, memory, logicalBlockSize: lbs, warnings, liveEtcd: live.shared, liveEtcdGuard: live.record };
}

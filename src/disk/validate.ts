// Checks between disk options (each option alone was checked by the table).
import { UsageError } from '../errors.js';
import { formatSize } from '../options/units.js';
import type { DiskOptions } from './options.js';

/** Throws a UsageError naming the options that cannot go together. */
export function validateDiskOptions(o: DiskOptions): void {
  if (o.size < o.blockSize)
    throw new UsageError(`--size: ${formatSize(o.size)} is smaller than --block-size ${formatSize(o.blockSize)}; the file must hold at least one block`, 'size');
  if (o.timeBased && o.runtime === 0) throw new UsageError('--time-based: needs --runtime (e.g. --runtime 60s) to know when to stop', 'timeBased');
  if (o.direct && o.engine === 'js') throw new UsageError('--direct: needs --engine native (Node cannot allocate the aligned buffers O_DIRECT requires)', 'direct');
  if (o.syncEvery > 1 && !['fdatasync', 'fsync'].includes(o.syncMethod))
    throw new UsageError(`--sync-every: applies only to --sync-method fdatasync or fsync, not ${o.syncMethod}`, 'syncEvery');
}

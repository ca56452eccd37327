// Checks between disk options (each option alone was checked by the table):
// options that cannot go together, and options that do not apply to the
// chosen mode when the user (or a profile) set them anyway.
import { UsageError } from '../core/errors.js';
import { DISK_OPTION_KEYS, keysWhen, specOf, type OptionKey } from '../options/table.js';
import { formatSize } from '../options/units.js';
import type { DiskOptionKey, ResolvedDiskOptions } from './disk-option-values.js';

// Where each option applies is declared in the option table (`when`).
const SEQ_ONLY = keysWhen('seq', DISK_OPTION_KEYS);
const WAL_ONLY = keysWhen('wal', DISK_OPTION_KEYS);
const COMMIT_ONLY = keysWhen('commit', DISK_OPTION_KEYS);
const NEIGHBOUR_ONLY = keysWhen('neighbours', DISK_OPTION_KEYS);

/** Throws a UsageError naming the options that cannot go together. */
export function validateDiskOptions(r: ResolvedDiskOptions): void {
  const o = r.values;
  // A gate the user turned off (`--profile wal --commit false`) takes the profile's settings behind it along.
  const refuseIfSet = (keys: DiskOptionKey[], why: string, gate?: DiskOptionKey) => {
    const gateOffByUser = gate !== undefined && !['default', 'profile'].includes(r.sources[gate]);
    for (const k of keys) {
      if (r.sources[k] === 'default' || (gateOffByUser && r.sources[k] === 'profile')) continue;
      const from = r.sources[k] === 'profile' ? ` (set by profile ${r.profile?.name})` : '';
      throw new UsageError(`${specOf(k as OptionKey).flag}${from}: ${why}`, k);
    }
  };
  const nativeOnly =
    o.mode === 'wal' || o.commit || o.neighbours > 0 || o.syncMethods.some((m) => m.startsWith('direct+'));
  if (nativeOnly && o.engine === 'js')
    throw new UsageError(
      '--engine: js cannot run --mode wal, --commit, --neighbours or direct+ methods; use --engine native',
      'engine',
    );
  if (o.mode === 'wal') {
    refuseIfSet(
      SEQ_ONLY,
      'does not apply to --mode wal (records come from --wal-record-size and --wal-batch; each batch is one ' +
        'write() and one fdatasync into fallocated segments)',
    );
  } else {
    refuseIfSet(WAL_ONLY, 'applies only to --mode wal');
    if (o.size < o.blockSize)
      throw new UsageError(
        `--size: ${formatSize(o.size)} is smaller than --block-size ${formatSize(o.blockSize)}; the file must hold ` +
          `at least one block`,
        'size',
      );
    if (o.timeBased && o.runtime === 0)
      throw new UsageError('--time-based: needs --runtime (e.g. --runtime 60s) to know when to stop', 'timeBased');
    if (o.direct && o.engine === 'js')
      throw new UsageError(
        '--direct: needs --engine native (Node cannot allocate the aligned buffers O_DIRECT requires)',
        'direct',
      );
    if (o.syncEvery > 1 && !['fdatasync', 'fsync'].includes(o.syncMethod))
      throw new UsageError(
        `--sync-every: applies only to --sync-method fdatasync or fsync, not ${o.syncMethod}`,
        'syncEvery',
      );
  }
  if (!o.commit) refuseIfSet(COMMIT_ONLY, 'applies only with --commit', 'commit');
  if (o.neighbours === 0) refuseIfSet(NEIGHBOUR_ONLY, 'applies only with --neighbours N', 'neighbours');
  if (o.neighbourDirect && o.neighbourBlockSize % 4096 !== 0)
    throw new UsageError(
      `--neighbour-block-size: ${o.neighbourBlockSize} bytes cannot be written with --neighbour-direct; use a ` +
        `multiple of 4096`,
      'neighbourBlockSize',
    );
  if (o.syncMethods.length > 0) {
    if (o.mode !== 'seq')
      throw new UsageError('--sync-methods: compares methods on the sequential writer; drop --mode wal', 'syncMethods');
    if (o.commit || o.neighbours > 0)
      throw new UsageError('--sync-methods: runs the methods alone; drop --commit and --neighbours', 'syncMethods');
    refuseIfSet(
      ['syncMethod', 'direct', 'syncEvery'],
      'conflicts with --sync-methods, which sets the method of each run',
    );
  }
}

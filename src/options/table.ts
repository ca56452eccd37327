// Every option of the tool, declared once: flag, fio alias, kind, unit,
// default, help and bounds. Commander flags, the TypeScript option types,
// profile validation and the README's options table are all derived from it.
import { boolOption, countOption, durationOption, enumOption, pathOption, rateOption, sizeOption, type OptionSpec } from './spec.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const TiB = 1024 * 1024 * MiB;

export const SYNC_METHODS = ['fdatasync', 'fsync', 'dsync', 'sync', 'none'] as const;
export const PREPARE_MODES = ['fallocate', 'truncate', 'none', 'overwrite'] as const;
export const ENGINES = ['native', 'js'] as const;

export const OPTIONS = {
  profile: pathOption({
    flag: '--profile', group: 'run', default: '',
    help: 'a profile name from profiles/ (fio-etcd, etcd-perf) or a path to a profile JSON file',
  }),
  dir: pathOption({
    flag: '--dir', aliases: ['--directory'], group: 'run', default: '.',
    help: 'directory on the disk to test; the run works only inside DIR/etcd-disk-bench-RUNID/ and removes it',
  }),
  json: boolOption({ flag: '--json', group: 'run', default: false, help: 'print the result object as JSON on stdout' }),
  engine: enumOption({
    flag: '--engine', choices: ENGINES, default: 'native',
    help: 'native: the C++ writer thread; js: fs.writeSync + fs.fdatasyncSync on the event loop (comparison, fallback)',
  }),
  blockSize: sizeOption({ flag: '--block-size', aliases: ['--bs'], default: 2300, min: 1, max: 64 * MiB, help: 'bytes per write()' }),
  size: sizeOption({ flag: '--size', default: 22 * MiB, min: 1, max: TiB, help: 'bytes of the test file, written sequentially' }),
  runtime: durationOption({
    flag: '--runtime', default: 0, min: 0, max: 7 * 86400e9,
    help: 'stop after this long (0: when --size is written); with --time-based, run exactly this long',
  }),
  timeBased: boolOption({
    flag: '--time-based', aliases: ['--time_based'], default: false,
    help: 'keep writing for --runtime, wrapping to the start of the file at --size (fio time_based)',
  }),
  syncMethod: enumOption({
    flag: '--sync-method', choices: SYNC_METHODS, default: 'fdatasync',
    help: 'fdatasync/fsync after writes, dsync/sync = open with O_DSYNC/O_SYNC, none = no sync at all',
  }),
  syncEvery: countOption({ flag: '--sync-every', default: 1, min: 1, max: 1_000_000, help: 'sync after every N writes' }),
  fdatasync: countOption({
    flag: '--fdatasync', default: 0, min: 0, max: 1_000_000,
    help: 'fio spelling: fdatasync after every N writes (0: no sync)',
    expands: (n) => (n === 0 ? { syncMethod: 'none', syncEvery: 1 } : { syncMethod: 'fdatasync', syncEvery: n }),
  }),
  fsync: countOption({
    flag: '--fsync', default: 0, min: 0, max: 1_000_000,
    help: 'fio spelling: fsync after every N writes (0: no sync)',
    expands: (n) => (n === 0 ? { syncMethod: 'none', syncEvery: 1 } : { syncMethod: 'fsync', syncEvery: n }),
  }),
  direct: boolOption({ flag: '--direct', default: false, help: 'open with O_DIRECT (block size must be a multiple of the logical block size)' }),
  prepare: enumOption({
    flag: '--prepare', choices: PREPARE_MODES, default: 'fallocate',
    help: 'file layout before the clock starts: fallocate (fio, etcd WAL), truncate (sparse), none (append), overwrite (pre-written)',
  }),
  rate: rateOption({
    flag: '--rate', aliases: ['--rate_iops', '--rate-iops'], default: 0, max: 1_000_000,
    help: 'open loop at this many operations/s, recording response time from each intended start (0: as fast as possible)',
  }),
  syncP99Limit: durationOption({
    flag: '--sync-p99-limit', group: 'threshold', default: 10e6, min: 1e3, max: 60e9,
    help: 'the sync p99 must stay below this (etcd FAQ: WAL fdatasync p99 < 10 ms)',
  }),
} as const;

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<S> = S extends OptionSpec<infer V> ? V : never;
/** Every option's value, typed from the table. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };

/** The options the `disk` command accepts. */
export const DISK_OPTION_KEYS = [
  'profile', 'dir', 'json', 'engine', 'blockSize', 'size', 'runtime', 'timeBased', 'syncMethod', 'syncEvery',
  'fdatasync', 'fsync', 'direct', 'prepare', 'rate', 'syncP99Limit',
] as const satisfies readonly OptionKey[];

/** Looks an option up by key without losing the general spec type. */
export function specOf(key: OptionKey): OptionSpec<unknown> {
  return OPTIONS[key] as unknown as OptionSpec<unknown>;
}

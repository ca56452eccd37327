// Every option of the tool, declared once: flag, fio alias, kind, unit,
// default, help and bounds. Commander flags, the TypeScript option types,
// profile validation and the README's options table are all derived from it.
import { boolOption, countOption, durationOption, enumOption, listOption, pathOption, rangeOption, rateOption, sizeOption, type OptionSpec } from './spec.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const TiB = 1024 * 1024 * MiB;

export const SYNC_METHODS = ['fdatasync', 'fsync', 'dsync', 'sync', 'none'] as const;
export const PREPARE_MODES = ['fallocate', 'truncate', 'none', 'overwrite'] as const;
export const ENGINES = ['native', 'js'] as const;
export const MODES = ['seq', 'wal'] as const;
/** What --sync-methods can compare: a sync method, optionally with O_DIRECT. */
export const COMPARABLE_METHODS = ['fdatasync', 'fsync', 'dsync', 'sync', 'none', 'direct+fdatasync', 'direct+fsync', 'direct+dsync', 'direct+none'] as const;

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
  mode: enumOption({
    flag: '--mode', choices: MODES, default: 'seq',
    help: "seq: fio's shape (one file, fixed blocks); wal: etcd's WAL (framed records in preallocated segments, batches, cuts)",
  }),
  walSegmentSize: sizeOption({
    flag: '--wal-segment-size', default: 64_000_000, min: 64 * KiB, max: 1024 * MiB,
    help: "bytes per WAL segment (etcd's SegmentSizeBytes is 64,000,000)",
  }),
  walRecordSize: rangeOption({
    flag: '--wal-record-size', of: 'size', default: { min: 2200, max: 2400 }, min: 1, max: MiB,
    help: 'entry bytes per WAL record (Kubernetes writes measured 2200-2400)',
  }),
  walBatch: rangeOption({
    flag: '--wal-batch', of: 'count', default: { min: 1, max: 1 }, min: 1, max: 10_000,
    help: 'records per Raft batch: one write() and one fdatasync each',
  }),
  walKeep: countOption({ flag: '--wal-keep', default: 5, min: 1, max: 1000, help: 'WAL segments kept; older ones are purged (etcd --max-wals)' }),
  commit: boolOption({ flag: '--commit', default: false, help: "run bbolt's backend-commit stream beside the measured writer, on its own file" }),
  commitInterval: durationOption({
    flag: '--commit-interval', default: 100e6, min: 1e6, max: 60e9,
    help: "time between backend commits (etcd's --backend-batch-interval, 100 ms)",
  }),
  commitPages: rangeOption({
    flag: '--commit-pages', of: 'count', default: { min: 8, max: 32 }, min: 1, max: 100_000,
    help: 'dirty 4 KiB pages written per commit',
  }),
  neighbours: countOption({ flag: '--neighbours', default: 0, min: 0, max: 16, help: 'noisy-neighbour threads writing large sequential blocks to their own files' }),
  neighbourBlockSize: sizeOption({ flag: '--neighbour-block-size', default: MiB, min: 4 * KiB, max: 64 * MiB, help: 'bytes per neighbour write()' }),
  neighbourRate: sizeOption({
    flag: '--neighbour-rate', default: 0, min: 0, max: TiB,
    help: 'bytes per second each neighbour writes (0: flat out)',
  }),
  neighbourDirect: boolOption({ flag: '--neighbour-direct', default: false, help: 'neighbours write with O_DIRECT instead of through the page cache' }),
  neighbourFileSize: sizeOption({ flag: '--neighbour-file-size', default: 1024 * MiB, min: MiB, max: TiB, help: 'each neighbour wraps to the start of its file here' }),
  syncMethods: listOption({
    flag: '--sync-methods', choices: COMPARABLE_METHODS, default: [],
    help: 'compare these sync methods one after another with the same block size (like pg_test_fsync); direct+X adds O_DIRECT',
  }),
  syncP99Limit: durationOption({
    flag: '--sync-p99-limit', group: 'threshold', default: 10e6, min: 1e3, max: 60e9,
    help: 'the sync p99 must stay below this (etcd FAQ: WAL fdatasync p99 < 10 ms)',
  }),
  commitP99Limit: durationOption({
    flag: '--commit-p99-limit', group: 'threshold', default: 25e6, min: 1e3, max: 60e9,
    help: 'the backend commit p99 must stay below this (etcd FAQ: "apply entries took too long", commit p99 < 25 ms)',
  }),
  stepFactor: countOption({
    flag: '--step-factor', group: 'threshold', default: 4, min: 2, max: 1000,
    help: 'a step change is a per-second sync p99 this many times the first minute\'s',
  }),
  stepSeconds: countOption({
    flag: '--step-seconds', group: 'threshold', default: 10, min: 1, max: 3600,
    help: 'a step change or a stretch above the sync limit must last this many consecutive seconds',
  }),
  stepBaseline: durationOption({
    flag: '--step-baseline', group: 'threshold', default: 60e9, min: 3e9, max: 3600e9,
    help: 'the stretch at the start of the run that later seconds are compared with',
  }),
} as const;

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<S> = S extends OptionSpec<infer V> ? V : never;
/** Every option's value, typed from the table. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };

/** The options the `disk` command accepts. */
export const DISK_OPTION_KEYS = [
  'profile', 'dir', 'json', 'engine', 'mode', 'blockSize', 'size', 'runtime', 'timeBased', 'syncMethod', 'syncEvery',
  'fdatasync', 'fsync', 'direct', 'prepare', 'rate', 'walSegmentSize', 'walRecordSize', 'walBatch', 'walKeep',
  'commit', 'commitInterval', 'commitPages', 'neighbours', 'neighbourBlockSize', 'neighbourRate', 'neighbourDirect',
  'neighbourFileSize', 'syncMethods', 'syncP99Limit', 'commitP99Limit', 'stepFactor', 'stepSeconds', 'stepBaseline',
] as const satisfies readonly OptionKey[];

/** Looks an option up by key without losing the general spec type. */
export function specOf(key: OptionKey): OptionSpec<unknown> {
  return OPTIONS[key] as unknown as OptionSpec<unknown>;
}

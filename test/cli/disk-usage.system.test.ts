// Bad input to `disk`: every case exits 2, names the option and what is
// allowed, and writes nothing.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-usage-');
const etcdData = join(dir, 'etcd-data');
mkdirSync(join(etcdData, 'member', 'wal'), { recursive: true });
const unknownKey = join(dir, 'unknown-key.json');
writeFileSync(unknownKey, JSON.stringify({ options: { blockSize: 2300, blocksize: 4096 } }));
const wrongType = join(dir, 'wrong-type.json');
writeFileSync(wrongType, JSON.stringify({ options: { size: [22] } }));
const notJson = join(dir, 'not-json.json');
writeFileSync(notJson, '{ "options": ');
const thresholdInOptions = join(dir, 'threshold-in-options.json');
writeFileSync(thresholdInOptions, JSON.stringify({ options: { syncP99Limit: '5ms' } }));

// [what, args, text the error must contain]
const CASES: [string, string[], RegExp][] = [
  ['block size not a size', ['--bs', 'abc'], /--bs: "abc" is not allowed; expected a size from 1 B to 64 MiB/],
  ['block size zero', ['--block-size', '0'], /--block-size: "0" is not allowed/],
  ['block size too big', ['--bs', '1g'], /--bs: "1g".*64 MiB/],
  ['size with a bad unit', ['--size', '22q'], /--size: "22q" is not allowed; expected a size/],
  ['size smaller than the block', ['--size', '1k'], /--size: 1 KiB is smaller than --block-size 2300 B/],
  ['runtime not a duration', ['--runtime', 'soon'], /--runtime: "soon" is not allowed; expected a duration/],
  ['time-based without runtime', ['--time-based'], /--time-based: needs --runtime/],
  [
    'unknown sync method',
    ['--sync-method', 'fdatasink'],
    /--sync-method: "fdatasink" is not allowed; expected one of fdatasync, fsync, dsync, sync, none/,
  ],
  ['sync every zero', ['--sync-every', '0'], /--sync-every: "0" is not allowed; expected a whole number from 1/],
  [
    'sync every with O_DSYNC',
    ['--sync-method', 'dsync', '--sync-every', '4'],
    /--sync-every: applies only to --sync-method fdatasync or fsync/,
  ],
  [
    'unknown prepare mode',
    ['--prepare', 'zero'],
    /--prepare: "zero" is not allowed; expected one of fallocate, truncate, none, overwrite/,
  ],
  ['unknown engine', ['--engine', 'rust'], /--engine: "rust" is not allowed; expected one of native, js/],
  ['rate not a number', ['--rate', 'fast'], /--rate: "fast" is not allowed; expected operations per second/],
  ['fio rate alias', ['--rate_iops', 'x'], /--rate_iops: "x" is not allowed/],
  ['direct not a boolean', ['--direct', 'maybe'], /--direct: "maybe" is not allowed; expected true or false/],
  [
    'O_DIRECT with 2300-byte blocks',
    ['--direct', '--bs', '2300'],
    new RegExp(
      String.raw`--block-size: 2300 bytes cannot be written with --direct \(O_DIRECT\) here: ` +
        'it must be a multiple of 512.*use 2048 or 2560',
    ),
  ],
  ['O_DIRECT with the js engine', ['--direct', '--bs', '4k', '--engine', 'js'], /--direct: needs --engine native/],
  [
    'the same option twice under two names',
    ['--bs', '4k', '--block-size', '8k'],
    /--block-size conflicts with --bs|--bs conflicts with --block-size/,
  ],
  ['fio shorthand against the long form', ['--fdatasync', '1', '--sync-method', 'fsync'], /conflicts with/],
  [
    'limit of zero',
    ['--sync-p99-limit', '0'],
    /--sync-p99-limit: "0" is not allowed; expected a duration from 0.001 ms/,
  ],
  ['unknown option', ['--bogus'], /unknown option '--bogus'/],
  ['stray argument', ['extra'], /too many arguments|unknown command|excess/i],
  [
    'unknown built-in profile',
    ['--profile', 'nope'],
    /--profile: no built-in profile "nope" for this command; choose one of .*fio-etcd/,
  ],
  ['profile with an unknown key', ['--profile', unknownKey], /unknown key "options.blocksize"; allowed: .*blockSize/],
  ['profile with a wrong type', ['--profile', wrongType], /"options.size" must be a string, number or boolean/],
  ['profile that is not JSON', ['--profile', notJson], /is not valid JSON/],
  ['threshold under options', ['--profile', thresholdInOptions], /unknown key "options.syncP99Limit"/],
  ['missing directory', ['--dir', join(dir, 'nope')], /--dir: .*nope does not exist/],
  ['a file, not a directory', ['--dir', unknownKey], /--dir: .* is not a directory/],
  ['a directory holding etcd data', ['--dir', etcdData], /--dir: .* holds etcd data \(member\/wal\); refusing/],
  ['unknown mode', ['--mode', 'raft'], /--mode: "raft" is not allowed; expected one of seq, wal/],
  ['a block size in WAL mode', ['--mode', 'wal', '--bs', '4k'], /--block-size: does not apply to --mode wal/],
  ['a sync method in WAL mode', ['--mode', 'wal', '--fdatasync', '1'], /--sync-method: does not apply to --mode wal/],
  ['a WAL option without WAL mode', ['--wal-batch', '4'], /--wal-batch: applies only to --mode wal/],
  [
    'a record range upside down',
    ['--mode', 'wal', '--wal-record-size', '2400-2200'],
    /--wal-record-size: "2400-2200" is not allowed; expected a size or a range MIN-MAX/,
  ],
  [
    'a segment too small',
    ['--mode', 'wal', '--wal-segment-size', '4k'],
    /--wal-segment-size: "4k" is not allowed; expected a size from 64 KiB/,
  ],
  ['WAL mode on the js engine', ['--mode', 'wal', '--engine', 'js'], /--engine: js cannot run --mode wal/],
  ['commit options without --commit', ['--commit-pages', '4'], /--commit-pages: applies only with --commit/],
  [
    'a commit interval that is not a duration',
    ['--commit', '--commit-interval', 'often'],
    /--commit-interval: "often" is not allowed/,
  ],
  [
    'neighbour options without neighbours',
    ['--neighbour-rate', '10m'],
    /--neighbour-rate: applies only with --neighbours N/,
  ],
  [
    'too many neighbours',
    ['--neighbours', '99'],
    /--neighbours: "99" is not allowed; expected a whole number from 0 to 16/,
  ],
  [
    'an O_DIRECT neighbour with odd blocks',
    ['--neighbours', '1', '--neighbour-direct', '--neighbour-block-size', '5000'],
    /--neighbour-block-size: 5000 bytes cannot be written with --neighbour-direct/,
  ],
  [
    'an unknown sync method to compare',
    ['--sync-methods', 'fdatasync,magic'],
    /--sync-methods: "fdatasync,magic" is not allowed; expected a comma-separated list of fdatasync, fsync/,
  ],
  ['a method listed twice', ['--sync-methods', 'fsync,fsync'], /--sync-methods: "fsync,fsync" is not allowed/],
  [
    'comparing methods in WAL mode',
    ['--sync-methods', 'fsync', '--mode', 'wal'],
    /--sync-methods: compares methods on the sequential writer/,
  ],
  [
    'comparing methods and setting one',
    ['--sync-methods', 'fsync', '--sync-method', 'dsync'],
    /--sync-method: conflicts with --sync-methods/,
  ],
  [
    'O_DIRECT methods with 2300-byte blocks',
    ['--sync-methods', 'fdatasync,direct+fdatasync'],
    /--block-size: 2300 bytes cannot be written with --direct/,
  ],
  [
    'a step factor below 2',
    ['--step-factor', '1'],
    /--step-factor: "1" is not allowed; expected a whole number from 2/,
  ],
];

for (const [what, args, message] of CASES) {
  test(`usage error: ${what}`, async () => {
    const before = listing(dir);
    const r = await runCli(['disk', '--dir', dir, ...args]);
    assert.equal(r.code, 2, `exit code (stderr: ${r.stderr})`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.deepEqual(listing(dir), before, 'nothing written');
    assert.deepEqual(listing(etcdData), ['member']);
  });
}

test('--help and --version exit 0', async () => {
  const help = await runCli(['disk', '--help']);
  assert.equal(help.code, 0);
  for (const flag of [
    '--dir',
    '--profile',
    '--block-size',
    '--size',
    '--runtime',
    '--time-based',
    '--sync-method',
    '--direct',
    '--prepare',
    '--rate',
    '--json',
    '--engine',
  ])
    assert.ok(help.stdout.includes(flag), flag);
  const top = await runCli(['--help']);
  assert.equal(top.code, 0);
  assert.match(top.stdout, /disk/);
  const version = await runCli(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
});

test('a shared option is described as each command means it', async () => {
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  const disk = flat((await runCli(['disk', '--help'])).stdout);
  const load = flat((await runCli(['load', '--help'])).stdout);
  const lab = flat((await runCli(['lab', 'slow-disk', '--help'])).stdout);
  assert.match(disk, /--runtime <duration> stop after this long \(0: when --size is written\)/);
  assert.match(load, /--runtime <duration> how long the load runs \(0: until --total requests are answered\)/);
  assert.match(
    load,
    /--dir <path> without --endpoints: directory on the disk to test, where the throwaway local etcd keeps its data/,
  );
  assert.match(
    lab,
    /--runtime <duration> how long the load runs on the slowed disk \(0, the default: the kube profile's 60 s\)/,
  );
  for (const text of [load, lab]) assert.doesNotMatch(text, /--size is written/);
});

// Bad input across every command, in one table a reader can scan: each case
// exits 2 with a message naming the option and what is allowed, and writes
// nothing (the target directory stays empty, no report appears). The
// per-command suites hold more cases; this is the cross-command inventory.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-bad-');
const files = tempDir('edb-bad-files-');
const unknownKey = join(files, 'unknown-key.json');
const wrongType = join(files, 'wrong-type.json');
const notJson = join(files, 'not-json.json');
const aFile = join(files, 'a-file');
const report = join(files, 'report.json');
writeFileSync(unknownKey, JSON.stringify({ options: { blockSize: '2300', bogus: 1 } }));
writeFileSync(wrongType, JSON.stringify({ options: { blockSize: [1, 2] } }));
writeFileSync(notJson, '{options');
writeFileSync(aFile, 'not a directory');
writeFileSync(report, 'keep');

type Case = [command: string, args: string[], message: RegExp];

const CASES: Case[] = [
  // sizes, durations, rates, counts, ranges, lists, enums
  ['disk', ['--bs', '0'], /--bs: "0" is not allowed; expected a size from 1 B to 64 MiB/],
  [
    'disk',
    ['--size', '22q'],
    /--size: "22q" is not allowed; expected a size from 1 B to 1 TiB, e\.g\. 2300, 4k, 22m, 22MiB/,
  ],
  ['disk', ['--runtime', 'forever'], /--runtime: "forever" is not allowed; expected a duration from 0 to 7 d/],
  [
    'disk',
    ['--rate', '-5'],
    /--rate: "-5" is not allowed; expected operations per second from 0 \(unpaced\) to 1000000/,
  ],
  [
    'disk',
    ['--sync-method', 'fsyncish'],
    /--sync-method: "fsyncish" is not allowed; expected one of fdatasync, fsync, dsync, sync, none/,
  ],
  [
    'disk',
    ['--prepare', 'maybe'],
    /--prepare: "maybe" is not allowed; expected one of fallocate, truncate, none, overwrite/,
  ],
  ['disk', ['--engine', 'rust'], /--engine: "rust" is not allowed; expected one of native, js/],
  ['disk', ['--wal-batch', '5-2'], /--wal-batch: "5-2" is not allowed; expected a count or a range MIN-MAX/],
  [
    'disk',
    ['--sync-methods', 'fdatasync,bogus'],
    /--sync-methods: "fdatasync,bogus" is not allowed; expected a comma-separated list of fdatasync, fsync/,
  ],
  ['disk', ['--step-factor', '1'], /--step-factor: "1" is not allowed; expected a whole number from 2 to 1000/],
  [
    'disk',
    ['--sync-p99-limit', '0'],
    /--sync-p99-limit: "0" is not allowed; expected a duration from 0\.001 ms to 1 min/,
  ],
  // conflicting options
  [
    'disk',
    ['--fdatasync', '1', '--fsync', '1'],
    /--fsync conflicts with --fdatasync: they set --sync-method to different values/,
  ],
  [
    'disk',
    ['--bs', '2300', '--direct'],
    /--block-size: 2300 bytes cannot be written with --direct \(O_DIRECT\) here: it must be a multiple of 512/,
  ],
  [
    'load',
    ['--members', '3', '--endpoints', 'http://127.0.0.1:1'],
    /--members: applies to the local etcd only \(no --endpoints\)/,
  ],
  ['load', ['--runtime', '0'], /--runtime: give --runtime \(e\.g\. 60s\) or --total/],
  // paths and profiles
  ['disk', ['--dir', '/nonexistent-edb'], /--dir: \/nonexistent-edb does not exist; give an existing directory/],
  ['disk', ['--dir', aFile], /--dir: .*a-file is not a directory/],
  [
    'disk',
    ['--profile', 'nosuch'],
    /--profile: no built-in profile "nosuch" for this command; choose one of etcd-perf, fio-etcd/,
  ],
  [
    'disk',
    ['--profile', unknownKey],
    /--profile: .*unknown-key\.json: unknown key "options\.bogus"; allowed: engine, mode, blockSize/,
  ],
  [
    'disk',
    ['--profile', wrongType],
    /--profile: .*wrong-type\.json: "options\.blockSize" must be a string, number or boolean, not \[1,2\]/,
  ],
  ['disk', ['--profile', notJson], /--profile: .*not-json\.json is not valid JSON/],
  ['load', ['--profile', 'wal'], /--profile: no built-in profile "wal" for this command; choose one of check-perf-l/],
  // endpoints, certificates, users, keys
  [
    'load',
    ['--endpoints', 'localhost'],
    /--endpoints: "localhost" is not allowed; expected comma-separated URLs or host:port as etcdctl takes them/,
  ],
  [
    'load',
    ['--endpoints', 'https://127.0.0.1:1', '--cacert', '/nonexistent-edb.pem'],
    /--cacert: cannot read \/nonexistent-edb\.pem: ENOENT/,
  ],
  [
    'load',
    ['--user', ':pw'],
    /--user: ":pw" is not allowed; expected USER:PASSWORD, or USER to be asked for the password/,
  ],
  [
    'load',
    ['--prefix', 'nokeys'],
    /--prefix: "nokeys" is not allowed; expected a key prefix starting with \/, not \/ alone/,
  ],
  [
    'load',
    ['--kube-mix', 'create:x'],
    /--kube-mix: "create:x" is not allowed; expected weights as create:N,update:N,delete:N,event:N/,
  ],
  ['load', ['--workload', 'grpc'], /--workload: "grpc" is not allowed; expected one of put, check-perf, kube/],
  ['load', ['--members', '2'], /--members: 2 members cannot keep a majority through one failure; use 1, 3 or 5/],
  // qualify
  ['qualify', ['--wal-runtime', '0'], /--wal-runtime: "0" is not allowed; expected a duration from 1 s to 7 d/],
  ['qualify', ['--min-iops', '0'], /--min-iops: "0" is not allowed; expected a whole number from 1 to 10000000/],
  ['qualify', ['--out', report], /--out: .*report\.json already exists; give a new file name/],
  ['qualify', ['--headroom', 'lots'], /--headroom: "lots" is not allowed; expected a number from 0.1 to 100, e.g. 2/],
  ['qualify', ['--like', 'ftp://prom'], /--like: "ftp:\/\/prom" is not allowed; expected a Prometheus server's http/],
  ['qualify', ['--since', '3d'], /--since: applies with --like \(sizing the etcd phase from a cluster's history\)/],
  ['qualify', ['--kube-prefill', '5'], /unknown option '--kube-prefill'/],
  [
    'qualify',
    ['--profile', 'fio-etcd'],
    /--profile: no built-in profile "fio-etcd" for this command; choose one of quick, standard, thorough/,
  ],
  // lab
  ['lab slow-disk', ['--delay', '2h'], /--delay: "2h" is not allowed; expected a duration from 0 to 1 min/],
  ['lab slow-disk', ['--slow', 'middle'], /--slow: "middle" is not allowed; expected one of all, leader, follower/],
  ['lab slow-disk', ['--jitter', '900ms'], /--jitter: 900 ms is more than --delay \(800 ms\)/],
  // report (no --dir)
  [
    'report compare',
    [report, report, '--min-change', '1parsec'],
    /--min-change: "1parsec" is not allowed; expected a duration from 0 to 60s/,
  ],
  [
    'report compare',
    [report, report, '--margin', 'lots'],
    /--margin: "lots" is not allowed; expected a percentage from 0 to 1000/,
  ],
  ['report show', [join(files, 'missing.json')], /FILE: cannot read .*missing\.json/],
];

test(
  `${CASES.length} bad inputs across every command: exit 2, the option and the allowed values named, nothing ` +
    `written`,
  async () => {
    assert.ok(CASES.length >= 30);
    const before = readdirSync(files).sort();
    for (const [command, args, message] of CASES) {
      const where = command.startsWith('report') || args.includes('--dir') ? [] : ['--dir', dir];
      const r = await runCli([...command.split(' '), ...where, ...args]);
      const label = `${command} ${args.join(' ')}`;
      assert.equal(r.code, 2, `${label}: exit ${r.code}\n${r.stderr}`);
      assert.match(r.stderr, message, label);
      assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, `${label}: no stack trace`);
      assert.deepEqual(listing(dir), [], `${label}: nothing written`);
    }
    assert.deepEqual(readdirSync(files).sort(), before, 'no file appeared beside the inputs');
  },
);

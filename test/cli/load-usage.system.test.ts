// Bad input to `load`: exit 2, the option named with what is allowed, no
// etcd started, no directory created.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-load-usage-');

const CASES: [string, string[], RegExp][] = [
  [
    'an endpoint that is not a URL',
    ['--endpoints', 'ftp://x:1'],
    /--endpoints: "ftp:\/\/x:1" is not allowed; expected comma-separated URLs or host:port as etcdctl takes them/,
  ],
  ['an unknown workload', ['--workload', 'nope'], /--workload: "nope" is not allowed; expected one of put, check-perf/],
  ['an even member count', ['--members', '2'], /--members: 2 members cannot keep a majority/],
  [
    'TLS options for the local etcd',
    ['--cacert', '/etc/hosts'],
    /--cacert: applies to a cluster given with --endpoints/,
  ],
  [
    'members of a remote cluster',
    ['--endpoints', 'http://127.0.0.1:1', '--members', '3'],
    /--members: applies to the local etcd only/,
  ],
  ['neither runtime nor total', ['--runtime', '0'], /--runtime: give --runtime \(e\.g\. 60s\) or --total/],
  [
    'a key size with check-perf',
    ['--workload', 'check-perf', '--key-size', '64'],
    /--key-size: applies to --workload put, not check-perf/,
  ],
  [
    'a user without a name',
    ['--endpoints', 'http://127.0.0.1:1', '--user', ':secret'],
    /--user: ":secret" is not allowed; expected USER:PASSWORD/,
  ],
  [
    'a prefix that is not a key path',
    ['--prefix', 'etcd'],
    /--prefix: "etcd" is not allowed; expected a key prefix starting with \//,
  ],
  [
    'a dial timeout too short',
    ['--dial-timeout', '1ms'],
    /--dial-timeout: "1ms" is not allowed; expected a duration from 100 ms/,
  ],
  ['a negative-looking rate', ['--rate', 'lots'], /--rate: "lots" is not allowed/],
  [
    'an unknown pacing',
    ['--pacing', 'fast'],
    /--pacing: "fast" is not allowed; expected one of auto, native, event-loop/,
  ],
  [
    'native pacing over TLS',
    ['--endpoints', 'https://127.0.0.1:1', '--rate', '100', '--pacing', 'native'],
    /--pacing native: not possible here: TLS connections run in Node/,
  ],
  [
    'native pacing with grpc-js',
    ['--rate', '100', '--transport', 'grpc-js', '--pacing', 'native'],
    /--pacing native: not possible here: grpc-js sends from the event loop/,
  ],
  [
    'an etcd binary that does not exist',
    ['--etcd-bin', '/nonexistent/etcd'],
    /--etcd-bin: \/nonexistent\/etcd is not an executable file; install it/,
  ],
  [
    'a missing CA file',
    ['--endpoints', 'https://127.0.0.1:1', '--cacert', '/nonexistent/ca.pem'],
    /--cacert: cannot read \/nonexistent\/ca.pem/,
  ],
  [
    'a certificate without its key',
    ['--endpoints', 'https://127.0.0.1:1', '--cert', '/etc/hosts'],
    /--cert and --key: give both/,
  ],
  [
    'skipping TLS verification on plain http',
    ['--endpoints', 'http://127.0.0.1:1', '--insecure-skip-tls-verify'],
    /--insecure-skip-tls-verify need https:\/\/ endpoints/,
  ],
  [
    'an unknown profile',
    ['--profile', 'check-perf-xxl'],
    /--profile: no built-in profile "check-perf-xxl" for this command; choose one of .*check-perf-l/,
  ],
];

for (const [what, args, message] of CASES) {
  test(`load usage error: ${what}`, async () => {
    const r = await runCli(['load', '--dir', dir, '--runtime', '1s', ...args]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
    assert.deepEqual(listing(dir), []);
  });
}

test('no etcd was left running by any of them', () => {
  assert.deepEqual(etcdProcessesWith(dir), []);
});

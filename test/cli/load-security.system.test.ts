// TLS with client certificates and password authentication against real etcd:
// both work, and a wrong certificate or password is a clear error, exit 3.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { LoadResult } from '../../src/load/load-result.js';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import { makePki } from '../helpers/certs.js';
import { runCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

// Both suites run a real etcd: skipped, with the reason, where there is none.
const skip = needs('etcd');

describe('TLS with client certificates', { skip }, async () => {
  const pki = makePki(tempDir('edb-pki-'));
  const { cluster } = await testEtcd(1, {
    tls: {
      certFile: pki.serverCert,
      keyFile: pki.serverKey,
      caFile: pki.ca,
      clientCertAuth: true,
      clientCertFile: pki.clientCert,
      clientKeyFile: pki.clientKey,
    },
  });
  const url = cluster.endpoints[0]!;

  test("the right CA and client certificate: the load runs and etcd's metrics are read over TLS", {
    skip,
  }, async () => {
    const r = await runCli([
      'load',
      '--endpoints',
      url,
      '--cacert',
      pki.ca,
      '--cert',
      pki.clientCert,
      '--key',
      pki.clientKey,
      '--total',
      '200',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.equal(res.totals.answered, 200);
    assert.equal(res.server[0]!.scrapeErrors, 0);
    assert.ok(res.server[0]!.proposalsCommitted! >= 200);
  });

  test('a bare host:port with TLS files is dialled over TLS, as etcdctl does; ETCDCTL_ENDPOINTS too', {
    skip,
  }, async () => {
    const bare = url.replace(/^https:\/\//, '');
    const tlsArgs = ['--cacert', pki.ca, '--cert', pki.clientCert, '--key', pki.clientKey];
    const r = await runCli(['load', '--endpoints', bare, ...tlsArgs, '--total', '50', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.deepEqual(res.target.endpoints, [url], 'host:port became https://host:port');
    assert.equal(res.totals.answered, 50);
    assert.equal(res.server[0]!.scrapeErrors, 0, "etcd's /metrics read over TLS too");
    const env = await runCli(['load', '--total', '20', '--json'], 60_000, {
      ETCDCTL_ENDPOINTS: bare,
      ETCDCTL_CACERT: pki.ca,
      ETCDCTL_CERT: pki.clientCert,
      ETCDCTL_KEY: pki.clientKey,
    });
    assert.equal(env.code, 0, env.stderr);
    assert.deepEqual((JSON.parse(env.stdout) as LoadResult).target.endpoints, [url]);
  });

  test('observe over TLS from ETCDCTL_* alone (bare host:port): status and /metrics read with the certs', {
    skip,
  }, async () => {
    const bare = url.replace(/^https:\/\//, '');
    const out = join(tempDir('edb-obs-tls-'), 'o.json');
    const r = await runCli(['observe', '--runtime', '2s', '--interval', '1s', '--out', out], 60_000, {
      ETCDCTL_ENDPOINTS: bare,
      ETCDCTL_CACERT: pki.ca,
      ETCDCTL_CERT: pki.clientCert,
      ETCDCTL_KEY: pki.clientKey,
    });
    const report = JSON.parse(readFileSync(out, 'utf8')) as ObserveReport;
    assert.ok(r.code === 0 || r.code === 4, r.stderr);
    assert.deepEqual(report.source.kind === 'members' && report.source.endpoints, [url]);
    assert.equal(report.cluster?.members[0]?.version, cluster.version.replace(/^v/, '').split(' ')[0]);
    assert.equal(report.members[0]!.metrics.scrapeErrors, 0, '/metrics over TLS with the client certificate');
    assert.ok(report.members[0]!.metrics.scrapes >= 2);
  });

  test('a client certificate from another CA is refused: exit 3, a clear message', { skip }, async () => {
    const r = await runCli([
      'load',
      '--endpoints',
      url,
      '--cacert',
      pki.ca,
      '--cert',
      pki.strangerCert,
      '--key',
      pki.strangerKey,
      '--total',
      '10',
      '--dial-timeout',
      '1s',
      '--request-timeout',
      '2s',
    ]);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /cannot reach etcd at https:\/\/127\.0\.0\.1:\d+|refused our credentials/);
  });

  test('--insecure-skip-tls-verify accepts a server certificate no CA we were given signed', { skip }, async () => {
    const unverified = await runCli([
      'load',
      '--endpoints',
      url,
      '--cert',
      pki.clientCert,
      '--key',
      pki.clientKey,
      '--total',
      '10',
      '--dial-timeout',
      '1s',
      '--request-timeout',
      '2s',
    ]);
    assert.equal(unverified.code, 3, 'without --cacert the system roots do not know our CA');
    const r = await runCli([
      'load',
      '--endpoints',
      url,
      '--insecure-skip-tls-verify',
      '--cert',
      pki.clientCert,
      '--key',
      pki.clientKey,
      '--total',
      '100',
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.equal(res.totals.answered, 100);
    assert.equal(res.server[0]!.scrapeErrors, 0, '/metrics read without verification too');
  });

  test('ETCDCTL_* variables carry the same settings', { skip }, async () => {
    const r = await runCli(['load', '--total', '50', '--json'], 60_000, {
      ETCDCTL_ENDPOINTS: url,
      ETCDCTL_CACERT: pki.ca,
      ETCDCTL_CERT: pki.clientCert,
      ETCDCTL_KEY: pki.clientKey,
    });
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.deepEqual(res.options.cacert, { value: pki.ca, source: 'env' });
    assert.equal(res.totals.answered, 50);
  });
});

describe('password authentication', { skip }, async () => {
  const { cluster } = await testEtcd(1);
  const url = cluster.endpoints[0]!;
  const ctl = (...args: string[]) =>
    execFileSync('etcdctl', [`--endpoints=${url}`, ...args], {
      env: { ...process.env, ETCDCTL_API: '3' },
      stdio: 'pipe',
    });
  ctl('user', 'add', 'root:rootpw');
  ctl('auth', 'enable');

  test('--user USER:PASSWORD works; the password never appears in the result', { skip }, async () => {
    const r = await runCli(['load', '--endpoints', url, '--user', 'root:rootpw', '--total', '100', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.equal(res.totals.answered, 100);
    assert.ok(!r.stdout.includes('rootpw') && !r.stderr.includes('rootpw'), 'the password is in the output');
    assert.ok(res.argv.includes('root:***'));
    assert.deepEqual(res.options.user, { value: '(set)', source: 'cli' });
    assert.equal(res.workload.transport, 'own', 'password auth on the own transport');
  });

  test('the kube workload with a password: transactions, events and their lease on the own transport', {
    skip,
  }, async () => {
    const args = ['load', '--endpoints', url, '--user', 'root:rootpw', '--workload', 'kube', '--rate', '200'];
    const r = await runCli([...args, '--runtime', '3s', '--json']);
    assert.ok(r.code === 0 || r.code === 4, r.stderr);
    const res = JSON.parse(r.stdout) as LoadResult;
    assert.equal(res.workload.transport, 'own');
    assert.equal(res.totals.failed, 0, JSON.stringify(res.totals.errors));
    assert.ok(res.totals.answered >= 500, `answered ${res.totals.answered}`);
    assert.ok(
      (res.totals.byKind.event ?? 0) > 0 && (res.totals.byKind.update ?? 0) > 0,
      JSON.stringify(res.totals.byKind),
    );
  });

  test('a wrong password: exit 3, the credentials named', { skip }, async () => {
    const r = await runCli(['load', '--endpoints', url, '--user', 'root:wrong', '--total', '10']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /refused our credentials/);
  });

  test('--user without a password and no terminal to ask on: exit 3, how to give it', { skip }, async () => {
    const r = await runCli(['load', '--endpoints', url, '--user', 'root', '--total', '10']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(
      r.stderr,
      /--user root: no password given and no terminal to ask for it; use --user root:PASSWORD or ETCDCTL_USER/,
    );
  });
});

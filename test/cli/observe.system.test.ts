// `observe` against real members: a 3-member cluster written to by our load
// while observe reads it (its figures equal the /metrics deltas the test
// computes on its own), peer round trips from real members, the report read
// back by `report show/markdown/compare`, bad input refused.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { startLocalEtcd } from '../../src/etcd/local-etcd.js';
import { mountSlowfs } from '../../src/lab/slowfs.js';
import { DNS_SERVER_ENV } from '../../src/etcd/discovery-srv.js';
import { histogram, parseMetrics, total, type Sample } from '../../src/etcd/prometheus.js';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { startDns } from '../helpers/dns.js';
import { needs } from '../helpers/needs.js';
import { startPrometheus } from '../helpers/prometheus.js';
import { listing, tempDir } from '../helpers/tmp.js';
import { startInTmux } from '../helpers/tmux.js';

const skip = needs('etcd');
const out = tempDir('edb-observe-');
const { cluster } = skip ? { cluster: null } : await testEtcd(3);
const endpoints = cluster?.endpoints ?? [];

async function scrape(url: string): Promise<Sample[]> {
  return parseMetrics(await (await fetch(`${url}/metrics`)).text());
}
const walCount = (s: Sample[]) => histogram(s, 'etcd_disk_wal_fsync_duration_seconds')?.count ?? 0;
const committed = (s: Sample[]) => total(s, 'etcd_server_proposals_committed_total') ?? 0;

// etcd records each peer's round trip once every 30 s (rafthttp's status monitor): the window is longer than that.
test('3 members under load: WAL fsyncs and commits equal the deltas the test reads itself; peer RTT per link', {
  skip,
}, async () => {
  const file = join(out, 'three.json');
  const before = await Promise.all(endpoints.map(scrape));
  const obs = startCli(
    ['observe', '--endpoints', endpoints.join(','), '--runtime', '32s', '--interval', '2s', '--json', '--out', file],
    90_000,
  );
  let stderr = '';
  obs.child.stderr!.on('data', (d) => (stderr += d));
  // the load starts after observe's first read and ends before its last one
  await waitFor(() => /\[observe 00:0[2-9]/.test(stderr), 20_000);
  const load = await runCli([
    'load',
    '--endpoints',
    endpoints[0]!,
    '--rate',
    '200',
    '--total',
    '600',
    '--prefix',
    '/edb-obs/',
  ]);
  assert.equal(load.code, 0, load.stderr);
  const r = await obs.done;
  const after = await Promise.all(endpoints.map(scrape));
  // The counts are what this test is about: a member graded D on a busy host (a commit p99 over 25 ms) is exit 1,
  // and no verdict because of the host is exit 4.
  assert.ok(r.code === 0 || r.code === 1 || r.code === 4, r.stderr);
  const report = JSON.parse(r.stdout) as ObserveReport;
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), report, 'the report file holds what --json printed');
  assert.equal(report.members.length, 3);
  assert.equal(report.cluster?.members.length, 3);
  assert.equal(report.cluster?.members.filter((m) => m.isLeader).length, 1, 'one leader');
  for (const [i, url] of endpoints.entries()) {
    const m = report.members.find((x) => x.metricsFrom === url)!;
    assert.ok(m, `member at ${url}`);
    const fsyncs = walCount(after[i]!) - walCount(before[i]!);
    assert.ok(fsyncs >= 600 / 10, `the test saw ${fsyncs} WAL fsyncs on ${m.name}`);
    // The test's reads bracket observe's window: an idle member's own fsync or two may land in between.
    const near = (seen: number | null | undefined, own: number, what: string) =>
      assert.ok(
        seen !== null && seen !== undefined && seen <= own && seen >= own - 3,
        `${m.name}: ${what} ${seen} vs ${own}`,
      );
    near(m.metrics.walFsync?.count, fsyncs, "WAL fsyncs observed vs the test's own delta");
    near(m.metrics.proposalsCommitted, committed(after[i]!) - committed(before[i]!), 'commits');
    assert.equal(
      m.intervals.reduce((a, row) => a + row.walFsyncs, 0),
      m.metrics.walFsync?.count,
      `${m.name}: the intervals add up to the window`,
    );
    assert.equal(m.peerRtt.length, 2, `${m.name} measures its round trip to both peers`);
    for (const p of m.peerRtt) {
      assert.ok(p.count > 0 && p.p99 !== null, `${m.name} -> ${p.to}: ${p.count} round trips`);
      assert.ok(
        report.members.some((x) => x.id === p.to),
        `${p.to} is a member id`,
      );
    }
    // Judged, or not run on too few of etcd's samples (one per peer every 30 s), never passed on them; whether a
    // busy shared host keeps it under 50 ms is not this test's subject.
    const rtt = m.checks.find((c) => c.id === 'peer-rtt-p99')!;
    assert.equal(rtt.minObservations, 2, m.name);
    if (rtt.observations! < 2) assert.ok(['not-run', 'fail'].includes(rtt.status), `${m.name}: ${rtt.status}`);
    else assert.ok(['pass', 'fail'].includes(rtt.status), `${m.name}: ${rtt.status}`);
    assert.ok(m.grade.reason.length > 0, `${m.name} is graded, with a reason`);
  }
  assert.equal(report.complete, true);
  // The letter once, then the verdict, which names the worst member (said there, not on the GRADE line too).
  assert.match(r.stderr, new RegExp(`^GRADE ${report.grade.letter ?? '-'}$`, 'm'));
  assert.ok(r.stderr.includes(report.verdict.text), r.stderr);
  if (report.worstMember) assert.ok(report.verdict.text.includes(report.worstMember), report.verdict.text);
  const show = await runCli(['report', 'show', file]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /member m0 \([0-9a-f]+\)/);
  const md = await runCli(['report', 'markdown', file]);
  assert.equal(md.code, 0, md.stderr);
  // The heading says the report's own verdict: whether this host's disk passes is not this test's subject.
  const head = report.verdict.passed
    ? `PASS, grade ${report.grade.letter}`
    : `FAIL, grade ${report.grade.letter ?? '-'}`;
  assert.ok(md.stdout.startsWith(`## etcd cluster observed: ${head} (`), md.stdout.slice(0, 200));
  assert.equal(md.stdout.match(/^\| m\d/gm)?.length, 3, 'one table row per member');
  const same = await runCli(['report', 'compare', file, file]);
  assert.equal(same.code, 0, same.stdout);
  assert.match(same.stdout, /m0: WAL fsync p99 \(bucket estimate\)/);
  assert.match(same.stdout, /NO REGRESSION/);
});

test('ETCDCTL_ENDPOINTS with a bare host:port; an idle cluster gives no verdict (exit 4), not a pass', {
  skip,
}, async () => {
  const bare = endpoints.map((e) => e.replace(/^http:\/\//, '')).join(',');
  const file = join(out, 'idle.json');
  const prom = join(out, 'idle.prom');
  const r = await runCli(
    ['observe', '--runtime', '2s', '--interval', '1s', '--out', file, '--prom-out', prom],
    30_000,
    {
      ETCDCTL_ENDPOINTS: bare,
    },
  );
  assert.equal(r.code, 4, r.stderr);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ObserveReport;
  const text = readFileSync(prom, 'utf8');
  assert.equal(text.match(/^etcd_disk_bench_member_leader_changes\{member="m\d"/gm)?.length, 3, text);
  for (const m of report.members)
    assert.ok(
      text.includes(
        `etcd_disk_bench_member_db_size_bytes{member="${m.name}",profile="observe"} ${m.metrics.dbSizeBytes}`,
      ),
      `${m.name}'s db size`,
    );
  assert.match(text, /^etcd_disk_bench_grade\{command="observe",profile="observe",grade="none"\} 0$/m);
  if (!needs('prometheus')) {
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(lint.status, 0, lint.stdout + lint.stderr);
  }
  assert.equal(report.source.kind === 'members' && report.source.endpoints.join(','), endpoints.join(','));
  assert.equal(report.grade.letter, null);
  assert.match(report.verdict.text, /no WAL fsync during the window/);
});

test('bad input: exit 2, the option named, nothing written', { skip }, async () => {
  const before = listing(out);
  const cases: [string[], RegExp][] = [
    [['--interval', '0s'], /--interval/],
    [['--prometheus-url', 'prometheus:9090'], /--prometheus-url.*http:\/\//],
    [['--prometheus-url', 'http://127.0.0.1:1', '--endpoints', endpoints[0]!], /--prometheus-url and --endpoints/],
    [['--since', '10s', '--prometheus-url', 'http://127.0.0.1:1'], /--since/],
    [['--out', join(out, 'three.json')], /--out: .* already exists/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['observe', '--runtime', '1s', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
  assert.deepEqual(listing(out), before);
});

test('an unreachable cluster: exit 3, named', { skip }, async () => {
  const r = await runCli(['observe', '--endpoints', '127.0.0.1:1', '--runtime', '1s', '--dial-timeout', '1s']);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /cannot reach etcd at http:\/\/127\.0\.0\.1:1/);
});

test("one member's data on a disk 20 ms slow: observe names that member and fails it, and passes the other two", {
  skip: needs('root', 'etcd', 'slowfs'),
}, async (t) => {
  const cleanup = new CleanupRegistry();
  t.after(() => cleanup.drain());
  const root = tempDir('edb-observe-slow-');
  mkdirSync(join(root, 'back'));
  mkdirSync(join(root, 'mnt'));
  const fs = await mountSlowfs(join(root, 'back'), join(root, 'mnt'), { fsyncDelayUs: 0 }, cleanup);
  const slow = await startLocalEtcd({
    bin: 'etcd',
    root: join(root, 'cluster'),
    members: 3,
    cleanup,
    token: `obs-slow-${process.pid}`,
    perMember: [{}, { dataParent: fs.mountPoint }, {}],
  });
  fs.set({ fsyncDelayUs: 20_000 });
  const file = join(out, 'slow.json');
  const obs = startCli(
    ['observe', '--endpoints', slow.endpoints.join(','), '--runtime', '8s', '--interval', '1s', '--out', file],
    60_000,
  );
  const load = await runCli([
    'load',
    '--endpoints',
    slow.endpoints[0]!,
    '--rate',
    '50',
    '--runtime',
    '6s',
    '--prefix',
    '/edb-obs-slow/',
  ]);
  assert.ok(load.code === 0 || load.code === 1 || load.code === 4, load.stderr);
  const r = await obs.done;
  const report = JSON.parse(readFileSync(file, 'utf8')) as ObserveReport;
  // A host so busy that every member missed its limit under the same saturated CPU gives no disk verdict (exit 4),
  // naming the host: an honest answer on a shared 2-core machine, and not this test's subject.
  if (r.code === 4) {
    assert.match(
      report.verdict.text,
      /^No verdict: .*On this host, not a disk verdict: (the host's CPU was saturated|the hypervisor ran other guests)/,
    );
    t.diagnostic(`no verdict on a busy host: ${report.verdict.text}`);
    await slow.stop();
    return;
  }
  assert.equal(r.code, 1, r.stderr);
  const byName = new Map(report.members.map((m) => [m.name, m]));
  const m1 = byName.get('m1')!;
  t.diagnostic(
    report.members.map((m) => `${m.name} ${m.grade.letter} WAL p99 ${m.metrics.walFsync?.p99?.text}`).join('; '),
  );
  assert.equal(m1.checks.find((c) => c.id === 'etcd-wal-fsync-p99')?.status, 'fail');
  assert.ok(['D', 'F'].includes(m1.grade.letter ?? '-'), m1.grade.reason);
  assert.ok((m1.metrics.walFsync?.p99?.lowerNs ?? 0) >= 16e6, `m1's WAL fsync p99 ${m1.metrics.walFsync?.p99?.text}`);
  // The other two pass, unless this shared disk stalled one of them too (CI's has, at 16-32 ms): a member that
  // failed must then sit in a lower bucket than m1 for the naming to be decidable, or the test says why it stops.
  const m1Low = m1.metrics.walFsync?.p99?.lowerNs ?? 0;
  for (const name of ['m0', 'm2']) {
    const m = byName.get(name)!;
    const status = m.checks.find((c) => c.id === 'etcd-wal-fsync-p99')?.status;
    if (status === 'pass') continue;
    assert.equal(status, 'fail', `${name}: ${m.grade.reason}`);
    if ((m.metrics.walFsync?.p99?.lowerNs ?? 0) >= m1Low) {
      t.diagnostic(`the shared disk slowed ${name} as much as the injected delay: which member is slow is moot`);
      await slow.stop();
      return;
    }
  }
  assert.equal(report.worstMember, 'm1');
  // m1 leads the verdict; the members that failed nothing are listed as within the limits (the shared disk can
  // push another member's backend commit over its limit: that member is then named with it, after m1).
  assert.match(report.verdict.text, /^FAIL, grade [DF]: m1 \([DF]\): WAL fsync p99 /);
  const fine = report.members.filter((m) => !m.checks.some((c) => c.status === 'fail')).map((m) => m.name);
  if (fine.length > 0)
    assert.ok(report.verdict.text.includes(`ithin the limits: ${fine.join(', ')}.`), report.verdict.text);
  await slow.stop();
});

test('from a real Prometheus server scraping the members: the same members, and the WAL fsyncs the test counted', {
  skip: needs('etcd', 'prometheus'),
}, async () => {
  const prom = await startPrometheus(endpoints);
  const before = await Promise.all(endpoints.map(scrape));
  const load = await runCli([
    'load',
    '--endpoints',
    endpoints[0]!,
    '--rate',
    '150',
    '--total',
    '300',
    '--prefix',
    '/edb-prom/',
  ]);
  assert.ok([0, 1, 4].includes(load.code ?? -1), load.stderr);
  const after = await Promise.all(endpoints.map(scrape));
  await new Promise((r) => setTimeout(r, 3000)); // two more scrapes
  const file = join(out, 'prom.json');
  const r = await runCli([
    'observe',
    '--prometheus-url',
    prom.url,
    '--since',
    '1m',
    '--interval',
    '1s',
    '--json',
    '--out',
    file,
  ]);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // the grade is not the subject here
  const report = JSON.parse(r.stdout) as ObserveReport;
  assert.equal(report.source.kind, 'prometheus');
  assert.equal(report.cluster, null, 'the cluster itself was not contacted');
  assert.deepEqual(
    report.members.map((m) => m.name).sort(),
    endpoints.map((e) => new URL(e).host).sort(),
    'members are the instances Prometheus scrapes',
  );
  for (const [i, url] of endpoints.entries()) {
    const m = report.members.find((x) => x.name === new URL(url).host)!;
    const id = after[i]!.find((s) => s.name === 'etcd_server_id')?.labels.server_id;
    assert.equal(m.id, id, `${m.name}: the member id from etcd_server_id`);
    const during = walCount(after[i]!) - walCount(before[i]!);
    const seen = m.metrics.walFsync?.count ?? 0;
    assert.ok(seen >= during && seen <= walCount(after[i]!), `${m.name}: ${seen} WAL fsyncs; the load made ${during}`);
    assert.equal(m.checks.find((c) => c.id === 'alarms')?.status, 'not-run', 'Prometheus has no alarm metric');
    assert.ok(m.intervals.length >= 5, `${m.name}: ${m.intervals.length} one-second steps`);
  }
  const show = await runCli(['report', 'show', file]);
  assert.match(show.stdout, /read 3 members from Prometheus at http:\/\/127\.0\.0\.1:\d+: the last 1 min in 1-s steps/);
});

test('--discovery-srv: the members found through real SRV records (_etcd-client._tcp), as etcdctl finds them', {
  skip,
}, async () => {
  const dns = await startDns({
    '_etcd-client._tcp.cluster.test': endpoints.map((e) => ({ target: '127.0.0.1', port: Number(new URL(e).port) })),
  });
  const r = await runCli(
    [
      'observe',
      '--discovery-srv',
      'cluster.test',
      '--runtime',
      '1s',
      '--interval',
      '1s',
      '--json',
      '--out',
      join(out, 'srv.json'),
    ],
    30_000,
    { [DNS_SERVER_ENV]: dns },
  );
  const report = JSON.parse(r.stdout) as ObserveReport;
  assert.deepEqual(report.source.kind === 'members' && [...report.source.endpoints].sort(), [...endpoints].sort());
  assert.equal(report.members.length, 3);
  const none = await runCli(['observe', '--discovery-srv', 'nothing.test', '--runtime', '1s'], 30_000, {
    [DNS_SERVER_ENV]: dns,
  });
  assert.equal(none.code, 3, none.stderr);
  assert.match(
    none.stderr,
    /--discovery-srv nothing\.test: no SRV record names an etcd client endpoint \(_etcd-client-ssl\._tcp\.nothing/,
  );
  const bad = await runCli(['observe', '--discovery-srv', 'not a domain', '--runtime', '1s']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /--discovery-srv/);
});

test('at a terminal: the dashboard shows one row per member; with --runtime 0, q ends the run normally', {
  skip: skip || needs('tmux'),
}, async () => {
  const file = join(out, 'tui.json');
  const pane = startInTmux([
    'observe',
    '--endpoints',
    endpoints.join(','),
    '--runtime',
    '0',
    '--interval',
    '1s',
    '--out',
    file,
  ]);
  await waitFor(() => /members \(etcd's own buckets/.test(pane.capture()), 20_000);
  await waitFor(() => /^\s*│?\s*m2 /m.test(pane.capture()), 10_000);
  const screen = pane.capture();
  for (const m of ['m0', 'm1', 'm2']) assert.match(screen, new RegExp(`${m} +(\\S+ )+`), `${m}'s row:\n${screen}`);
  assert.match(screen, /WAL fsync p99 +last interval +commit p99 +peer RTT p99/);
  assert.match(screen, /etcd-disk-bench observe/);
  pane.keys('q');
  await waitFor(() => pane.finished(), 20_000);
  // an idle cluster: no verdict (4), not the 130 of an interrupted run
  assert.match(pane.capture(), /EXIT=4/);
  const report = JSON.parse(readFileSync(file, 'utf8')) as ObserveReport;
  assert.equal(report.complete, true, 'stopping an open-ended observation is its normal end');
  assert.equal(report.members.length, 3);
});

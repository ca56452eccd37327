// qualify --like against a real Prometheus scraping a real etcd that carried a
// known load: the etcd phase runs at the cluster's peak times the headroom,
// and the report says where every figure came from. A source that cannot be
// reached is exit 3, one without etcd (or with too little history) exit 2,
// each with nothing written.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { freePort } from '../../src/etcd/free-port.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { runCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';
import { startPrometheus } from '../helpers/prometheus.js';
import { listing, tempDir } from '../helpers/tmp.js';

const skip = needs('root', 'etcd', 'prometheus');
const out = tempDir('edb-like-out-');

/** qualify --profile quick on a fresh directory with --like SOURCE; its report file and directory. */
async function qualifyLike(source: string, since: string, name: string) {
  const dir = tempDir(`edb-like-${name}-`);
  const file = join(out, `${name}.json`);
  const r = await runCli(
    [
      'qualify',
      '--dir',
      dir,
      '--profile',
      'quick',
      '--like',
      source,
      ...(since ? ['--since', since] : []),
      '--out',
      file,
    ],
    180_000,
  );
  return { r, dir, file };
}

test('sized from a real Prometheus: 200 writes/s for over a minute run at twice that, every figure sourced', {
  skip,
}, async () => {
  // The "production" cluster keeps its data on a tmpfs, so the guard does not count it on the disk under test. Hooks
  // run in order: the mount goes after the etcd on it has stopped.
  const root = mkdtempSync(join(tmpdir(), 'edb-like-src-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m', 'tmpfs', root]);
  const { cluster } = await testEtcd(1, { root });
  after(() => {
    execFileSync('umount', ['--lazy', root]);
    rmSync(root, { recursive: true, force: true });
  });
  const prom = await startPrometheus(cluster.endpoints);
  const load = await runCli(
    ['load', '--endpoints', cluster.endpoints[0]!, '--rate', '200', '--runtime', '75s', '--prefix', '/edb-like/'],
    120_000,
  );
  assert.equal(load.code, 0, load.stderr);
  await new Promise((r) => setTimeout(r, 3000)); // the last scrapes

  const { r, file } = await qualifyLike(prom.url, '3m', 'sized');
  assert.ok([0, 1].includes(r.code ?? -1), r.stderr); // the grade is not the subject here
  const report = JSON.parse(readFileSync(file, 'utf8')) as QualifyReport;
  const like = report.like!;
  const peak = like.figures.find((f) => f.id === 'write-rate-peak')!;
  assert.ok(Math.abs(peak.value! - 200) <= 20, `peak ${peak.value} writes/s for a 200/s load`);
  assert.equal(peak.metric, 'etcd_server_proposals_committed_total');
  assert.match(peak.query, /^max_over_time\(\(max\(rate\(etcd_server_proposals_committed_total\[1m\]\)/);
  assert.deepEqual(like.source, { kind: 'prometheus', url: prom.url });
  assert.equal(like.window.seconds, 180);
  assert.equal(like.members, 1);
  assert.equal(like.headroom, 2);
  assert.equal(like.run.rate, Math.round(peak.value! * 2));
  assert.ok(like.run.rate >= 320 && like.run.rate <= 480, `rate ${like.run.rate}`);
  // The load wrote values of 256 bytes over ~7,800 of its 10,000 keys: the store's own figures size the run.
  const keys = like.figures.find((f) => f.id === 'keys')!.value!;
  assert.ok(keys > 5000 && keys <= 10_000, `keys ${keys}`);
  assert.equal(like.run.kubePrefill, keys);
  assert.ok(like.run.kubeObjects > keys);
  assert.ok(like.run.kubeValueSize.min >= 128, JSON.stringify(like.run.kubeValueSize));
  assert.match(like.words, /^sized from 127\.0\.0\.1:\d+ over 3 min: peak \d+(\.\d)? writes\/s, ×2 = \d+\/s$/);

  const etcd = report.phases.etcd.result!;
  assert.deepEqual(etcd.options.rate, { value: like.run.rate, source: 'like' });
  assert.deepEqual(etcd.options.kubePrefill, { value: keys, source: 'like' });
  assert.ok(etcd.keys.deleted! >= keys, `${etcd.keys.deleted} keys deleted after a prefill of ${keys}`);
  assert.ok(etcd.totals.sent >= like.run.rate * 6 * 0.8, `${etcd.totals.sent} sent in 6 s at ${like.run.rate}/s`);
  assert.ok(r.stderr.includes(`like:     ${like.words}`), r.stderr);
  const show = await runCli(['report', 'show', file]);
  assert.ok(show.stdout.includes(like.words) || show.stderr.includes(like.words), show.stderr);
  const md = await runCli(['report', 'markdown', file]);
  assert.match(md.stdout, /### Sized from the cluster \(--like\)/);
  assert.match(
    md.stdout,
    /\| write-rate-peak \| \d+(\.\d)? writes\/s \| etcd_server_proposals_committed_total \| `max_over_time/,
  );

  // The same history through an observe report: its rows on the leader give the same peak.
  const obsFile = join(out, 'observe.json');
  const obs = await runCli([
    'observe',
    '--prometheus-url',
    prom.url,
    '--since',
    '4m',
    '--interval',
    '5s',
    '--out',
    obsFile,
  ]);
  assert.ok([0, 1, 4].includes(obs.code ?? -1), obs.stderr);
  const fromFile = await qualifyLike(obsFile, '', 'from-observe');
  const sinceFile = await runCli(['qualify', '--dir', out, '--like', obsFile, '--since', '3m']);
  assert.equal(sinceFile.code, 2, sinceFile.stderr);
  assert.match(sinceFile.stderr, /--since: applies with --like URL; an observe report covers its own window/);
  assert.ok([0, 1].includes(fromFile.r.code ?? -1), fromFile.r.stderr);
  const byFile = (JSON.parse(readFileSync(fromFile.file, 'utf8')) as QualifyReport).like!;
  assert.equal(byFile.source.kind, 'observe-report');
  const filePeak = byFile.figures.find((f) => f.id === 'write-rate-peak')!.value!;
  assert.ok(Math.abs(filePeak - 200) <= 20, `peak ${filePeak} writes/s from the observe report`);
  // Its rows sample every 5 s, Prometheus every 1 s: the most keys seen may fall between two rows.
  const fileKeys = byFile.figures.find((f) => f.id === 'keys')!.value!;
  assert.ok(Math.abs(fileKeys - keys) <= 0.1 * keys, `${fileKeys} keys from the rows, ${keys} from Prometheus`);

  // A Prometheus only just scraping the cluster has too little of it; one scraping no etcd has none: exit 2.
  const fresh = await startPrometheus(cluster.endpoints);
  const thin = await qualifyLike(fresh.url, '1m', 'thin');
  assert.equal(thin.r.code, 2, thin.r.stderr);
  assert.match(thin.r.stderr, /--since: the last 1 min holds \d 1-minute write rates .* at least 5 are needed/);
  const empty = await startPrometheus([]);
  const none = await qualifyLike(empty.url, '1h', 'none');
  assert.equal(none.r.code, 2, none.r.stderr);
  assert.match(
    none.r.stderr,
    /--like: Prometheus at .* holds no etcd_server_proposals_committed_total over the last 1 h/,
  );
  // etcd's own port answers HTTP, but not as Prometheus.
  const notProm = await qualifyLike(cluster.endpoints[0]!, '1h', 'not-prometheus');
  assert.equal(notProm.r.code, 2, notProm.r.stderr);
  assert.match(notProm.r.stderr, /is not a Prometheus server/);
  for (const q of [thin, none, notProm]) {
    assert.equal(existsSync(q.file), false, 'no report written');
    assert.deepEqual(listing(q.dir), [], 'nothing written in --dir');
  }
});

test('an unreachable Prometheus is exit 3, with nothing written', { skip: needs('etcd') }, async () => {
  const { r, dir, file } = await qualifyLike(`http://127.0.0.1:${await freePort()}`, '7d', 'unreachable');
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /--like: cannot query Prometheus at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED/);
  assert.equal(existsSync(file), false);
  assert.deepEqual(listing(dir), []);
});

// --prom-out read the way monitoring reads it: promtool's lint passes, and a
// real prometheus-node-exporter serves the figures from its textfile
// collector with the values of the run's own result.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { freePort } from '../../src/etcd/free-port.js';
import { parseMetrics } from '../../src/etcd/prometheus.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { qualifyArgs, runCli, waitFor } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

const skip = needs('prometheus', 'node-exporter');
const dir = tempDir('edb-prom-out-');
const textfiles = tempDir('edb-textfile-');

test('disk and qualify write .prom files that promtool accepts and node_exporter serves with the same values', {
  skip,
}, async () => {
  const diskProm = join(textfiles, 'disk.prom');
  const d = await runCli(['disk', '--dir', dir, '--runtime', '2s', '--json', '--prom-out', diskProm]);
  // a grade D or F (exit 1) on this shared disk is a verdict, not this test's failure
  assert.ok(d.code === 0 || d.code === 1 || d.code === 4, d.stderr);
  const disk = JSON.parse(d.stdout) as DiskResult;
  const out = join(tempDir('edb-prom-q-'), 'q.json');
  const qualifyProm = join(textfiles, 'qualify.prom');
  const q = await runCli(qualifyArgs(dir, out, '1s', '2s', '0', ['--prom-out', qualifyProm, '--node-name', 'n1']));
  assert.ok(q.code === 0 || q.code === 1 || q.code === 4, q.stderr);
  const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.deepEqual(readdirSync(textfiles).sort(), ['disk.prom', 'qualify.prom'], 'no temporary file left');
  for (const f of [diskProm, qualifyProm]) {
    const lint = spawnSync('promtool', ['check', 'metrics'], { input: readFileSync(f), encoding: 'utf8' });
    assert.equal(lint.status, 0, `${f}: ${lint.stdout}${lint.stderr}`);
  }
  const port = await freePort();
  const exporter = spawn(
    'prometheus-node-exporter',
    [
      '--collector.disable-defaults',
      '--collector.textfile',
      `--collector.textfile.directory=${textfiles}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  after(() => exporter.kill('SIGKILL'));
  let text = '';
  await waitFor(() => {
    void fetch(`http://127.0.0.1:${port}/metrics`)
      .then((r) => r.text())
      .then((t) => {
        text = t;
      })
      .catch(() => undefined);
    return text.includes('etcd_disk_bench_');
  }, 15_000);
  const served = parseMetrics(text);
  const one = (name: string, labels: Record<string, string>) =>
    served.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
  assert.equal(one('etcd_disk_bench_sync_p99_seconds', {}), disk.latency.sync.p99Ns / 1e9);
  assert.equal(one('etcd_disk_bench_write_bytes_per_second', {}), disk.totals.bytesPerSec);
  assert.equal(
    one('etcd_disk_bench_wal_fdatasync_p99_seconds', { node: 'n1', profile: 'standard' }),
    report.phases.wal.result!.latency.sync.p99Ns / 1e9,
  );
  const letter = report.grade.letter ?? 'none';
  assert.equal(
    one('etcd_disk_bench_grade', { command: 'qualify', grade: letter }),
    ['A', 'B', 'C', 'D', 'F'].indexOf(letter) + 1,
  );
  assert.equal(one('etcd_disk_bench_complete', { command: 'qualify' }), 1);
  assert.equal(one('etcd_disk_bench_run_timestamp_seconds', { command: 'disk' }), Date.parse(disk.finishedAt) / 1000);
  assert.equal(text.includes('node_textfile_scrape_error 0'), true, 'the collector read every file');
});

test('--prom-out that is not a .prom file in an existing directory: exit 2, nothing written', async () => {
  for (const [bad, message] of [
    [join(textfiles, 'x.txt'), /does not end in \.prom/],
    [join(textfiles, 'no', 'x.prom'), /is not an existing directory/],
  ] as const) {
    const before = readdirSync(dir);
    const r = await runCli(['disk', '--dir', dir, '--runtime', '1s', '--prom-out', bad]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, message);
    assert.deepEqual(readdirSync(dir), before);
  }
});

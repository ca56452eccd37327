// Finding reports in kubectl logs' output, and the fleet table from real
// reports (the fixtures are reports qualify wrote here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { jsonObjectsIn, mergeReports } from '../../src/report/merge.js';
import { exposition } from '../../src/report/prom-out.js';

const fixture = (f: string) =>
  JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', f), 'utf8')) as QualifyReport;

test('reports among progress lines: each object that starts a line, braces inside strings and lines ignored', () => {
  const text = [
    'etcd-disk-bench: phase 1/3 {fio} started',
    '{',
    '  "a": "a } brace and a \\" quote",',
    '  "b": { "c": [1, 2] }',
    '}',
    'report: results/x.json',
    '{"second": true}',
    'trailing { never closed',
  ].join('\n');
  assert.deepEqual(jsonObjectsIn(text), [{ a: 'a } brace and a " quote', b: { c: [1, 2] } }, { second: true }]);
});

test('the fleet: the slow node is the worst and an outlier; the passing ones are not', () => {
  const pass = fixture('qualify-pass.json');
  const slow = fixture('qualify-slow-20ms.json');
  const fleet = mergeReports([
    { report: { ...pass, node: 'n1' }, from: 'a' },
    { report: { ...pass, node: 'n2' }, from: 'b' },
    { report: { ...slow, node: 'n3' }, from: 'c' },
  ]);
  assert.equal(fleet.worst, 'n3');
  assert.equal(fleet.failed, 1);
  assert.deepEqual(
    fleet.rows.map((r) => [r.node, r.outlier !== null]),
    [
      ['n1', false],
      ['n2', false],
      ['n3', true],
    ],
  );
  assert.equal(fleet.rows[2]!.walP99Ns, slow.phases.wal.result!.latency.sync.p99Ns);
});

test('disk results merge too, mixed with qualify reports: each row has what its kind measured', () => {
  const pass = fixture('qualify-pass.json');
  const slow = fixture('qualify-slow-20ms.json');
  const recipe = (r: QualifyReport, node: string) => ({ ...r.phases.fio.result!, node });
  const fleet = mergeReports([
    { report: recipe(pass, 'd1'), from: 'a' },
    { report: recipe(pass, 'd2'), from: 'b' },
    { report: recipe(slow, 'd3'), from: 'c' },
    { report: { ...pass.phases.wal.result!, node: 'w1' }, from: 'd' },
    { report: { ...pass, node: 'q1' }, from: 'e' },
  ]);
  assert.deepEqual(
    fleet.rows.map((r) => [r.node, r.kind]),
    [
      ['d1', 'disk'],
      ['d2', 'disk'],
      ['d3', 'disk'],
      ['w1', 'disk'],
      ['q1', 'qualify'],
    ],
  );
  const d3 = fleet.rows[2]!;
  assert.equal(d3.fioP99Ns, slow.phases.fio.result!.latency.sync.p99Ns);
  assert.equal(d3.walP99Ns, null, "a run of fio's recipe has no WAL figure");
  assert.equal(d3.iops, slow.phases.fio.result!.totals.iops);
  assert.equal(d3.passed, slow.phases.fio.result!.passed);
  assert.match(d3.outlier ?? '', /^fio's recipe p99 \d+\.\dx the median of the others/);
  const w1 = fleet.rows[3]!;
  assert.equal(w1.walP99Ns, pass.phases.wal.result!.latency.sync.p99Ns);
  assert.equal(w1.commitP99Ns, pass.phases.wal.result!.commit!.latency.op.p99Ns);
  assert.equal(w1.fioP99Ns, null);
  assert.equal(fleet.rows[4]!.walP99Ns, pass.phases.wal.result!.latency.sync.p99Ns);
  assert.equal(fleet.worst, 'd3', 'the one grade D');
  assert.equal(fleet.failed, 1);
  assert.deepEqual(
    fleet.rows.filter((r) => r.outlier !== null).map((r) => r.node),
    ['d3'],
    'WAL rows are compared with WAL rows, recipe rows with recipe rows',
  );
});

test('exposition: HELP and TYPE once per gauge, labels escaped, gauges without a value left out', () => {
  const text = exposition([
    { name: 'a_seconds', help: 'a', samples: [{ labels: { dir: 'x"y\\z' }, value: 0.002 }] },
    { name: 'b', help: 'b', samples: [{ labels: {}, value: null }] },
  ]);
  assert.equal(
    text,
    '# HELP etcd_disk_bench_a_seconds a\n# TYPE etcd_disk_bench_a_seconds gauge\n' +
      'etcd_disk_bench_a_seconds{dir="x\\"y\\\\z"} 0.002\n',
  );
});

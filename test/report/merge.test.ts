// Finding reports in kubectl logs' output, and the fleet table from real
// reports (the fixtures are reports qualify wrote here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/paths.js';
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

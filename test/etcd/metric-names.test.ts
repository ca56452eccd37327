// The metric table: what each minor exposes, said missing in words when a
// version lacks one, and the Prometheus selector built from it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ETCD_METRICS,
  exposes,
  METRICS_MARKERS,
  metricsMarkdown,
  missingMetric,
  seriesSelector,
  versionIn,
} from '../../src/etcd/metric-names.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

test('the WAL write histogram: not in 3.4, nor in 3.5 before 3.5.15; in 3.6 and 3.7', () => {
  assert.deepEqual(
    ['3.4.23', '3.5.14', '3.5.15', '3.5.36', '3.6.17', '3.7.4', '3.9.0'].map((v) => exposes('walWrite', v)),
    [false, false, true, true, true, true, true],
  );
  assert.equal(
    missingMetric('walWrite', '3.4.23'),
    'etcd 3.4.23 does not expose etcd_disk_wal_write_duration_seconds (from 3.5.15)',
  );
  assert.equal(missingMetric('walWrite', '3.6.17'), null);
  // A version that cannot be read: looked for, never declared missing.
  assert.equal(missingMetric('walWrite', null), null);
});

test('every graded metric is in every minor, under one name', () => {
  for (const k of ['walFsync', 'backendCommit', 'leaderChanges', 'proposalsFailed'] as const)
    for (const v of ['3.4.23', '3.5.0', '3.6.0', '3.7.0']) assert.equal(exposes(k, v), true, `${k} in ${v}`);
  const names = Object.values(ETCD_METRICS).map((m) => m.name);
  assert.equal(new Set(names).size, names.length, 'no name twice');
});

test("a member's version is read from etcd_server_version's label", () => {
  assert.equal(versionIn([{ name: 'etcd_server_version', labels: { server_version: '3.6.17' } }]), '3.6.17');
  assert.equal(versionIn([{ name: 'etcd_server_id', labels: { server_id: 'a' } }]), null);
});

test('the selector names each histogram by its series and each other metric by its name', () => {
  const s = seriesSelector(['process_cpu_seconds_total']);
  assert.match(s, /^\{__name__=~"/);
  assert.ok(s.includes('etcd_disk_wal_fsync_duration_seconds_(bucket|count|sum)|'));
  assert.ok(s.includes('|etcd_server_version|'));
  assert.ok(s.endsWith('|process_cpu_seconds_total"}'));
});

test('docs/etcd-versions.md shows the metric table as the code has it (npm run docs)', () => {
  const doc = readFileSync(join(PACKAGE_ROOT, 'docs', 'etcd-versions.md'), 'utf8');
  const [begin, end] = METRICS_MARKERS;
  assert.equal(doc.slice(doc.indexOf(begin) + begin.length, doc.indexOf(end)).trim(), metricsMarkdown());
});

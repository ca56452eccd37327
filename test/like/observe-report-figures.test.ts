// An observe report as a --like source: 1-minute rates from the leader's
// rows, the store's figures beside them, and a clear refusal of a file that
// cannot size a run.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { figureOf } from '../../src/like/cluster-figures.js';
import { minuteRates, observeReportFigures } from '../../src/like/observe-report-figures.js';
import type { IntervalRow } from '../../src/observe/member-series.js';
import { OBSERVE_REPORT_SCHEMA } from '../../src/observe/observe-report.js';
import { tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-like-');

function row(i: number, perSecond: number, extra: Partial<IntervalRow> = {}): IntervalRow {
  return {
    endMs: 1e12 + i * 5000,
    seconds: 5,
    walFsyncs: 0,
    walFsyncP50: null,
    walFsyncP99: null,
    backendCommits: 0,
    backendCommitP99: null,
    peerRttP99: null,
    leaderChanges: 0,
    proposalsFailed: 0,
    heartbeatSendFailures: 0,
    slowApplies: 0,
    dbSizeBytes: null,
    dbInUseBytes: 1000 * (1000 + i),
    proposalsCommitted: perSecond * 5,
    puts: perSecond * 5,
    deletes: 0,
    keys: 1000 + i,
    isLeader: 0,
    ...extra,
  };
}

function report(members: { name: string; rows: IntervalRow[] }[]): string {
  const file = join(dir, `r${Math.random().toString(16).slice(2)}.json`);
  const seconds = members[0]!.rows.length * 5;
  writeFileSync(
    file,
    JSON.stringify({
      schema: OBSERVE_REPORT_SCHEMA,
      runId: 'run-1',
      window: { startMs: 1e12, endMs: 1e12 + seconds * 1000, seconds },
      members: members.map((m) => ({ name: m.name, intervals: m.rows })),
    }),
  );
  return file;
}

test('1-minute rates: each row summed back over at least 60 s; none before a minute is covered', () => {
  const rows = Array.from({ length: 14 }, (_, i) => row(i, i < 12 ? 100 : 400));
  assert.deepEqual(minuteRates(rows.slice(0, 11)), []);
  assert.deepEqual(minuteRates(rows), [100, 125, 150]);
});

test("the leader's rows give the rates; keys and the database in use are the most the window held", () => {
  // 30 rows of 5 s at 100/s, with one minute at 300/s in the middle; the follower's rows are not read.
  const rates = Array.from({ length: 30 }, (_, i) => (i >= 12 && i < 24 ? 300 : 100));
  const leader = rates.map((r, i) => row(i, r, { isLeader: i === 29 ? 1 : 0 }));
  const follower = rates.map((_, i) => row(i, 999));
  const c = observeReportFigures(
    report([
      { name: 'm0', rows: follower },
      { name: 'm1', rows: leader },
    ]),
  );
  assert.equal(c.source.kind, 'observe-report');
  assert.equal(c.members, 2);
  assert.equal(c.ratePoints, 19);
  assert.equal(figureOf(c, 'write-rate-peak'), 300);
  assert.equal(figureOf(c, 'write-rate-p99'), 300);
  assert.equal(figureOf(c, 'keys'), 1029);
  assert.equal(figureOf(c, 'keys-gained'), 29);
  assert.equal(figureOf(c, 'db-in-use'), 1029 * 1000);
  assert.equal(
    figureOf(c, 'puts'),
    rates.reduce((a, r) => a + r * 5, 0),
  );
  assert.match(c.figures.find((f) => f.id === 'write-rate-peak')!.query, /the rows of m1 in r[0-9a-f]+\.json/);
});

test('a file that cannot size a run is exit 2, saying what is missing', () => {
  const refuse = (file: string, words: RegExp) =>
    assert.throws(
      () => observeReportFigures(file),
      (e: unknown) => e instanceof UsageError && e.option === 'like' && words.test(e.message),
    );
  const old = Array.from({ length: 30 }, (_, i) => row(i, 100, { proposalsCommitted: undefined }));
  refuse(report([{ name: 'm0', rows: old }]), /holds no per-interval etcd_server_proposals_committed_total/);
  refuse(report([{ name: 'm0', rows: Array.from({ length: 14 }, (_, i) => row(i, 100)) }]), /3 1-minute write rates/);
  const notObserve = join(dir, 'disk.json');
  writeFileSync(notObserve, JSON.stringify({ schema: 'etcd-disk-bench/disk-result@1' }));
  refuse(notObserve, /is not an observe report/);
  refuse(join(dir, 'missing.json'), /cannot read .*missing\.json/);
});

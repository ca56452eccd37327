// `qualify --like FILE`: the cluster's figures from an observe report, its
// per-interval rows on the leader: committed Raft entries summed over spans
// of at least a minute give the 1-minute rates; the store's puts, deletes
// and keys, and the database in use, come from the same rows.
import { FileLimitError, readTextBounded } from '../core/read-bounded.js';
import { basename } from 'node:path';
import { UsageError } from '../core/errors.js';
import { ETCD_METRICS as M } from '../etcd/metric-names.js';
import type { IntervalRow } from '../observe/member-series.js';
import { OBSERVE_REPORT_SCHEMA, type ObserveReport } from '../observe/observe-report.js';
import { type ClusterFigures, type LikeFigure, MIN_RATE_POINTS } from './cluster-figures.js';

const COMMITTED = M.proposalsCommitted.name;

/** The 1-minute rates of committed entries: each row's, summed back over at least 60 s. */
export function minuteRates(rows: IntervalRow[]): number[] {
  const out: number[] = [];
  for (let end = 0; end < rows.length; end++) {
    let entries = 0;
    let seconds = 0;
    for (let i = end; i >= 0 && seconds < 60; i--) {
      entries += rows[i]!.proposalsCommitted ?? 0;
      seconds += rows[i]!.seconds;
    }
    if (seconds >= 60) out.push(entries / seconds);
  }
  return out;
}

/** The nearest-rank quantile of `xs` (not empty). */
function quantile(xs: number[], q: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const sum = (rows: IntervalRow[], f: (r: IntervalRow) => number | null | undefined): number | null =>
  rows.some((r) => typeof f(r) === 'number') ? rows.reduce((a, r) => a + (f(r) ?? 0), 0) : null;

/** The figures of `--like` from the leader's rows (`on`: where they came from, in words) and its 1-minute rates. */
function figuresOf(rows: IntervalRow[], rates: number[], on: string): LikeFigure[] {
  const total = (xs: IntervalRow[]) => sum(xs, (r) => r.proposalsCommitted) ?? 0;
  const keyCounts = rows.map((r) => r.keys).filter((k): k is number => typeof k === 'number');
  const inUse = rows.map((r) => r.dbInUseBytes).filter((b): b is number => typeof b === 'number');
  return [
    {
      id: 'write-rate-peak',
      unit: 'writes/s',
      metric: COMMITTED,
      query: `the largest 1-minute rate over ${on}`,
      value: Math.max(...rates),
    },
    {
      id: 'write-rate-p99',
      unit: 'writes/s',
      metric: COMMITTED,
      query: `the p99 of the 1-minute rates over ${on}`,
      value: quantile(rates, 0.99),
    },
    {
      id: 'write-rate-mean',
      unit: 'writes/s',
      metric: COMMITTED,
      query: `entries committed over seconds in ${on}`,
      value: total(rows) / rows.reduce((a, r) => a + r.seconds, 0),
    },
    {
      id: 'puts',
      unit: 'ops',
      metric: M.puts.name,
      query: `summed over ${on}`,
      value: sum(rows, (r) => r.puts),
    },
    {
      id: 'deletes',
      unit: 'ops',
      metric: M.deletes.name,
      query: `summed over ${on}`,
      value: sum(rows, (r) => r.deletes),
    },
    {
      id: 'txns',
      unit: 'ops',
      metric: M.txns.name,
      query: `summed over ${on}`,
      value: sum(rows, (r) => r.txns),
    },
    {
      id: 'lease-grants',
      unit: 'ops',
      metric: M.leaseGrants.name,
      query: `summed over ${on}`,
      value: sum(rows, (r) => r.leaseGrants),
    },
    {
      id: 'keys-gained',
      unit: 'keys',
      metric: M.keys.name,
      query: `the most minus the fewest in ${on}`,
      value: keyCounts.length > 0 ? Math.max(...keyCounts) - Math.min(...keyCounts) : null,
    },
    {
      id: 'keys',
      unit: 'keys',
      metric: M.keys.name,
      query: `the most in ${on}`,
      value: keyCounts.length > 0 ? Math.max(...keyCounts) : null,
    },
    {
      id: 'db-in-use',
      unit: 'bytes',
      metric: M.dbInUse.name,
      query: `the most in ${on}`,
      value: inUse.length > 0 ? Math.max(...inUse) : null,
    },
  ];
}

/** Reads an observe report's figures; exit 2 for a file that is not one, or that lacks what a sizing needs. */
export function observeReportFigures(path: string): ClusterFigures {
  let report: ObserveReport;
  try {
    report = JSON.parse(readTextBounded(path, `--like: ${path}`)) as ObserveReport;
  } catch (e) {
    if (e instanceof FileLimitError) throw e;
    throw new UsageError(`--like: cannot read ${path} as JSON: ${(e as Error).message}`, 'like');
  }
  if (typeof report !== 'object' || report === null || report.schema !== OBSERVE_REPORT_SCHEMA)
    throw new UsageError(
      `--like: ${path} is not an observe report (schema ${String(report?.schema)}); give an observe report ` +
        'or a Prometheus URL',
      'like',
    );
  // A file from another node: the shapes read below are checked first, so a malformed one is refused, not a crash.
  const shaped =
    Array.isArray(report.members) &&
    report.members.every(
      (m: unknown) =>
        typeof m === 'object' &&
        m !== null &&
        Array.isArray((m as { intervals?: unknown }).intervals) &&
        (m as { intervals: unknown[] }).intervals.every((r) => typeof r === 'object' && r !== null),
    );
  if (!shaped)
    throw new UsageError(
      `--like: ${path} is not a well-formed observe report: its members and their intervals are not lists of ` +
        'objects',
      'like',
    );
  const withRows = report.members.filter((m) => m.intervals.some((r) => typeof r.proposalsCommitted === 'number'));
  if (withRows.length === 0)
    throw new UsageError(
      `--like: ${path} holds no per-interval ${COMMITTED} (observe reports before this version did not keep it): ` +
        'observe the cluster again, or give its Prometheus URL',
      'like',
    );
  // The leader at the end, else the member that committed the most (every member commits the same entries).
  const total = (rows: IntervalRow[]) => sum(rows, (r) => r.proposalsCommitted) ?? 0;
  const leader =
    withRows.find((m) => m.intervals.at(-1)?.isLeader === 1) ??
    [...withRows].sort((a, b) => total(b.intervals) - total(a.intervals))[0]!;
  const rows = leader.intervals;
  const rates = minuteRates(rows);
  if (rates.length < MIN_RATE_POINTS)
    throw new UsageError(
      `--like: ${path} covers ${Math.round(report.window.seconds)} s, ${rates.length} 1-minute write rates; ` +
        `at least ${MIN_RATE_POINTS} are needed to size a run, and a guess is not run: observe for longer`,
      'like',
    );
  const figures = figuresOf(rows, rates, `the rows of ${leader.name} in ${basename(path)}`);
  const intervals = rows.map((r) => r.seconds).sort((a, b) => a - b);
  return {
    source: { kind: 'observe-report', path, runId: report.runId ?? null },
    name: basename(path),
    window: {
      seconds: Math.round(report.window.seconds),
      endMs: report.window.endMs,
      resolutionSeconds: Math.round(intervals[Math.floor(intervals.length / 2)]!),
    },
    ratePoints: rates.length,
    members: report.members.length,
    figures,
  };
}

// `report compare` for two observe reports: each member's WAL fsync, backend
// commit and worst peer round-trip p99 side by side (bucket estimates), the
// checks that flipped to FAIL, the cluster's letter. Members are matched by
// name; one present in only one report is a caveat.
import type { ObservedMember, ObserveReport } from '../observe/observe-report.js';
import { comparison, metricRow, type CompareOptions, type Comparison } from './compare.js';

const FIGURES: { name: string; pick: (m: ObservedMember) => number | null }[] = [
  { name: 'WAL fsync p99 (bucket estimate)', pick: (m) => m.metrics.walFsync?.p99?.estimateNs ?? null },
  { name: 'backend commit p99 (bucket estimate)', pick: (m) => m.metrics.backendCommit?.p99?.estimateNs ?? null },
  {
    name: 'peer RTT p99, worst link (estimate)',
    pick: (m) => m.checks.find((c) => c.id === 'peer-rtt-p99')?.measured ?? null,
  },
];

/** Compares two observations of a cluster. */
export function compareObserveReports(before: ObserveReport, after: ObserveReport, o: CompareOptions): Comparison {
  const caveats: string[] = [];
  const metrics = [];
  const flipped = [];
  for (const a of after.members) {
    const b = before.members.find((m) => m.name === a.name);
    if (!b) {
      caveats.push(`member ${a.name} is only in AFTER`);
      continue;
    }
    for (const f of FIGURES) metrics.push(metricRow(`${a.name}: ${f.name}`, 'ms', f.pick(b), f.pick(a), o));
    for (const c of a.checks) {
      const was = b.checks.find((x) => x.id === c.id);
      if (was?.status === 'pass' && c.status === 'fail')
        flipped.push({ id: `${a.name} ${c.id}`, title: `${a.name}: ${c.title}`, before: was.status, after: c.status });
    }
  }
  for (const b of before.members)
    if (!after.members.some((m) => m.name === b.name)) caveats.push(`member ${b.name} is only in BEFORE`);
  return comparison(metrics, flipped, before, after, caveats);
}

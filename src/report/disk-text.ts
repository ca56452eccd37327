// The readable summary of a disk result. A pure function of the result: it
// formats numbers the stats module computed and never computes its own.
import type { Check, DiskResult } from '../disk/result.js';
import { formatDuration, formatSize } from '../options/units.js';
import type { LatencySummary } from '../stats/summary.js';

/** All latencies print in milliseconds with microsecond resolution: one unit, scripts can read it. */
export function ms(ns: number | null): string {
  return ns === null ? '-' : (ns / 1e6).toFixed(3);
}

function syncWords(w: DiskResult['workload']): string {
  if (w.syncMethod === 'none') return 'no sync';
  if (w.syncMethod === 'dsync' || w.syncMethod === 'sync') return `every write opened O_${w.syncMethod.toUpperCase()}`;
  return `${w.syncMethod} after ${w.syncEvery === 1 ? 'every write' : `every ${w.syncEvery} writes`}`;
}

function row(label: string, s: LatencySummary): string {
  const cells = [s.count, s.minNs, s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.p9999Ns, s.maxNs, s.meanNs];
  return [label.padEnd(14), String(cells[0]).padStart(9), ...cells.slice(1).map((v) => ms(v).padStart(9))].join('');
}

function checkLine(c: Check): string {
  const verdict = c.status === 'pass' ? 'PASS' : c.status === 'fail' ? 'FAIL' : 'NOT RUN';
  const measured = c.measuredNs === null ? (c.note ?? 'not measured') : `${ms(c.measuredNs)} ms`;
  return `${verdict.padEnd(8)}${c.title} ${measured} (limit < ${ms(c.limitNs)} ms; ${c.source})`;
}

/** The summary printed on stderr after a disk run. */
export function renderDiskText(r: DiskResult): string {
  const w = r.workload;
  const lines: string[] = [];
  lines.push(`etcd-disk-bench disk: ${r.target.dir} (${r.target.fsType}), engine ${r.engine}${r.profile ? `, profile ${r.profile.name}` : ''}`);
  lines.push(
    `workload: ${formatSize(w.blockSize)} writes, ${syncWords(w)}${w.direct ? ', O_DIRECT' : ''}, ` +
      `file ${formatSize(w.fileSize)} prepared with ${w.prepare}` +
      `${w.timeBased ? `, time-based ${formatDuration(w.runtimeNs)}` : w.runtimeNs > 0 ? `, at most ${formatDuration(w.runtimeNs)}` : ''}` +
      `, ${w.loop === 'open' ? `open loop at ${w.rateOpsPerSec}/s` : 'closed loop'}`,
  );
  const t = r.totals;
  lines.push(`result:   ${t.ops} writes, ${t.syncs} syncs in ${(t.elapsedNs / 1e9).toFixed(2)} s: ${t.iops} IOPS, ${(t.bytesPerSec / 1048576).toFixed(2)} MiB/s`);
  lines.push('');
  lines.push(['latency (ms)'.padEnd(14), 'count'.padStart(9), ...['min', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max', 'mean'].map((h) => h.padStart(9))].join(''));
  lines.push(row('write()', r.latency.write));
  if (r.latency.sync.count > 0) lines.push(row(w.syncMethod, r.latency.sync));
  lines.push(row('write+sync', r.latency.op));
  if (r.latency.response.count > 0) lines.push(row('response', r.latency.response));
  lines.push('');
  for (const c of r.checks) lines.push(checkLine(c));
  for (const m of r.warnings) lines.push(`warning: ${m}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return lines.join('\n') + '\n';
}

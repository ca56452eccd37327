// The rules a load is graded by: etcdctl check perf's (no errors, throughput
// above 90 % of the target, slowest request under 0.5 s, stddev under 0.1 s)
// plus a response-time p99 bound. A limit of 0 means "not checked".
import type { Check } from '../verdict/check.js';
import type { LoadResult } from '../load/load-result.js';
import type { LoadOptions } from '../load/load-option-values.js';

const CHECK_PERF = 'etcdctl check perf (etcdctl/ctlv3/command/check.go)';

function latencyCheck(
  id: string,
  title: string,
  measured: number,
  limit: number,
  source: string,
  answered: number,
): Check | null {
  // No limit is no check: the figure stays in the result's latency, not in the list of what was judged.
  if (limit === 0) return null;
  const base = { id, title, unit: 'ns', comparison: '<=', limit, source } as const;
  // Zero answered requests is no latency at all, not 0 ms: the errors check carries that failure.
  if (answered === 0) return { ...base, measured: null, status: 'not-run', note: 'no request was answered' };
  return { ...base, measured, status: measured <= limit ? 'pass' : 'fail' };
}

/** Grades a finished load. Latency rules read the response time (from each intended start). */
export function loadChecks(r: Pick<LoadResult, 'totals' | 'latency' | 'workload'>, o: LoadOptions): Check[] {
  const checks: Check[] = [];
  const failed = r.totals.failed;
  checks.push({
    id: 'errors',
    title: 'failed requests',
    unit: 'requests',
    comparison: '<=',
    measured: failed,
    limit: o.maxErrors,
    status: r.totals.answered === 0 ? 'fail' : failed <= o.maxErrors ? 'pass' : 'fail',
    source: CHECK_PERF,
    ...(r.totals.answered === 0 ? { note: 'no request was answered' } : {}),
  });
  const target = r.workload.rateTarget;
  const floor = (target * o.minThroughputPercent) / 100;
  // A closed loop has no target rate, so nothing to judge its throughput by.
  if (target > 0)
    checks.push({
      id: 'throughput',
      title: 'requests/s achieved',
      unit: 'requests/s',
      comparison: '>',
      measured: r.totals.achievedPerSec,
      limit: floor,
      status: r.totals.achievedPerSec > floor ? 'pass' : 'fail',
      source: `${CHECK_PERF}: more than ${o.minThroughputPercent} % of the target rate`,
    });
  const resp = r.latency.response;
  const n = r.totals.answered;
  const latency = [
    latencyCheck('slowest', 'slowest request', resp.maxNs, o.putMaxLimit, CHECK_PERF, n),
    latencyCheck('stddev', 'latency standard deviation', resp.stddevNs, o.putStddevLimit, CHECK_PERF, n),
    latencyCheck(
      'request-p99',
      'request p99 (response time)',
      resp.p99Ns,
      o.putP99Limit,
      "the profile's bound on what a client waits",
      n,
    ),
  ];
  return [...checks, ...latency.filter((c) => c !== null)];
}

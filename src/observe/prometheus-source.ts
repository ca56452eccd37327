// The Prometheus source of `observe`: the same metrics, read from a
// Prometheus server that scrapes the members, over the last --since, without
// touching the cluster. One range query returns every needed series' raw
// values at each step; each step becomes a snapshot of each instance, added
// to its series exactly as a live read would be (counter resets included).
import { formatDuration } from '../options/units.js';
import { fetchText } from '../etcd/fetch-text.js';
import type { Sample } from '../etcd/prometheus.js';
import { EnvironmentError } from '../core/errors.js';
import type { PhaseEvents } from '../events/phase-events.js';
import type { MemberSource } from './assemble-observe.js';
import { ETCD_METRICS as M, seriesSelector } from '../etcd/metric-names.js';
import { MemberSeries } from './member-series.js';
import { serverIdOf } from './scrape-members.js';
import type { ObserveSource } from './observe-report.js';

/** Every series observe reads, by name. */
export const SERIES_SELECTOR = seriesSelector(['process_cpu_seconds_total', 'process_resident_memory_bytes']);

/** At most this many steps per series (Prometheus refuses more than 11,000). */
const MAX_STEPS = 2000;

interface Matrix {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] };
}

/**
 * Groups a range query's matrix into snapshots: instance -> timestamp (s) -> samples. The answer comes from a server we
 * do not control: a series or a point of the wrong shape is skipped, never trusted.
 */
export function snapshotsOf(result: NonNullable<Matrix['data']>['result']): Map<string, Map<number, Sample[]>> {
  const out = new Map<string, Map<number, Sample[]>>();
  for (const series of Array.isArray(result) ? result : []) {
    const metric: unknown = series?.metric;
    if (typeof metric !== 'object' || metric === null || !Array.isArray(series.values)) continue;
    const { __name__: name, instance = '', job: _job, ...labels } = metric as Record<string, string>;
    if (typeof name !== 'string' || name === '' || typeof instance !== 'string') continue;
    const byTime = out.get(instance) ?? new Map<number, Sample[]>();
    out.set(instance, byTime);
    for (const point of series.values) {
      if (!Array.isArray(point) || typeof point[0] !== 'number') continue;
      const [t, v] = point;
      const value = v === '+Inf' ? Infinity : Number(v);
      if (Number.isNaN(value)) continue;
      const list = byTime.get(t) ?? [];
      list.push({ name, labels, value });
      byTime.set(t, list);
    }
  }
  return out;
}

/** Reads the last --since from Prometheus; every instance that reports etcd_server_has_leader is a member. */
export async function readPrometheus(
  o: { prometheusUrl: string; since: number; interval: number; requestTimeout: number },
  events: PhaseEvents,
  profile: string | null,
): Promise<{ source: ObserveSource; cluster: null; members: MemberSource[]; startMs: number }> {
  const base = o.prometheusUrl.replace(/\/+$/, '');
  const sinceS = o.since / 1e9;
  const step = Math.max(o.interval / 1e9, Math.ceil(sinceS / MAX_STEPS));
  const end = Math.floor(Date.now() / 1000);
  const start = end - sinceS;
  events.start(0, `Prometheus at ${base}, the last ${formatDuration(o.since)}`, profile);
  const q = new URLSearchParams({ query: SERIES_SELECTOR, start: String(start), end: String(end), step: String(step) });
  let body: Matrix;
  try {
    body = JSON.parse(
      await fetchText(`${base}/api/v1/query_range?${q}`, {}, Math.max(60_000, o.requestTimeout / 1e6)),
    ) as Matrix;
  } catch (e) {
    throw new EnvironmentError(`--prometheus-url: cannot query ${base}: ${(e as Error).message}`, 'UNREACHABLE');
  }
  if (typeof body !== 'object' || body === null || body.status !== 'success' || !Array.isArray(body.data?.result))
    throw new EnvironmentError(
      `--prometheus-url: ${base} did not answer a Prometheus matrix (status ${String(body?.status)}: ` +
        `${String(body?.error ?? 'no data')})`.slice(0, 500),
    );
  const members: MemberSource[] = [];
  for (const [instance, byTime] of snapshotsOf(body.data!.result)) {
    const times = [...byTime.keys()].sort((a, b) => a - b);
    if (!times.some((t) => byTime.get(t)!.some((s) => s.name === M.hasLeader.name))) continue;
    const series = new MemberSeries();
    for (const t of times) series.add(byTime.get(t)!, t * 1000);
    members.push({
      name: instance,
      id: series.last ? serverIdOf(series.last) : null,
      metricsFrom: instance,
      info: null,
      series,
      alarms: null,
    });
  }
  if (members.length === 0)
    throw new EnvironmentError(
      `--prometheus-url: ${base} holds no etcd series (${M.hasLeader.name}) in the last ${formatDuration(o.since)}`,
    );
  members.sort((a, b) => a.name.localeCompare(b.name));
  return {
    source: { kind: 'prometheus', url: base, selector: SERIES_SELECTOR, stepSeconds: step, sinceSeconds: sinceS },
    cluster: null,
    members,
    startMs: start * 1000,
  };
}

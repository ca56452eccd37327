// `qualify --like http://PROMETHEUS`: the cluster's figures from the
// Prometheus server that scrapes it, by instant queries over --since. Only
// GET /api/v1/query is sent (reads, nothing written), each with its own
// deadline. A server that cannot be reached is the environment (exit 3); one
// that is not Prometheus, or holds no etcd, is the input (exit 2).
import { fetchBody, ReadLimitError } from '../etcd/fetch-text.js';
import { ETCD_METRICS as M } from '../etcd/metric-names.js';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { formatDuration } from '../options/units.js';
import { type ClusterFigures, type LikeFigure, MIN_RATE_POINTS } from './cluster-figures.js';

/** Each query's deadline. */
export const QUERY_DEADLINE_MS = 30_000;

/** The spacing of the 1-minute rates over a window: 5 s for minutes, at most 60 s (7 d: 10,080 points). */
export function resolutionFor(windowSeconds: number): number {
  return Math.min(60, Math.max(5, Math.ceil(windowSeconds / 300)));
}

const COMMITTED = M.proposalsCommitted.name;

/** The leader's 1-minute rate of committed entries (any member's where etcd_server_is_leader is not exported). */
const RATE = `rate(${COMMITTED}[1m])`;
export const LEADER_RATE = `max(${RATE} and on(instance) (${M.isLeader.name} == 1)) or max(${RATE})`;

interface Vector {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** One instant query at `time` (s); its first value, or null for an empty answer or NaN. */
async function query(base: string, promql: string, time: number): Promise<number | null> {
  const url = `${base}/api/v1/query?${new URLSearchParams({ query: promql, time: String(time) })}`;
  let res: { status: number; text: string };
  try {
    res = await fetchBody(url, {}, QUERY_DEADLINE_MS);
  } catch (e) {
    if (e instanceof ReadLimitError) throw e;
    const err = e as Error & { code?: string; timeout?: boolean };
    const why = err.timeout ? `no answer within ${QUERY_DEADLINE_MS / 1000} s` : (err.code ?? err.message);
    throw new EnvironmentError(`--like: cannot query Prometheus at ${base}: ${why}`, 'UNREACHABLE');
  }
  const text = res.text;
  let body: Vector;
  try {
    body = JSON.parse(text) as Vector;
  } catch {
    throw new UsageError(
      `--like: ${base} is not a Prometheus server: GET /api/v1/query answered HTTP ${res.status}, not JSON`,
      'like',
    );
  }
  if (res.status >= 500 || typeof body !== 'object' || body === null || body.status !== 'success')
    throw new EnvironmentError(
      `--like: Prometheus at ${base} failed the query ${promql}: HTTP ${res.status} ${String(
        (body as Partial<Vector> | null)?.error ?? '',
      ).slice(0, 300)}`.trim(),
    );
  // From a server we do not control: a vector of the wrong shape reads as no value.
  const result: unknown = body.data?.result;
  const first: unknown = Array.isArray(result) ? result[0] : undefined;
  const value: unknown = typeof first === 'object' && first !== null ? (first as { value?: unknown }).value : undefined;
  const v = Array.isArray(value) ? value[1] : undefined;
  const n = typeof v === 'string' || typeof v === 'number' ? Number(v) : null;
  return n === null || Number.isNaN(n) ? null : n;
}

/** Reads the cluster's figures over the last `sinceNs` from the Prometheus at `url`. */
export async function prometheusFigures(url: string, sinceNs: number, nowMs = Date.now()): Promise<ClusterFigures> {
  const base = url.replace(/\/+$/, '');
  const w = Math.round(sinceNs / 1e9);
  const res = resolutionFor(w);
  const end = Math.floor(nowMs / 1000);
  const over = `[${w}s:${res}s]`;
  const since = formatDuration(sinceNs);
  const members = await query(base, `count(last_over_time(${COMMITTED}[${w}s]))`, end);
  if (members === null)
    throw new UsageError(
      `--like: Prometheus at ${base} holds no ${COMMITTED} over the last ${since}: it does not scrape etcd ` +
        '(or did not then); give the Prometheus that scrapes the cluster, or a longer --since',
      'like',
    );
  const points = (await query(base, `count_over_time((${LEADER_RATE})${over})`, end)) ?? 0;
  if (points < MIN_RATE_POINTS)
    throw new UsageError(
      `--since: the last ${since} holds ${points} 1-minute write rates (every ${res} s); at least ` +
        `${MIN_RATE_POINTS} are needed to size a run, and a guess is not run: give a longer --since`,
      'since',
    );
  const inc = (m: string) => `max(increase(${m}[${w}s]))`;
  const most = (m: string) => `max(max_over_time(${m}[${w}s]))`;
  const specs: Omit<LikeFigure, 'value'>[] = [
    { id: 'write-rate-peak', unit: 'writes/s', metric: COMMITTED, query: `max_over_time((${LEADER_RATE})${over})` },
    {
      id: 'write-rate-p99',
      unit: 'writes/s',
      metric: COMMITTED,
      query: `quantile_over_time(0.99, (${LEADER_RATE})${over})`,
    },
    { id: 'write-rate-mean', unit: 'writes/s', metric: COMMITTED, query: `avg_over_time((${LEADER_RATE})${over})` },
    { id: 'puts', unit: 'ops', metric: M.puts.name, query: inc(M.puts.name) },
    { id: 'deletes', unit: 'ops', metric: M.deletes.name, query: inc(M.deletes.name) },
    { id: 'txns', unit: 'ops', metric: M.txns.name, query: inc(M.txns.name) },
    { id: 'lease-grants', unit: 'ops', metric: M.leaseGrants.name, query: inc(M.leaseGrants.name) },
    {
      id: 'keys-gained',
      unit: 'keys',
      metric: M.keys.name,
      query: `max(max_over_time(${M.keys.name}[${w}s]) - min_over_time(${M.keys.name}[${w}s]))`,
    },
    { id: 'keys', unit: 'keys', metric: M.keys.name, query: most(M.keys.name) },
    { id: 'db-in-use', unit: 'bytes', metric: M.dbInUse.name, query: most(M.dbInUse.name) },
  ];
  const figures: LikeFigure[] = [];
  for (const s of specs) figures.push({ ...s, value: await query(base, s.query, end) });
  return {
    source: { kind: 'prometheus', url: base },
    name: new URL(base).host,
    window: { seconds: w, endMs: end * 1000, resolutionSeconds: res },
    ratePoints: points,
    members,
    figures,
  };
}

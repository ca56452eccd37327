// What bench:apiserver compares, read from etcd's own /metrics before and
// after a load: unary RPCs by method, watchers, WAL bytes and fsyncs, backend
// commits, etcd's CPU and the database's growth, each per request of the load
// (watchers as held at the end); then the table and the largest deviation.
import { parseMetrics, type Sample, total } from '../src/etcd/prometheus.js';

export interface Snapshot {
  samples: Sample[];
}

export async function scrape(endpoint: string): Promise<Snapshot> {
  const res = await fetch(`${endpoint}/metrics`, { signal: AbortSignal.timeout(10_000) });
  return { samples: parseMetrics(await res.text()) };
}

const unaryByMethod = (s: Snapshot) => {
  const out = new Map<string, number>();
  for (const x of s.samples)
    if (x.name === 'grpc_server_handled_total' && x.labels.grpc_type === 'unary')
      out.set(x.labels.grpc_method!, (out.get(x.labels.grpc_method!) ?? 0) + x.value);
  return out;
};

/** Figures of one load: name -> value per request (or, for watchers, as held at the end). */
export function figures(before: Snapshot, after: Snapshot, requests: number): Map<string, number> {
  const per = (name: string) => ((total(after.samples, name) ?? 0) - (total(before.samples, name) ?? 0)) / requests;
  const f = new Map<string, number>();
  const b = unaryByMethod(before);
  for (const [m, v] of unaryByMethod(after)) f.set(`rpc ${m}`, (v - (b.get(m) ?? 0)) / requests);
  f.set('watchers (held)', total(after.samples, 'etcd_debugging_mvcc_watcher_total') ?? 0);
  f.set('watch streams (held)', total(after.samples, 'etcd_debugging_mvcc_watch_stream_total') ?? 0);
  f.set('watch events sent', per('etcd_debugging_mvcc_events_total'));
  f.set('WAL bytes', per('etcd_disk_wal_write_bytes_total'));
  f.set('WAL fsyncs', per('etcd_disk_wal_fsync_duration_seconds_count'));
  f.set('backend commits', per('etcd_disk_backend_commit_duration_seconds_count'));
  f.set('etcd CPU us', per('process_cpu_seconds_total') * 1e6);
  f.set('db growth bytes', per('etcd_mvcc_db_total_size_in_use_in_bytes'));
  return f;
}

export interface Row {
  name: string;
  real: number;
  ours: number;
  /** |ours - real| / real; null where the figure is too small to count (see `counted`). */
  deviation: number | null;
}

/**
 * The rows of both loads. An RPC method counts toward the deviation when it is at least 1 % of the real API
 * server's unary RPCs (a Status every 30 s is no part of the load's cost); every other figure counts.
 */
export function compare(real: Map<string, number>, ours: Map<string, number>): Row[] {
  const names = [...new Set([...real.keys(), ...ours.keys()])];
  const rpcs = [...real].filter(([n]) => n.startsWith('rpc ')).reduce((a, [, v]) => a + v, 0);
  const rows = names
    .filter((n) => (real.get(n) ?? 0) !== 0 || (ours.get(n) ?? 0) !== 0)
    .map((name) => {
      const r = real.get(name) ?? 0;
      const o = ours.get(name) ?? 0;
      const counted = !name.startsWith('rpc ') || r >= 0.01 * rpcs;
      const deviation = !counted ? null : r === 0 ? (o === 0 ? 0 : 1) : Math.abs(o - r) / r;
      return { name, real: r, ours: o, deviation };
    });
  const rank = (n: string) => (n.startsWith('rpc ') ? 0 : 1);
  return rows.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toFixed(4));

const deviation = (r: Row) => (r.deviation === null ? '(under 1 % of RPCs)' : `${(r.deviation * 100).toFixed(1)} %`);
const maxLine = (rows: Row[]) => `max deviation ${(Math.max(...rows.map((r) => r.deviation ?? 0)) * 100).toFixed(1)} %`;

/** The table, then `max deviation N %` (over the counted rows). */
export function table(rows: Row[]): string {
  const lines = [
    `${'figure (per request)'.padEnd(28)}${'real API server'.padStart(17)}${'our kube load'.padStart(15)}  deviation`,
  ];
  for (const r of rows)
    lines.push(`${r.name.padEnd(28)}${fmt(r.real).padStart(17)}${fmt(r.ours).padStart(15)}  ${deviation(r)}`);
  lines.push(maxLine(rows));
  return lines.join('\n');
}

/** The same as markdown for the docs (docs/figures/apiserver.md), after a line saying what ran. */
export function markdown(rows: Row[], ran: string): string {
  return [
    ran,
    '',
    '| figure (per request) | real API server | our kube load | deviation |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${fmt(r.real)} | ${fmt(r.ours)} | ${deviation(r)} |`),
    '',
    `**${maxLine(rows)}**`,
  ].join('\n');
}

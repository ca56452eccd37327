// Every etcd metric this tool reads, in one place, with the etcd minors that
// expose it. Checked against each minor's own /metrics by
// test/etcd/metric-names.system.test.ts. A metric a member's version does not
// expose is said to be missing (missingMetric), never read as zero.
import { minorOf } from './kubeadm-flags.js';

export const ETCD_MINORS = ['3.4', '3.5', '3.6', '3.7'] as const;
export type EtcdMinor = (typeof ETCD_MINORS)[number];

export interface MetricSpec {
  name: string;
  /** The minors that expose it (3.4 is the oldest this tool meets). */
  minors: readonly EtcdMinor[];
  /** The first patch release that exposes it, where that is not the minor's first. */
  fromPatch?: string;
  /** A histogram: its series are NAME_bucket, NAME_count and NAME_sum. */
  histogram?: true;
  /** Exposed only once etcd has something to label it with. */
  only?: 'with peers';
  /** Who reads it. */
  readBy: string;
}

const ALL = ETCD_MINORS;

export const ETCD_METRICS = {
  walFsync: {
    name: 'etcd_disk_wal_fsync_duration_seconds',
    minors: ALL,
    histogram: true,
    readBy: 'load, qualify, observe, labs',
  },
  backendCommit: {
    name: 'etcd_disk_backend_commit_duration_seconds',
    minors: ALL,
    histogram: true,
    readBy: 'load, qualify, observe, labs',
  },
  walWrite: {
    name: 'etcd_disk_wal_write_duration_seconds',
    minors: ['3.5', '3.6', '3.7'],
    fromPatch: '3.5.15',
    histogram: true,
    readBy: 'load, qualify (shown beside the fsync)',
  },
  peerRtt: {
    name: 'etcd_network_peer_round_trip_time_seconds',
    minors: ALL,
    histogram: true,
    only: 'with peers',
    readBy: 'observe',
  },
  leaderChanges: { name: 'etcd_server_leader_changes_seen_total', minors: ALL, readBy: 'load, qualify, observe' },
  hasLeader: { name: 'etcd_server_has_leader', minors: ALL, readBy: 'load, qualify, observe' },
  isLeader: { name: 'etcd_server_is_leader', minors: ALL, readBy: 'observe, --like' },
  heartbeatSendFailures: {
    name: 'etcd_server_heartbeat_send_failures_total',
    minors: ALL,
    readBy: 'load, qualify, observe',
  },
  proposalsCommitted: {
    name: 'etcd_server_proposals_committed_total',
    minors: ALL,
    readBy: 'load, observe, --like',
  },
  proposalsFailed: { name: 'etcd_server_proposals_failed_total', minors: ALL, readBy: 'load, qualify, observe' },
  proposalsPending: { name: 'etcd_server_proposals_pending', minors: ALL, readBy: 'load, qualify' },
  slowApplies: { name: 'etcd_server_slow_apply_total', minors: ALL, readBy: 'load, observe' },
  quotaBytes: { name: 'etcd_server_quota_backend_bytes', minors: ALL, readBy: 'load, qualify' },
  serverId: { name: 'etcd_server_id', minors: ALL, readBy: 'observe (which URL serves which member)' },
  serverVersion: { name: 'etcd_server_version', minors: ALL, readBy: 'load, observe (the member version)' },
  dbSize: { name: 'etcd_mvcc_db_total_size_in_bytes', minors: ALL, readBy: 'load, observe' },
  dbInUse: { name: 'etcd_mvcc_db_total_size_in_use_in_bytes', minors: ALL, readBy: 'load, observe, --like' },
  puts: { name: 'etcd_mvcc_put_total', minors: ALL, readBy: 'observe, --like' },
  deletes: { name: 'etcd_mvcc_delete_total', minors: ALL, readBy: 'observe, --like' },
  txns: { name: 'etcd_mvcc_txn_total', minors: ALL, readBy: 'observe, --like' },
  keys: { name: 'etcd_debugging_mvcc_keys_total', minors: ALL, readBy: 'observe, --like' },
  leaseGrants: { name: 'etcd_debugging_lease_granted_total', minors: ALL, readBy: 'observe, --like' },
  revision: { name: 'etcd_debugging_mvcc_current_revision', minors: ALL, readBy: 'load (compaction progress)' },
  compactRevision: {
    name: 'etcd_debugging_mvcc_compact_revision',
    minors: ALL,
    readBy: 'load (compaction progress)',
  },
} as const satisfies Record<string, MetricSpec>;
export type EtcdMetric = keyof typeof ETCD_METRICS;

/**
 * Names older tools read that a minor removed, kept so a reader can tell "renamed" from "absent": 3.5 dropped the
 * debugging put, delete and txn counters and the debugging db size for their etcd_mvcc_* names.
 */
export const REMOVED_METRICS: readonly { name: string; minors: readonly EtcdMinor[]; instead: EtcdMetric }[] = [
  { name: 'etcd_debugging_mvcc_put_total', minors: ['3.4'], instead: 'puts' },
  { name: 'etcd_debugging_mvcc_delete_total', minors: ['3.4'], instead: 'deletes' },
  { name: 'etcd_debugging_mvcc_txn_total', minors: ['3.4'], instead: 'txns' },
  { name: 'etcd_debugging_mvcc_db_total_size_in_bytes', minors: ['3.4'], instead: 'dbSize' },
];

/** The member's version, from etcd_server_version's label (null when the scrape has none). */
export function versionIn(samples: readonly { name: string; labels: Record<string, string> }[]): string | null {
  return samples.find((s) => s.name === ETCD_METRICS.serverVersion.name)?.labels.server_version ?? null;
}

function patchBefore(version: string, first: string): boolean {
  const a = version.split('.').map(Number);
  const b = first.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  return false;
}

/** Whether an etcd of this version exposes the metric (true for a version we cannot read: it is looked for). */
export function exposes(metric: EtcdMetric, version: string | null): boolean {
  const v = version ? minorOf(version) : null;
  if (!v) return true;
  const spec: MetricSpec = ETCD_METRICS[metric];
  const minor = `${v.major}.${v.minor}`;
  const newest = ETCD_MINORS[ETCD_MINORS.length - 1]!;
  const known = (ETCD_MINORS as readonly string[]).includes(minor);
  // A minor newer than the table: as the newest it knows.
  const inMinor = known ? spec.minors.includes(minor as EtcdMinor) : spec.minors.includes(newest);
  return inMinor && !(spec.fromPatch && version && patchBefore(version, spec.fromPatch));
}

/** Why a member has no figure for the metric, when its version does not expose it; null when it should have one. */
export function missingMetric(metric: EtcdMetric, version: string | null): string | null {
  if (exposes(metric, version)) return null;
  const spec: MetricSpec = ETCD_METRICS[metric];
  return `etcd ${version} does not expose ${spec.name} (from ${spec.fromPatch ?? spec.minors[0]})`;
}

/** A Prometheus selector for every series in the table, and more names besides (process_*). */
export function seriesSelector(more: readonly string[]): string {
  const specs: MetricSpec[] = Object.values(ETCD_METRICS);
  const names = specs.map((m) => (m.histogram ? `${m.name}_(bucket|count|sum)` : m.name));
  return `{__name__=~"${[...names, ...more].join('|')}"}`;
}

/** Where docs/etcd-versions.md holds the generated table. */
export const METRICS_MARKERS = ['<!-- metric table: npm run docs -->', '<!-- end of metric table -->'] as const;

/** The table as docs/etcd-versions.md shows it (npm run docs writes it; a test checks they agree). */
export function metricsMarkdown(): string {
  const specs: MetricSpec[] = Object.values(ETCD_METRICS);
  const cell = (m: MetricSpec, minor: EtcdMinor) =>
    !m.minors.includes(minor) ? 'no' : m.fromPatch?.startsWith(`${minor}.`) ? `from ${m.fromPatch}` : 'yes';
  const rows = specs.map(
    (m) =>
      `| \`${m.name}\`${m.only ? ` (${m.only})` : ''} | ${ETCD_MINORS.map((v) => cell(m, v)).join(' | ')} | ` +
      `${m.readBy} |`,
  );
  const removed = REMOVED_METRICS.map(
    (r) =>
      `| \`${r.name}\` (removed; read \`${ETCD_METRICS[r.instead].name}\`) | ` +
      `${ETCD_MINORS.map((v) => (r.minors.includes(v) ? 'yes' : 'no')).join(' | ')} | nothing |`,
  );
  return [
    `| metric | ${ETCD_MINORS.join(' | ')} | read by |`,
    `|---|${ETCD_MINORS.map(() => '---|').join('')}---|`,
    ...rows,
    ...removed,
  ].join('\n');
}

// The shape of an `observe` report: a cluster watched from its members' own
// metrics (or from a Prometheus server), each member graded on its own, the
// worst member's letter for the cluster. Same family and header as the
// qualify report; schema/observe-report.schema.json describes it.
import type { Check, Grade } from '../verdict/check.js';
import type { Attribution } from '../verdict/attribution.js';
import type { HostEvidence } from '../host/host-sampler.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { HostFacts } from '../host/host-facts.js';
import type { ValueSource } from '../options/resolve.js';
import type { RunHeader } from '../run/header.js';
import type { ClusterInfo, MemberInfo } from './cluster-info.js';
import type { IntervalRow, PeerRtt } from './member-series.js';

export const OBSERVE_REPORT_SCHEMA = 'etcd-disk-bench/observe-report@1';

export type ObserveSource =
  | { kind: 'members'; endpoints: string[]; intervalSeconds: number }
  | { kind: 'prometheus'; url: string; selector: string; stepSeconds: number; sinceSeconds: number };

export interface ObservedMember {
  /** The member's name (or, from Prometheus, its instance label). */
  name: string;
  /** Member id in hex; null when not known (Prometheus without etcd_server_id). */
  id: string | null;
  /** Where its metrics were read: a /metrics URL, or the Prometheus instance label. */
  metricsFrom: string;
  info: MemberInfo | null;
  /** The window's deltas and gauges. */
  metrics: MemberMetrics;
  peerRtt: PeerRtt[];
  /** One row per interval between two successful reads. */
  intervals: IntervalRow[];
  checks: Check[];
  grade: Grade;
}

export interface ObserveReport extends RunHeader<typeof OBSERVE_REPORT_SCHEMA> {
  commandLine: string;
  /** The machine observe ran on (not the members'). */
  host: HostFacts;
  source: ObserveSource;
  /** The window observed (ms since the epoch). */
  window: { startMs: number; endMs: number; seconds: number };
  /** The member list, statuses and alarms at the start; null when read from Prometheus. */
  cluster: ClusterInfo | null;
  options: Record<string, { value: unknown; source: ValueSource }>;
  members: ObservedMember[];
  /** This host's CPU over the window (members read directly; absent before it, null from Prometheus). */
  hostEvidence?: HostEvidence | null;
  /** Who the missed disk limits of the members on this host belong to (null: none local, or no evidence). */
  attribution?: Attribution | null;
  /** The cluster's letter: the worst member's. */
  grade: Grade;
  /** The member that set the cluster's letter (null with none graded). */
  worstMember: string | null;
  verdict: { passed: boolean; text: string };
  warnings: string[];
}

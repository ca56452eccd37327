// The shape of a `load` run's result: the same statistics structures as the
// disk result, so a report can put disk and etcd side by side.
import type { Check } from '../disk/result.js';
import type { ValueSource } from '../options/resolve.js';
import type { RunHeader } from '../report/run-header.js';
import type { LoadStats } from '../stats/load-recorder.js';
import type { MemberMetrics } from './server-metrics.js';

export const LOAD_RESULT_SCHEMA = 'etcd-disk-bench/load-result@1';

export interface LoadResult extends RunHeader<typeof LOAD_RESULT_SCHEMA> {
  target: {
    endpoints: string[];
    /** The throwaway local etcd, when the load ran against one. */
    local: {
      version: string; members: number; dir: string; fsType: string;
      /** Members that died during the load (the load goes on while a quorum is left). */
      lost: { name: string; how: string; atSecond: number }[];
    } | null;
    /** The cluster held /registry/ keys (and --allow-kubernetes-cluster was given). */
    kubernetes: boolean;
  };
  options: Record<string, { value: unknown; source: ValueSource }>;
  workload: { name: string; loop: 'open' | 'closed'; rateTarget: number; clients: number; connections: number; runtimeNs: number; total: number };
  totals: {
    sent: number;
    answered: number;
    failed: number;
    conflicts: number;
    elapsedNs: number;
    /** Answered requests per second over the run. */
    achievedPerSec: number;
    byKind: Record<string, number>;
    errors: Record<string, number>;
  };
  /** CPU this process spent during the load (all threads), and per answered request. */
  client: { cpuUserNs: number; cpuSystemNs: number; cpuPerRequestNs: number };
  /** service: from the send; response: from the intended start (open loop) - the one graded. */
  latency: { service: LoadStats['service']; response: LoadStats['response'] };
  timeSeries: LoadStats['timeSeries'];
  errorsPerSecond: number[];
  histograms: LoadStats['histograms'];
  /** etcd's own metrics per member, deltas over the run. */
  server: MemberMetrics[];
  keys: { prefix: string; deleted: number | null };
  checks: Check[];
  passed: boolean;
  warnings: string[];
}

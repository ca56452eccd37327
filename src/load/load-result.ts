// The shape of a `load` run's result: the same statistics structures as the
// disk result, so a report can put disk and etcd side by side.
import type { Check } from '../verdict/check.js';
import type { ValueSource } from '../options/resolve.js';
import type { RunHeader } from '../run/header.js';
import type { LoadStats } from '../stats/load-recorder.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { Attribution } from '../verdict/attribution.js';
import type { HostEvidence } from '../host/host-sampler.js';
import type { CompactionLog } from './compactor.js';
import type { BackgroundLog } from './kube-background.js';
import type { DeviceIo } from '../host/device-io.js';
import type { WatchCounts } from './watch-streams.js';

export const LOAD_RESULT_SCHEMA = 'etcd-disk-bench/load-result@2';
export const OLDER_LOAD_SCHEMAS = ['etcd-disk-bench/load-result@1'];

export interface LoadResult extends RunHeader<typeof LOAD_RESULT_SCHEMA> {
  target: {
    endpoints: string[];
    /** The throwaway local etcd, when the load ran against one. */
    local: {
      version: string;
      members: number;
      dir: string;
      fsType: string;
      /** Flags the members ran with beyond ports and paths (kubeadm's control-plane settings). */
      flags: string[];
      /** Members that died during the load (the load goes on while a quorum is left). */
      lost: { name: string; how: string; atSecond: number }[];
    } | null;
    /** The cluster held /registry/ keys (and --allow-kubernetes-cluster was given). */
    kubernetes: boolean;
  };
  options: Record<string, { value: unknown; source: ValueSource }>;
  workload: {
    name: string;
    loop: 'open' | 'closed';
    rateTarget: number;
    clients: number;
    connections: number;
    /** What carried the requests: the own HTTP/2 client or grpc-js (absent in results from before --transport). */
    transport?: 'own' | 'grpc-js';
    /**
     * How the requests were timed: native (the addon's pacer thread wrote each at its time and stamped each answer
     * as read) or event-loop (Node timers and socket events); absent in results from before --pacing.
     */
    pacing?: 'native' | 'event-loop';
    /** Why that pacing (the reason native could not be used, or that it was). */
    pacingWhy?: string;
    workers: number;
    runtimeNs: number;
    total: number;
    /** The watches held as an API server's watch cache holds them (--kube-watches), counted at the end of sending. */
    watches?: WatchCounts;
  };
  totals: {
    /** Requests the open-loop schedule called for up to the end of sending (closed loop: = sent). */
    scheduled: number;
    sent: number;
    /** Due before the end but never sent: counted in failed (errors.NotSent), with their lateness as latency. */
    notSent: number;
    answered: number;
    /** Failed requests, never-sent ones included. */
    failed: number;
    conflicts: number;
    elapsedNs: number;
    /** Answered requests per second over the run. */
    achievedPerSec: number;
    byKind: Record<string, number>;
    errors: Record<string, number>;
  };
  /**
   * CPU this process spent during the load (all threads), and per answered request; how late its event loop ran (the
   * worst thread's; absent in results before it).
   */
  client: {
    cpuUserNs: number;
    cpuSystemNs: number;
    cpuPerRequestNs: number;
    eventLoopDelay?: LoadStats['eventLoopDelay'];
  };
  /**
   * service: from the send; response: from the intended start (open loop) - the one graded; failed: response
   * time of failed requests; lateness: send minus intended start; generatorDelay: the part of it with a client free;
   * collectDelay: from an answer's read to the generator taking it, the client's (absent in results before it).
   */
  latency: Pick<LoadStats, 'service' | 'response' | 'failed' | 'lateness' | 'generatorDelay'> &
    Partial<Pick<LoadStats, 'collectDelay'>>;
  timeSeries: LoadStats['timeSeries'];
  errorsPerSecond: number[];
  histograms: LoadStats['histograms'];
  /** etcd's own metrics per member, deltas over the run. */
  server: MemberMetrics[];
  keys: { prefix: string; deleted: number | null };
  checks: Check[];
  /** Host evidence sampled each second of the load (CPU busy, steal, pressure, memory, our CPU). */
  hostEvidence: HostEvidence;
  /** What the devices under our own etcd's data did over the load, from /proc/diskstats (absent before it). */
  deviceIo?: DeviceIo;
  /** Device writes per answered request at this rate; null without device I/O (absent in results before it). */
  deviceWritesPerRequest?: number | null;
  /** What a failing figure of the load belongs to: disk, host, client or etcd itself. */
  attribution: Attribution;
  /** kube on a local etcd: the compactions done as kube-apiserver would (null: none ran). */
  compaction: CompactionLog | null;
  /** kube: kube-apiserver's own reads beside the requests (health, Status, per-resource counts), counted. */
  background?: BackgroundLog;
  passed: boolean;
  warnings: string[];
}

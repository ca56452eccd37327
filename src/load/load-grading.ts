// What a load asks of its grader, which its caller hands in: the runner
// measures, the grader (src/grade/grade-load.ts) turns the figures into checks
// and says what a missed limit belongs to. The load folder imports no grading
// code.
import type { Attribution } from '../verdict/attribution.js';
import type { Check } from '../verdict/check.js';
import type { HostEvidence } from '../host/host-sampler.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import type { LoadOptions } from './load-option-values.js';
import type { LoadStats } from '../stats/load-recorder.js';
import type { LoadResult } from './load-result.js';

/** What a finished load measured, as the grader needs it. */
export interface LoadMeasured {
  o: LoadOptions;
  figures: Pick<LoadResult, 'totals' | 'latency' | 'workload'>;
  hostEvidence: HostEvidence;
  server: MemberMetrics[];
  /** The members run on this host (a local etcd). */
  local: boolean;
  lost: { name: string; how: string; atSecond: number }[];
  serverWalLimitNs: number;
  serverCommitLimitNs: number;
  /** How late the generator's event loop ran (null where not measured). */
  eventLoopDelay?: LoadStats['eventLoopDelay'];
  incompleteReason: string | undefined;
}

export interface LoadGrading {
  /** etcd's own checks as they stand each second, from its latest /metrics. */
  tick(members: MemberMetrics[], serverWalLimitNs: number): Check[];
  /** The finished load's checks, what a miss belongs to and whether it passed. */
  result(m: LoadMeasured): { checks: Check[]; attribution: Attribution; passed: boolean };
}

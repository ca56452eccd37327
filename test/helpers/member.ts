// A member's metrics as the checks and the attribution read them, healthy by
// default, for pure tests; override what the test is about.
import type { MemberMetrics } from '../../src/etcd/server-metrics.js';

export function member(o: Partial<MemberMetrics> = {}): MemberMetrics {
  return {
    url: 'http://127.0.0.1:2379',
    walFsync: null,
    backendCommit: null,
    walWrite: null,
    leaderChanges: 0,
    hasLeaderMin: 1,
    heartbeatSendFailures: 0,
    proposalsCommitted: 100,
    proposalsFailed: 0,
    proposalsPendingMax: 1,
    slowApplies: 0,
    dbSizeBytes: 1,
    dbInUseBytes: 1,
    quotaBytes: 2,
    cpuCores: { mean: 0.2, max: 0.3 },
    residentBytes: { first: 80e6, last: 700e6, max: 700e6 },
    revision: 1,
    compactRevision: null,
    scrapes: 3,
    scrapeErrors: 0,
    counterResets: 0,
    ...o,
  };
}

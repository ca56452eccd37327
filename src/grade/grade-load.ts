// The load grader: etcd's own checks each second while a load runs, and at
// its end the load's checks with what a missed limit belongs to. The callers
// of runEtcdLoad hand it in (src/load/load-grading.ts), so the runner measures and
// this judges.
import type { LoadGrading, LoadMeasured } from '../load/load-grading.js';
import { applyAttribution } from './apply-attribution.js';
import { etcdAttribution } from './attribution-rules.js';
import { attributionLimits } from './attribution-limits.js';
import { loadChecks } from './load-checks.js';
import { raftChecks, serverWalCheck } from './qualify-checks.js';
import { serverDiskView } from './server-disk.js';

function gradeResult(m: LoadMeasured): ReturnType<LoadGrading['result']> {
  const serverDisk = serverDiskView(m.server, m.serverWalLimitNs, m.serverCommitLimitNs);
  const attribution = etcdAttribution(
    {
      host: m.hostEvidence,
      members: m.server,
      local: m.local,
      generatorDelay: m.figures.latency.generatorDelay,
      // On the native pacer an answer's time is the pacer's read: the event loop's lateness is not in it.
      eventLoopDelay: m.figures.workload.pacing === 'native' ? null : (m.eventLoopDelay ?? null),
      serverDiskFailed: serverDisk.failed,
      serverDiskWords: serverDisk.words,
      lost: m.lost,
      errors: m.figures.totals.errors,
    },
    attributionLimits(m.o),
  );
  // A load judges the cluster: a miss etcd itself caused is a failure here (qualify, judging the disk, sets it
  // aside).
  const checks = applyAttribution(loadChecks(m.figures, m.o), attribution, undefined, ['disk', 'etcd']);
  return {
    checks,
    attribution,
    passed:
      m.incompleteReason === undefined &&
      checks.every((c) => c.status !== 'fail' && c.status !== 'inconclusive') &&
      checks[0]!.status === 'pass',
  };
}

export const loadGrading: LoadGrading = {
  tick: (members, serverWalLimitNs) => [
    serverWalCheck(members, 'no metrics yet', serverWalLimitNs),
    ...raftChecks(members, 'no metrics yet'),
  ],
  result: gradeResult,
};

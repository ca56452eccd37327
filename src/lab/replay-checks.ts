// The checks of `lab replay-disk`: whether the replay reproduced the report's
// distribution (our WAL phase on the replayed disk, p50 and p99 within 15 %
// of the original), and what etcd did on it: its own WAL fsync and backend
// commit p99, heartbeats it sent late, leader changes and failed proposals.
// The lab demonstrates; these say what it showed, they grade nothing.
import { MIN_P99_OBSERVATIONS } from '../grade/disk-checks.js';
import { noLeaderCheck, raftChecks } from '../grade/qualify-checks.js';
import { serverCommitCheck, serverWalCheck } from '../grade/server-disk.js';
import type { LoadResult } from '../load/load-result.js';
import type { Check } from '../verdict/check.js';
import type { DistFigures } from './replay-dist.js';

/** How far the replay's p50 and p99 may sit from the original's, either way, for the replay to count as faithful. */
export const REPLAY_TOLERANCE = 0.15;
const WAL_LIMIT_NS = 10e6;
const COMMIT_LIMIT_NS = 25e6;
const HEARTBEAT_SOURCE =
  'etcd logs "failed to send out heartbeat on time" when a heartbeat leaves later than twice --heartbeat-interval ' +
  '(etcdserver/raft.go): followers near their election timeout';

const ms = (ns: number) => `${+(ns / 1e6).toFixed(3)} ms`;

/** The replayed percentile against the original's, pass within REPLAY_TOLERANCE either way, else a warning. */
function fidelity(
  q: 'p50' | 'p99',
  original: DistFigures,
  replayed: DistFigures | null,
  floorNs: number | null,
  host: string | null,
): Check {
  const key = q === 'p50' ? 'p50Ns' : 'p99Ns';
  const want = original[key];
  const base = {
    id: `replay-${q}`,
    title: `the replay's fdatasync ${q} against the report's`,
    unit: 'ns',
    comparison: '<=',
    limit: Math.round(want * (1 + REPLAY_TOLERANCE)),
    source: `our WAL phase on the replayed disk, within ${REPLAY_TOLERANCE * 100} % of the report's ${q} either way`,
  } as const;
  if (!replayed) return { ...base, measured: null, status: 'not-run', note: 'the WAL phase on the replay did not run' };
  const got = replayed[key];
  // A p99 of fewer than 100 syncs is little more than the slowest of them (and the report's likewise).
  const fewest = q === 'p99' ? MIN_P99_OBSERVATIONS : 1;
  const counts = { observations: Math.min(replayed.count, original.count), minObservations: fewest };
  if (counts.observations < fewest)
    return {
      ...base,
      ...counts,
      measured: got,
      status: 'not-run',
      note:
        `${replayed.count} syncs replayed and ${original.count} in the report: a p99 needs ${fewest} of each ` +
        '(run --wal-runtime longer, or replay a longer report)',
    };
  const off = want > 0 ? got / want - 1 : 0;
  const within = Math.abs(off) <= REPLAY_TOLERANCE;
  const below =
    floorNs !== null && want < floorNs
      ? `; the report's ${ms(want)} is below what a sync costs here at the least (${ms(floorNs)})` +
        ': a replay cannot be faster than the disk under it'
      : '';
  const sign = off >= 0 ? '+' : '';
  const note = `${ms(got)} replayed against ${ms(want)} in the report (${sign}${(off * 100).toFixed(1)} %)${below}`;
  if (within) return { ...base, ...counts, measured: got, status: 'pass', note };
  // A replay is timed on this host: one whose CPU was taken (steal, a saturated run queue) says so, not the replay.
  if (host)
    return { ...base, ...counts, measured: got, status: 'inconclusive', cause: 'host', note: `${note}; ${host}` };
  return { ...base, ...counts, measured: got, status: 'warn', note };
}

/** Heartbeats the leader sent late, from the members' logs. */
function heartbeatCheck(late: number | null, whyNot: string): Check {
  const base = {
    id: 'heartbeats-late',
    title: "heartbeats sent late (etcd's own warnings in its log)",
    unit: 'events',
    comparison: '<=',
    limit: 0,
    source: HEARTBEAT_SOURCE,
  } as const;
  if (late === null) return { ...base, measured: null, status: 'not-run', note: whyNot };
  return { ...base, measured: late, status: late === 0 ? 'pass' : 'fail' };
}

/** Every check of the lab: the replay's fidelity first, then etcd's own figures and its Raft health. */
export function replayChecks(o: {
  original: DistFigures;
  replayed: DistFigures | null;
  floorNs: number | null;
  /** Why the host, not the replay, may have limited the floor's or the replay's WAL phase (null: it did not). */
  host?: string | null;
  load: LoadResult | null;
  heartbeatsLate: number | null;
  noLeader: { elections: number; message: string } | null;
}): Check[] {
  const whyNot = o.noLeader ? 'etcd never held a leader on the replayed disk' : 'the load did not run';
  const members = o.load?.server ?? null;
  const raft = o.noLeader ? [noLeaderCheck(o.noLeader.elections, o.noLeader.message)] : raftChecks(members, whyNot);
  return [
    fidelity('p50', o.original, o.replayed, o.floorNs, o.host ?? null),
    fidelity('p99', o.original, o.replayed, o.floorNs, o.host ?? null),
    serverWalCheck(members, whyNot, WAL_LIMIT_NS),
    serverCommitCheck(members, whyNot, COMMIT_LIMIT_NS),
    heartbeatCheck(o.noLeader ? null : o.heartbeatsLate, whyNot),
    ...raft,
  ];
}

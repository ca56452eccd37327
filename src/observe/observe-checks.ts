// The checks of an observed member, from its own metrics over the window:
// the same limits and sources as qualify reads etcd's metrics by (WAL fsync
// p99, backend commit p99, leader changes, failed proposals), plus what only
// a running cluster shows: the round trip to each peer, heartbeats sent late,
// and alarms. Each member is graded on its own, on its WAL fsync p99.
import type { Check, Grade } from '../verdict/check.js';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import { LIMIT_SOURCES } from '../grade/disk-checks.js';
import { gradeOf, type GradeLimits } from '../verdict/letter.js';
import { type Evidence, judgeBucketQuantile, MIN_OBSERVATIONS } from '../grade/server-disk.js';
import type { BucketQuantile } from '../etcd/prometheus.js';
import type { PeerRtt } from './member-series.js';

export const PEER_RTT_SOURCE = "Red Hat's etcd guidance: peer round-trip time p99 below 50 ms";
const RAFT_SOURCE = "etcd metrics guide: a healthy cluster's leader stays put and its proposals commit";
const HEARTBEAT_SOURCE =
  'etcd tuning guide: a heartbeat sent late ("failed to send out heartbeat on time") is most often a slow disk';
const ALARM_SOURCE = 'etcd maintenance guide: an alarm (NOSPACE, CORRUPT) stops the cluster taking writes';

export interface ObserveLimits {
  walFsyncP99Ns: number;
  commitP99Ns: number;
  peerRttP99Ns: number;
}

/** How to get more observations of a member's disk figures. */
const MORE = 'observe longer (--runtime), or while the cluster takes writes';

/** The id the letter is built on. */
export const MAIN_CHECK = 'etcd-wal-fsync-p99';

function bucketCheck(
  q: BucketQuantile | null,
  limitNs: number,
  base: Pick<Check, 'id' | 'title' | 'source'>,
  whyNot: string,
  evidence?: Evidence,
): Check {
  if (q) return judgeBucketQuantile(q, limitNs, base, evidence);
  return { ...base, unit: 'ns', comparison: '<', limit: limitNs, measured: null, status: 'not-run', note: whyNot };
}

function eventCheck(id: string, title: string, measured: number | null, source: string): Check {
  const base = { id, title, unit: 'events', comparison: '<=', limit: 0, source } as const;
  if (measured === null) return { ...base, measured: null, status: 'not-run', note: 'the member does not report it' };
  return { ...base, measured, status: measured <= 0 ? 'pass' : 'fail' };
}

/** Alarms raised for the member (null: not known, e.g. read from Prometheus, which has no alarm metric). */
function alarmCheck(alarms: string[] | null): Check {
  const base = { id: 'alarms', title: 'active alarms', unit: 'events', comparison: '<=', limit: 0 } as const;
  if (alarms === null)
    return {
      ...base,
      source: ALARM_SOURCE,
      measured: null,
      status: 'not-run',
      note: 'alarms are read from the cluster',
    };
  return {
    ...base,
    source: ALARM_SOURCE,
    measured: alarms.length,
    status: alarms.length === 0 ? 'pass' : 'fail',
    ...(alarms.length > 0 ? { note: alarms.join(', ') } : {}),
  };
}

/** The worst peer's round-trip p99. */
function worstPeer(peers: PeerRtt[]): PeerRtt | null {
  let worst: PeerRtt | null = null;
  for (const p of peers) if (p.p99 && (!worst || p.p99.estimateNs > worst.p99!.estimateNs)) worst = p;
  return worst;
}

/** A member's checks over the window. */
export function memberChecks(
  m: MemberMetrics,
  peers: PeerRtt[],
  alarms: string[] | null,
  l: ObserveLimits,
  peerName: (id: string) => string,
): Check[] {
  const worst = worstPeer(peers);
  const peer = bucketCheck(
    worst?.p99 ?? null,
    l.peerRttP99Ns,
    {
      id: 'peer-rtt-p99',
      title: 'peer round-trip p99 (etcd_network_peer_round_trip_time_seconds)',
      source: PEER_RTT_SOURCE,
    },
    peers.length === 0
      ? 'no peer round trip reported (a single member)'
      : 'none measured in the window: etcd records each peer round trip once every 30 s',
    worst
      ? {
          // The fewest round trips on any link: a pass needs enough on every one.
          count: Math.min(...peers.map((p) => p.count)),
          min: MIN_OBSERVATIONS.peerRtt,
          more: `etcd records each peer round trip about once every 30 s: observe for at least ${
            30 * MIN_OBSERVATIONS.peerRtt + 5
          } s (--runtime)`,
        }
      : undefined,
  );
  return [
    bucketCheck(
      m.walFsync?.p99 ?? null,
      l.walFsyncP99Ns,
      {
        id: MAIN_CHECK,
        title: 'WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds)',
        source: LIMIT_SOURCES.walFsyncP99,
      },
      'no WAL fsync during the window (the cluster took no writes)',
      { count: m.walFsync?.count ?? 0, min: MIN_OBSERVATIONS.walFsync, more: MORE },
    ),
    bucketCheck(
      m.backendCommit?.p99 ?? null,
      l.commitP99Ns,
      {
        id: 'etcd-backend-commit-p99',
        title: 'backend commit p99 (etcd_disk_backend_commit_duration_seconds)',
        source: LIMIT_SOURCES.commitP99,
      },
      'no backend commit during the window',
      { count: m.backendCommit?.count ?? 0, min: MIN_OBSERVATIONS.backendCommit, more: MORE },
    ),
    worst ? { ...peer, note: `worst link: to ${peerName(worst.to)}${peer.note ? `; ${peer.note}` : ''}` } : peer,
    eventCheck('leader-changes', 'leader changes', m.leaderChanges, RAFT_SOURCE),
    eventCheck('failed-proposals', 'failed Raft proposals', m.proposalsFailed, RAFT_SOURCE),
    eventCheck('heartbeat-send-failures', 'heartbeats sent late', m.heartbeatSendFailures, HEARTBEAT_SOURCE),
    alarmCheck(alarms),
  ];
}

/** A member's letter: its WAL fsync p99 within a pass, D or F on a failed check. */
export function memberGrade(checks: Check[], limits: GradeLimits): Grade {
  const g = gradeOf(checks, limits, MAIN_CHECK);
  const main = checks.find((c) => c.id === MAIN_CHECK);
  // Nothing to grade the disk by: say why in the member's terms.
  return g.letter === null && main?.status === 'not-run' ? { ...g, reason: main.note ?? g.reason } : g;
}

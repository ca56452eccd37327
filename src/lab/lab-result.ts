// What `lab slow-disk` found: the setup, the load's full result, and what
// etcd itself said about the disk in its logs.
import { readLogFrom } from '../etcd/local-etcd.js';
import type { LoadResult } from '../load/load-result.js';
import type { RunHeader } from '../run/header.js';

export const LAB_RESULT_SCHEMA = 'etcd-disk-bench/lab-result@1';

/** etcd's own warnings about a slow disk, counted per member log. */
export interface LogCounts {
  /** "slow fdatasync" (the WAL's fsync took over a second). */
  slowFdatasync: number;
  /** "failed to send out heartbeat on time" (the leader's heartbeats ran late). */
  heartbeatLate: number;
  /** "apply request took too long" / "apply entries took too long". */
  slowApply: number;
  /** "became candidate" / "became pre-candidate": elections this member started. */
  elections: number;
}

export interface LabResult extends RunHeader<typeof LAB_RESULT_SCHEMA> {
  target: { dir: string; fsType: string };
  setup: {
    delayNs: number;
    jitterNs: number;
    members: number;
    slow: 'all' | 'leader' | 'follower';
    slowMembers: string[];
  };
  etcdVersion: string | null;
  /** The cluster never held a leader long enough to become healthy (the load could not start). */
  noLeader: { elections: number; highestTerm: number; message: string } | null;
  /** The leader when the load began (after steering with --slow leader|follower; null with --slow all). */
  leaderAtStart: string | null;
  load: LoadResult | null;
  members: ({ name: string; slow: boolean } & LogCounts)[];
  /** Elections started in all members' logs since the load began (the cluster's first election is not counted). */
  elections?: number;
  /** slowfs' own counters: syncs delayed, writes, failed. */
  slowfs: Record<string, number>;
  warnings: string[];
}

const PATTERNS: Record<keyof LogCounts, RegExp> = {
  slowFdatasync: /slow fdatasync/g,
  heartbeatLate: /failed to send out heartbeat on time/g,
  slowApply: /took too long/g,
  elections: /became (?:pre-)?candidate at term/g,
};

/** Counts etcd's warnings in each log file. */
export function countLogLines(files: string[], from: number[] = []): LogCounts[] {
  return files.map((f, i) => {
    const text = readLogFrom(f, from[i] ?? 0);
    const c = {} as LogCounts;
    for (const [k, re] of Object.entries(PATTERNS) as [keyof LogCounts, RegExp][]) c[k] = text.match(re)?.length ?? 0;
    return c;
  });
}

// `lab slow-disk`: what etcd does on a disk that takes --delay per fsync.
// Mounts slowfs over a directory of ours on the target disk, starts local
// etcd members with all of them (or one, steered to lead or to follow) on it,
// runs the kube workload, and reports what happened: request latency, leader
// changes, failed proposals, heartbeat send failures and etcd's own warnings
// in its logs. Everything it made is undone on every exit path.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { EtcdUnhealthyError, electionsInLogs, startLocalEtcd, type LocalCluster } from '../etcd/local-etcd.js';
import type { ResolvedOptions } from '../options/resolve.js';
import type { LAB_OPTION_KEYS } from '../options/table.js';
import { runHeader } from '../run/header.js';
import { countLogLines, LAB_RESULT_SCHEMA, type LabResult } from './lab-result.js';
import { mountSlowfs } from './slowfs.js';
import type { RunContext } from '../run/context.js';
import { steerLeader } from './steer-leader.js';
import { checkJitter, checkMembers, labLoadOptions } from './lab-load.js';
import { labLoad, prepareLab, withLabSession } from './lab-session.js';

export type ResolvedLabOptions = ResolvedOptions<(typeof LAB_OPTION_KEYS)[number]>;

/** The lab's context: the one every run gets (src/run/context.ts). */
export type LabContext = RunContext;

/** Checks what can be checked before anything is made. */
function validate(r: ResolvedLabOptions): void {
  const o = r.values;
  checkMembers(o.members);
  if (o.slow !== 'all' && o.members < 3)
    throw new UsageError(
      `--slow ${o.slow}: needs --members 3 or 5 (one slowed member among healthy ones); with one member use ` +
        `--slow all`,
      'slowMember',
    );
  checkJitter(o.delay, o.jitter);
}

/** Runs the lab. Bad input throws before anything is made. */
export async function runSlowDisk(r: ResolvedLabOptions, ctx: LabContext = {}): Promise<LabResult> {
  const o = r.values;
  validate(r);
  const plan = prepareLab(o, '');
  return withLabSession(plan, ctx, async (s) => {
    const { runDir, cleanup, runId, warnings } = s;
    const target = plan.prepared.target;
    for (const d of ['backing', 'slow', 'fast']) mkdirSync(join(runDir, d));
    const fs = await mountSlowfs(
      join(runDir, 'backing'),
      join(runDir, 'slow'),
      { fsyncDelayUs: o.delay / 1e3, jitterUs: o.jitter / 1e3 },
      cleanup,
    );
    const slowIndexes = o.slow === 'all' ? Array.from({ length: o.members }, (_, i) => i) : [0];
    const perMember = Array.from({ length: o.members }, (_, i) => ({
      dataParent: join(runDir, slowIndexes.includes(i) ? 'slow' : 'fast'),
    }));
    const header = (incompleteReason?: string) =>
      runHeader(LAB_RESULT_SCHEMA, {
        runId,
        startedAt: s.startedAt,
        incompleteReason,
        argv: ctx.argv ?? [],
        profile: null,
      });
    const base = {
      target: { dir: target.dir, fsType: target.fsType },
      setup: {
        delayNs: o.delay,
        jitterNs: o.jitter,
        members: o.members,
        slow: o.slow,
        slowMembers: slowIndexes.map((i) => `m${i}`),
      },
    } satisfies Partial<LabResult>;
    let cluster: LocalCluster;
    try {
      cluster = await startLocalEtcd({
        bin: plan.bin,
        root: join(runDir, 'etcd'),
        members: o.members,
        cleanup,
        token: `edb-lab-${runId}`,
        perMember,
        healthTimeoutMs: 60_000,
      });
    } catch (e) {
      if (!(e instanceof EtcdUnhealthyError)) throw e;
      // No leader at all: that is what this disk does to etcd, and the answer of the lab.
      const noLeader = { elections: e.elections, highestTerm: e.highestTerm, message: e.message };
      return {
        ...header(),
        ...base,
        etcdVersion: null,
        noLeader,
        leaderAtStart: null,
        load: null,
        members: [],
        slowfs: fs.status(),
        warnings,
      };
    }
    const leader = o.slow === 'all' ? null : await steerLeader(cluster, 0, o.slow === 'follower');
    const logFiles = cluster.members.map((m) => m.logFile);
    // The load drains what it creates (our keys) when it ends; the cluster, the mount and the directory stay ours.
    const { load, logsFrom } = await labLoad(
      s,
      labLoadOptions(cluster.endpoints, { value: r.values.runtime, source: r.sources.runtime }),
      {
        command: 'lab slow-disk',
        phase: 'slow-disk',
        title: `kube load on etcd with ${o.delay / 1e6} ms per fsync`,
      },
      logFiles,
    );
    const counts = countLogLines(logFiles, logsFrom);
    const { elections } = electionsInLogs(logFiles, logsFrom);
    return {
      ...header(load.incompleteReason),
      ...base,
      etcdVersion: cluster.version,
      noLeader: null,
      leaderAtStart: leader,
      load,
      members: cluster.members.map((m, i) => ({ name: m.name, slow: slowIndexes.includes(i), ...counts[i]! })),
      elections,
      slowfs: fs.status(),
      warnings,
    };
  });
}

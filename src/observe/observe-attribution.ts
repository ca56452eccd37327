// Who an observed member's missed disk limits belong to, when its etcd runs on
// the host observe runs on: the same rules and words as qualify's etcd phase
// (HOST, ETCD, or the disk). A saturated CPU makes etcd's own fsync and
// commit timers wait for a CPU, so those figures then say nothing about the
// disk, unless another member on this host, under the same CPU, stayed within
// the same limit. Members on other hosts are judged on their figures alone:
// this host's CPU says nothing about theirs.
import type { Check } from '../verdict/check.js';
import { networkInterfaces } from 'node:os';
import type { MemberMetrics } from '../etcd/server-metrics.js';
import { applyAttribution } from '../grade/apply-attribution.js';
import { etcdAttribution } from '../grade/attribution-rules.js';
import type { Attribution, AttributionLimits } from '../verdict/attribution.js';
import type { HostEvidence } from '../host/host-sampler.js';

/** The checks that judge a member's disk: what a busy host can push over its limit. */
export const DISK_CHECK_IDS = new Set(['etcd-wal-fsync-p99', 'etcd-backend-commit-p99']);

/** Whether a member's /metrics URL is on this host (a loopback or one of this machine's own addresses). */
export function isLocalUrl(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  if (host === 'localhost' || host === '::1' || host.startsWith('127.')) return true;
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((a) => a.address === host));
}

/**
 * One attribution for the members on this host, from the host's CPU over the window and etcd's own CPU; null when
 * none is local or nothing was sampled.
 */
export function localAttribution(
  local: { metrics: MemberMetrics; checks: Check[] }[],
  host: HostEvidence | null,
  limits: AttributionLimits,
): Attribution | null {
  if (local.length === 0 || !host || host.seconds === 0) return null;
  const failed = local.flatMap((m) => m.checks.filter((c) => DISK_CHECK_IDS.has(c.id) && c.status === 'fail'));
  return etcdAttribution(
    {
      host,
      members: local.map((m) => m.metrics),
      local: true,
      generatorDelay: null,
      serverDiskFailed: failed.length > 0,
      serverDiskWords: failed.length > 0 ? failed.map((c) => `${c.title} ${c.range ?? ''}`.trim()).join(', ') : '',
    },
    limits,
  );
}

/**
 * A local member's disk checks marked with the attribution: HOST or ETCD (not the disk's), or left as failures. A
 * check that passed on another member on this host (`passedNearby`) stays this member's failure: the same CPU held
 * that one within its limit, so the miss is this member's own disk.
 */
export function attributeMember(
  checks: Check[],
  a: Attribution | null,
  passedNearby: Set<string> = new Set(),
): Check[] {
  return applyAttribution(checks, a, (id) => DISK_CHECK_IDS.has(id) && !passedNearby.has(id));
}

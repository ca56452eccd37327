// How much of a measured time the host could have put there: the measuring
// thread's run-queue wait (schedstat: ready, no CPU) and the CPU the
// hypervisor took (steal), over the seconds in question. A missed limit is the
// host's only when this is at least as large as the miss: an operation far
// longer than any wait measured around it is the disk's, on any host.
import type { HostEvidence, HostSecond } from '../host/host-sampler.js';
import type { AttributionLimits } from '../verdict/attribution.js';

export interface HostDelay {
  /** The thread's run-queue wait over the seconds, ns. */
  waitNs: number;
  /**
   * What steal could have cost the thread, ns: each second's steal share (of every CPU, as /proc/stat counts it) of
   * that second; for one operation, its span at the worst of those seconds' shares.
   */
  stealNs: number;
  totalNs: number;
  seconds: number;
  /** Whether the host was contended then: CPU busy or CPU pressure at their limits, or steal at its limit. */
  contended: boolean;
  /** In words, with the figures. */
  words: string;
}

const ms = (ns: number) => `${+(ns / 1e6).toFixed(1)} ms`;
const pct = (x: number) => `${Math.round(x * 1000) / 10} %`;

function stealOf(row: HostSecond): number {
  return Math.min(1, Math.max(0, row.cpuSteal ?? 0)) * 1e9;
}

/**
 * The delay the host could account for in `thread`'s measured time, over the sampler's seconds `from`..`to`
 * (inclusive), or over the whole phase when no range is given (then the thread's exact phase total). With `spanNs`
 * (one operation that long), steal counts at the worst share of those seconds over that span: a hypervisor that took
 * every CPU for the whole operation shows as steal of 100 % in its seconds.
 */
export function hostDelay(
  host: HostEvidence | null,
  thread: string,
  l: AttributionLimits,
  range?: { from: number; to: number; spanNs?: number },
): HostDelay {
  if (!host) return { waitNs: 0, stealNs: 0, totalNs: 0, seconds: 0, contended: false, words: 'no host evidence' };
  const rows = range ? host.perSecond.filter((r) => r.second >= range.from && r.second <= range.to) : host.perSecond;
  const waitNs = range
    ? rows.reduce((a, r) => a + (r.threadWaitNs[thread] ?? 0), 0)
    : (host.threads[thread]?.waitNs ?? rows.reduce((a, r) => a + (r.threadWaitNs[thread] ?? 0), 0));
  const perSecond = rows.map(stealOf);
  const stealNs =
    range?.spanNs !== undefined
      ? (Math.max(0, ...perSecond) / 1e9) * range.spanNs
      : perSecond.reduce((a, x) => a + x, 0);
  const busy = Math.max(0, ...rows.map((r) => r.cpuBusy ?? 0));
  const psi = Math.max(0, ...rows.map((r) => r.cpuPressureSome ?? 0));
  const steal = rows.length > 0 ? rows.reduce((a, r) => a + (r.cpuSteal ?? 0), 0) / rows.length : 0;
  // Over a whole phase the means decide (a busy second does not make a busy phase); over a stall's seconds, the worst.
  const busyNow = range ? busy : (host.cpuBusy?.mean ?? 0);
  const psiNow = range ? psi : (host.cpuPressureSome?.mean ?? 0);
  const contended = busyNow >= l.cpuBusy || psiNow >= l.cpuPressure || steal >= l.steal;
  const where = range ? `seconds ${range.from}-${range.to}` : `the phase (${rows.length} s)`;
  if (rows.length === 0 && (range || !host.threads[thread]))
    return { waitNs: 0, stealNs: 0, totalNs: 0, seconds: 0, contended: false, words: `no host reading for ${where}` };
  // A thread whose schedstat was never read (gone before its first reading) did not wait 0 ms: say it was not read.
  const read = host.threads[thread] !== undefined || rows.some((r) => r.threadWaitNs[thread] !== undefined);
  const waited = read
    ? `the ${thread} thread waited ${ms(waitNs)} for a CPU`
    : `the ${thread} thread's wait was not read`;
  return {
    waitNs,
    stealNs,
    totalNs: waitNs + stealNs,
    seconds: rows.length,
    contended,
    words:
      `over ${where} ${waited} and steal could have taken ` +
      `${ms(stealNs)} (host CPU busy ${pct(busyNow)}, CPU pressure ${pct(psiNow)}, steal ${pct(steal)})`,
  };
}

/** Whether a delay explains a miss that needs `requiredNs` taken out: contended, and at least as large. */
export function explains(d: HostDelay, requiredNs: number): boolean {
  return d.contended && d.totalNs >= requiredNs;
}

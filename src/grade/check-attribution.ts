// Each missed limit of a disk phase weighed against the host evidence of its
// own seconds: it is the host's only when the CPU wait and steal measured
// then could have put at least the miss there. A percentile needs its slowest
// operations brought under the limit; a stall needs its time over the limit;
// a stretch over time needs each of its seconds brought down. A phase-wide
// figure never decides a check on its own.
import type { HostEvidence } from '../host/host-sampler.js';
import type { SlowOp } from '../disk/slow-ops.js';
import type { PercentileExcess } from '../stats/excess.js';
import type { StepFinding } from '../stats/step-detector.js';
import type { WindowRow } from '../stats/windows.js';
import type { AttributionLimits } from '../verdict/attribution.js';
import type { Check } from '../verdict/check.js';
import { explains, hostDelay, type HostDelay } from './host-delay.js';

/** What a phase's checks are weighed against. */
export interface PhaseHost {
  host: HostEvidence | null;
  limits: AttributionLimits;
  /** The sampler's second at which the measured clock started (the writer's preparation). */
  offsetSeconds: number;
}

const ms = (ns: number) => `${+(ns / 1e6).toFixed(1)} ms`;

/** A failing check: the host's when `d` could have taken out the `requiredNs` it needs to pass; else the disk's. */
export function attributeMiss(c: Check, d: HostDelay, requiredNs: number, what: string): Check {
  const need = `${what} needs ${ms(requiredNs)} taken out to pass`;
  if (explains(d, requiredNs)) {
    const why = `not the disk's: ${need}, and ${d.words}: the host can account for it`;
    return { ...c, status: 'inconclusive', cause: 'host', note: c.note ? `${c.note}; ${why}` : why };
  }
  // No reading for the seconds in question is no sign of a quiet host: say so rather than "not contended".
  const because = d.contended
    ? 'more than the host can account for'
    : d.seconds === 0
      ? 'with no host reading to weigh it against'
      : 'the host was not contended';
  const why = `the disk's: ${need}, ${because} (${d.words})`;
  return { ...c, cause: 'disk', note: c.note ? `${c.note}; ${why}` : why };
}

/** A failing percentile check (sync or commit p99): the host's only if it could have caused the excess. */
export function attributePercentile(c: Check, excess: PercentileExcess, thread: string, p: PhaseHost): Check {
  if (c.status !== 'fail') return c;
  const what = `the p99 (${excess.mustFall} of ${excess.count} operations over the limit)`;
  return attributeMiss(c, hostDelay(p.host, thread, p.limits), excess.requiredNs, what);
}

/**
 * A failing longest-operation check (a stall, or the longest WAL.Save). When the writer measured the CPU wait inside
 * the operation (`slowOps`), that wait decides, with what steal could have taken over its span; otherwise the seconds
 * it spanned, found in `rows` (the stream's per-second rows, by its maxNs), stand in for it.
 */
export function attributeLongest(
  c: Check,
  rows: WindowRow[],
  thread: string,
  p: PhaseHost,
  slowOps: SlowOp[] = [],
): Check {
  if (c.status !== 'fail' || c.measured === null) return c;
  const longest = c.measured;
  const at = rows.find((r) => r.maxNs !== null && r.maxNs >= longest * 0.999);
  const end = (at?.second ?? rows.length - 1) + p.offsetSeconds;
  const range = at ? { from: Math.max(0, end - Math.ceil(longest / 1e9)), to: end, spanNs: longest } : undefined;
  const what = `the ${ms(longest)} operation${at ? ` (ended in second ${at.second})` : ''}`;
  const d = hostDelay(p.host, thread, p.limits, range);
  const holding = slowOps.filter((o) => o.durationNs >= longest * 0.999);
  if (holding.length === 0) return attributeMiss(c, d, longest - c.limit, what);
  const inside = Math.max(...holding.map((o) => o.cpuWaitNs));
  const required = longest - c.limit;
  const measured: HostDelay = {
    ...d,
    waitNs: inside,
    totalNs: inside + d.stealNs,
    // A wait measured inside the operation needs no other sign of a busy host.
    contended: d.contended || inside >= required,
    words:
      `inside it the ${thread} thread waited ${ms(inside)} for a CPU (its schedstat read every 10 ms) and steal ` +
      `could have taken ${ms(d.stealNs)}; ${d.words.replace(/^over /, 'around it, over ')}`,
  };
  return attributeMiss(c, measured, required, what);
}

/**
 * A failing over-time check: the stretch it found, each second of which must come down to the level it crossed
 * (a second with nothing completed needs the whole second).
 */
export function attributeStretch(c: Check, f: StepFinding, rows: WindowRow[], thread: string, p: PhaseHost): Check {
  if (c.status !== 'fail') return c;
  const seconds = rows.slice(f.startSecond, f.startSecond + f.seconds);
  const requiredNs = seconds.reduce(
    (a, r) => a + (r.count === 0 || r.p99Ns === null ? 1e9 : Math.max(0, r.p99Ns - f.levelNs)),
    0,
  );
  const from = f.startSecond + p.offsetSeconds;
  const d = hostDelay(p.host, thread, p.limits, { from, to: from + f.seconds - 1 });
  return attributeMiss(c, d, requiredNs, `the ${f.seconds} s stretch`);
}

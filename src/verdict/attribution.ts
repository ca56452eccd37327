// Who a failing figure belongs to, as the verdict names it: the disk, the
// host, the client (our load generator), etcd itself, or memory (no disk at
// all). The rules that decide live in grade/; this is their vocabulary.

/** What a figure belongs to; 'memory': the target is held in memory (tmpfs, ramfs), so no disk was measured. */
export type Cause = 'disk' | 'host' | 'client' | 'etcd' | 'memory';

export interface Attribution {
  /** What a failing figure of this phase belongs to ('disk': the figures stand as evidence about the disk). */
  cause: Cause;
  /** The rule that decided, and the finding in words with its figures. */
  rule: string;
  why: string;
  /** The cause in a few words, for a check's note ("the host's CPU was saturated"). */
  short: string;
  /** Why the rule holds. */
  source: string;
  /** The figures the rule read (shares 0..1, ns, cores), for views and re-analysis. */
  figures: Record<string, number | null>;
}

export interface AttributionLimits {
  /** A writer that waited for a CPU this share (0..1) of its measured sync time or more: the host limited it. */
  cpuWaitShare: number;
  /** Host CPU pressure (PSI some, 0..1) at or above which the CPU counts as saturated... */
  cpuPressure: number;
  /** ...or busy share of all CPUs (0..1). */
  cpuBusy: number;
  /** CPU steal (0..1) at or above which noisy neighbours limited the run. */
  steal: number;
  /**
   * The generator's own delay p99 (a client was free, the request still left late) at or above which it limited the
   * load.
   */
  generatorDelayNs: number;
}

// Readers of what Linux says about CPU and memory contention, each a small
// parse of one /proc file. Every reader returns null where the file is
// missing (PSI needs CONFIG_PSI; containers may hide files): the report then
// says the fact is unknown rather than guessing.
import { readFileSync } from 'node:fs';

/** The aggregate `cpu` line of /proc/stat, in USER_HZ ticks. */
export interface CpuTicks {
  user: number;
  nice: number;
  system: number;
  idle: number;
  iowait: number;
  irq: number;
  softirq: number;
  /** Time the hypervisor ran another guest while this one wanted a CPU (noisy neighbours). */
  steal: number;
  /** How many `cpuN` lines followed: the CPUs whose ticks the aggregate line sums. */
  cpus: number;
}

/**
 * PSI totals of one resource: microseconds some / all tasks stalled on it ("full" is absent for cpu on old kernels).
 */
export interface PressureTotals {
  someUs: number;
  fullUs: number | null;
}

/** Run time and run-queue wait of one thread (schedstat), in ns. */
export interface ThreadSchedstat {
  runNs: number;
  /** Time the thread was runnable but waited for a CPU. */
  waitNs: number;
  timeslices: number;
}

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Parses the `cpu` line of /proc/stat text. */
export function parseCpuTicks(text: string): CpuTicks | null {
  const line = text.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return null;
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  if (v.length < 8 || v.some((x) => !Number.isFinite(x))) return null;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = v as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // guest and guest_nice (9th, 10th) are already inside user and nice.
  return {
    user,
    nice,
    system,
    idle,
    iowait,
    irq,
    softirq,
    steal,
    cpus: text.split('\n').filter((l) => /^cpu\d+ /.test(l)).length,
  };
}

/** Parses /proc/pressure/<resource> text ("some avg10=... total=N" lines). */
export function parsePressure(text: string): PressureTotals | null {
  const total = (kind: string) => {
    const m = new RegExp(`^${kind} .*total=(\\d+)`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const some = total('some');
  return some === null ? null : { someUs: some, fullUs: total('full') };
}

/** MemAvailable from /proc/meminfo text, in bytes. */
export function parseMemAvailable(text: string): number | null {
  const m = /^MemAvailable:\s+(\d+) kB/m.exec(text);
  return m ? Number(m[1]) * 1024 : null;
}

/** Parses a schedstat line: "run_ns wait_ns timeslices". */
export function parseSchedstat(text: string): ThreadSchedstat | null {
  const v = text.trim().split(/\s+/).map(Number);
  if (v.length < 3 || v.some((x) => !Number.isFinite(x))) return null;
  return { runNs: v[0]!, waitNs: v[1]!, timeslices: v[2]! };
}

export const readCpuTicks = (): CpuTicks | null => {
  const t = readOrNull('/proc/stat');
  return t === null ? null : parseCpuTicks(t);
};
export const readPressure = (resource: 'cpu' | 'io' | 'memory'): PressureTotals | null => {
  const t = readOrNull(`/proc/pressure/${resource}`);
  return t === null ? null : parsePressure(t);
};
export const readMemAvailable = (): number | null => {
  const t = readOrNull('/proc/meminfo');
  return t === null ? null : parseMemAvailable(t);
};
/** schedstat of thread `tid` of this process. */
export const readThreadSchedstat = (tid: number): ThreadSchedstat | null => {
  const t = readOrNull(`/proc/self/task/${tid}/schedstat`);
  return t === null ? null : parseSchedstat(t);
};

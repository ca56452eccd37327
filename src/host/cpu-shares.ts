// The host's CPU busy and steal shares between two readings of /proc/stat.
// The busy fields there (user, system, ...) are sampled at the timer tick,
// and a tickless kernel stops the tick on an idle CPU: a load of many short
// wakeups (a paced client, etcd's fsync loop) is counted in whole ticks when
// a tick lands on it and not at all when none does. On this project's VM one
// 20 s load at 500 requests/s read 6 % busy in one run and 41 % in the next,
// while the processes' own CPU (exact) made 15-16 %. Idle and iowait are
// exact under nohz (kept in ns, shown in ticks), so busy is the rest of the
// wall time: 1 - (idle + iowait) / (elapsed x CPUs). Steal is exact too (the
// hypervisor's clock) and is shared the same way.
import type { CpuTicks } from './proc-readers.js';

/** /proc/stat's tick: USER_HZ, which Linux fixes at 100 for every architecture Node runs on. */
export const USER_HZ = 100;

/** Shares 0..1 of all CPUs; null when the readings cannot say (no CPU count, no time passed). */
export interface CpuShares {
  busy: number | null;
  steal: number | null;
}

/** The shares between readings `a` and `b`, taken `elapsedUs` apart. */
export function cpuShares(a: CpuTicks, b: CpuTicks, elapsedUs: number): CpuShares {
  const cpus = Math.min(a.cpus, b.cpus);
  const wallTicks = (elapsedUs / 1e6) * USER_HZ * cpus;
  if (!(wallTicks > 0)) return { busy: null, steal: null };
  const share = (x: number) => Math.min(1, Math.max(0, x / wallTicks));
  const idle = b.idle - a.idle + (b.iowait - a.iowait);
  return { busy: 1 - share(idle), steal: share(b.steal - a.steal) };
}

// Samples, once a second while a phase runs, the evidence that tells a slow
// disk from a busy host: CPU busy and steal shares (/proc/stat, against wall
// time: cpu-shares.ts), CPU, I/O and memory pressure (PSI), memory available,
// this process's CPU, and the run-queue wait of named threads (the native
// writers: time they were ready to run but had no CPU, which lands inside
// their measured latency).
import { availableParallelism } from 'node:os';
import { cpuShares } from './cpu-shares.js';
import {
  readCpuTicks,
  readMemAvailable,
  readPressure,
  readThreadSchedstat,
  type CpuTicks,
  type PressureTotals,
} from './proc-readers.js';

/** One second of host evidence. Shares are 0..1 of the whole machine (all CPUs); null where Linux did not say. */
export interface HostSecond {
  second: number;
  cpuBusy: number | null;
  cpuSteal: number | null;
  cpuPressureSome: number | null;
  ioPressureSome: number | null;
  ioPressureFull: number | null;
  memoryPressureSome: number | null;
  memAvailableBytes: number | null;
  /** CPU this process used, in cores (1.0 = one CPU busy for the whole second). */
  processCores: number;
  /** Run-queue wait of each watched thread in this second, ns. */
  threadWaitNs: Record<string, number>;
}

/** Mean and worst of one per-second figure over a phase. */
export interface MeanMax {
  mean: number;
  max: number;
}

/** The evidence of a phase, summarised; the per-second rows are kept beside it. */
export interface HostEvidence {
  cpus: number;
  seconds: number;
  cpuBusy: MeanMax | null;
  cpuSteal: MeanMax | null;
  cpuPressureSome: MeanMax | null;
  ioPressureSome: MeanMax | null;
  ioPressureFull: MeanMax | null;
  memoryPressureSome: MeanMax | null;
  memAvailableMinBytes: number | null;
  processCores: MeanMax | null;
  /** Per watched thread: run-queue wait and run time over the whole phase (ns). */
  threads: Record<string, { waitNs: number; runNs: number }>;
  perSecond: HostSecond[];
  /** What Linux did not tell on this host (e.g. no PSI). */
  unknown: string[];
}

interface Reading {
  atNs: bigint;
  cpu: CpuTicks | null;
  psi: Record<'cpu' | 'io' | 'memory', PressureTotals | null>;
  mem: number | null;
  process: NodeJS.CpuUsage;
  threads: Record<string, { waitNs: number; runNs: number } | null>;
}

const ratio = (num: number, den: number) => (den > 0 ? Math.min(1, Math.max(0, num / den)) : null);

function meanMax(values: (number | null)[]): MeanMax | null {
  const v = values.filter((x): x is number => x !== null);
  if (v.length === 0) return null;
  return { mean: round4(v.reduce((a, x) => a + x, 0) / v.length), max: round4(Math.max(...v)) };
}

function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/** Takes a reading a second from start() to stop(); cheap (a few small /proc reads). */
export class HostSampler {
  private readonly threads = new Map<string, number>();
  private first: Reading | null = null;
  private prev: Reading | null = null;
  private readonly rows: HostSecond[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly threadTotals: Record<string, { waitNs: number; runNs: number }> = {};

  /** Watches a thread of this process by its Linux thread id (a native writer's, from its `prepared` event). */
  watchThread(name: string, tid: number): void {
    this.threads.set(name, tid);
    const s = readThreadSchedstat(tid);
    if (s && this.prev) this.prev.threads[name] = { waitNs: s.waitNs, runNs: s.runNs };
  }

  private read(): Reading {
    const threads: Reading['threads'] = {};
    for (const [name, tid] of this.threads) {
      const s = readThreadSchedstat(tid);
      threads[name] = s ? { waitNs: s.waitNs, runNs: s.runNs } : null;
    }
    return {
      atNs: process.hrtime.bigint(),
      cpu: readCpuTicks(),
      psi: { cpu: readPressure('cpu'), io: readPressure('io'), memory: readPressure('memory') },
      mem: readMemAvailable(),
      process: process.cpuUsage(),
      threads,
    };
  }

  start(): void {
    this.first = this.prev = this.read();
    // The per-second path once now, its row thrown away: its first call compiles it on the JS thread (2-3 ms
    // measured), which a writer on the same CPU would otherwise wait behind in the run's first second.
    this.second(this.first, this.read(), 0);
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): void {
    const a = this.prev!;
    const b = this.read();
    const s = this.second(a, b, this.labelOf(b));
    if (!s) return;
    for (const [name, d] of Object.entries(s.threads)) {
      this.threadTotals[name] ??= { waitNs: 0, runNs: 0 };
      const t = this.threadTotals[name];
      t.waitNs += d.waitNs;
      t.runNs += d.runNs;
    }
    this.rows.push(s.row);
    this.prev = b;
  }

  /**
   * The second a row stands for, counted from start(): the one its reading closes, as a reading on time closes
   * second k at k + 1 s. A reading the JS thread took late (by 0.75 s or more) covers more than a second and skips a
   * label, so the rows after it stay on the writer's clock instead of each shifting back one; a partial last reading
   * takes the next label.
   */
  private labelOf(b: Reading): number {
    const closes = Math.floor(Number(b.atNs - this.first!.atNs) / 1e9 + 0.25) - 1;
    const next = this.rows.length === 0 ? 0 : this.rows[this.rows.length - 1]!.second + 1;
    return Math.max(next, closes);
  }

  /** Row `second`, from reading `a` to reading `b`, and each watched thread's run-queue wait and run time in it. */
  private second(
    a: Reading,
    b: Reading,
    second: number,
  ): { row: HostSecond; threads: Record<string, { waitNs: number; runNs: number }> } | null {
    const elapsedUs = Number(b.atNs - a.atNs) / 1e3;
    if (elapsedUs <= 0) return null;
    const cpu = a.cpu && b.cpu ? cpuShares(a.cpu, b.cpu, elapsedUs) : { busy: null, steal: null };
    const psi = (r: 'cpu' | 'io' | 'memory', kind: 'someUs' | 'fullUs') => {
      const x = a.psi[r]?.[kind];
      const y = b.psi[r]?.[kind];
      return x === undefined || y === undefined || x === null || y === null ? null : ratio(y - x, elapsedUs);
    };
    const threads: Record<string, { waitNs: number; runNs: number }> = {};
    for (const name of this.threads.keys()) {
      const x = a.threads[name];
      const y = b.threads[name];
      if (y) threads[name] = { waitNs: y.waitNs - (x?.waitNs ?? y.waitNs), runNs: y.runNs - (x?.runNs ?? y.runNs) };
    }
    const row: HostSecond = {
      second,
      cpuBusy: cpu.busy,
      cpuSteal: cpu.steal,
      cpuPressureSome: psi('cpu', 'someUs'),
      ioPressureSome: psi('io', 'someUs'),
      ioPressureFull: psi('io', 'fullUs'),
      memoryPressureSome: psi('memory', 'someUs'),
      memAvailableBytes: b.mem,
      processCores: round4((b.process.user - a.process.user + b.process.system - a.process.system) / elapsedUs),
      threadWaitNs: Object.fromEntries(Object.entries(threads).map(([name, d]) => [name, d.waitNs])),
    };
    return { row, threads };
  }

  /** The last closed second, for live views. */
  get last(): HostSecond | null {
    return this.rows[this.rows.length - 1] ?? null;
  }

  /** Stops sampling (taking a last, partial reading) and summarises. */
  stop(): HostEvidence {
    clearInterval(this.timer);
    if (this.prev && Number(process.hrtime.bigint() - this.prev.atNs) > 200e6) this.sample();
    const r = this.rows;
    const col = <K extends keyof HostSecond>(k: K) => r.map((x) => x[k] as number | null);
    const unknown: string[] = [];
    if (this.first?.psi.cpu === null) unknown.push('pressure stall information (/proc/pressure: kernel without PSI)');
    if (this.first?.cpu === null) unknown.push('CPU time (/proc/stat)');
    for (const name of this.threads.keys())
      if (!(name in this.threadTotals))
        unknown.push(`run-queue wait of the ${name} thread (/proc/self/task/TID/schedstat)`);
    const mems = col('memAvailableBytes').filter((x): x is number => x !== null);
    return {
      // the CPUs the busy share is of (/proc/stat counts every online CPU, a cpuset's or not)
      cpus: this.first?.cpu?.cpus || availableParallelism(),
      seconds: r.length,
      cpuBusy: meanMax(col('cpuBusy')),
      cpuSteal: meanMax(col('cpuSteal')),
      cpuPressureSome: meanMax(col('cpuPressureSome')),
      ioPressureSome: meanMax(col('ioPressureSome')),
      ioPressureFull: meanMax(col('ioPressureFull')),
      memoryPressureSome: meanMax(col('memoryPressureSome')),
      memAvailableMinBytes: mems.length > 0 ? Math.min(...mems) : null,
      processCores: meanMax(col('processCores')),
      threads: { ...this.threadTotals },
      perSecond: r,
      unknown,
    };
  }
}

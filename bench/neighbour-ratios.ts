// Ratios of a run to the fio runs on either side of it, for benchmarks that
// alternate fio with other tools on a disk whose latency drifts.
import type { Measured } from './fio-runner.js';
import { median } from './median.js';

export interface Target {
  name: string;
  of: (m: Measured) => number;
  /** The largest allowed |ratio - 1|; absent for figures shown without a target. */
  within?: number;
}

export interface Compared {
  /** Position in the sequence, from 1. */
  index: number;
  run: Measured;
  /** The geometric mean of the fio runs before and after, figure by figure. */
  fio: Measured;
  ratios: Record<string, number>;
}

export interface Cell {
  name: string;
  median: number;
  min: number;
  max: number;
  within?: number;
  met?: boolean;
}

const geo = (a: number, b: number) => Math.sqrt(a * b);

/** Every run that has an fio run right before and right after it, compared with them. `runs[0]` is fio. */
export function compareWithNeighbours(runs: Measured[], targets: Target[]): Compared[] {
  const out: Compared[] = [];
  for (let i = 1; i + 1 < runs.length; i += 2) {
    const before = runs[i - 1]!;
    const after = runs[i + 1]!;
    if (before.tool !== 'fio' || after.tool !== 'fio') throw new Error(`run ${i + 1} is not between two fio runs`);
    const run = runs[i]!;
    const fio: Measured = {
      tool: 'fio',
      ops: Math.round(geo(before.ops, after.ops)),
      p50Ns: geo(before.p50Ns, after.p50Ns),
      p99Ns: geo(before.p99Ns, after.p99Ns),
      p999Ns: geo(before.p999Ns, after.p999Ns),
      p9999Ns: geo(before.p9999Ns, after.p9999Ns),
      samples: Math.round(geo(before.samples, after.samples)),
      meanNs: geo(before.meanNs, after.meanNs),
      wallPerOpNs: geo(before.wallPerOpNs, after.wallPerOpNs),
      iops: geo(before.iops, after.iops),
      pid: 0,
    };
    const ratios: Record<string, number> = {};
    for (const t of targets) ratios[t.name] = t.of(run) / t.of(fio);
    out.push({ index: i + 1, run, fio, ratios });
  }
  return out;
}

/** The median (the mean of the middle two for an even count), min and max of each ratio. */
export function summarise(compared: Compared[], targets: Target[]): { runs: number; cells: Cell[] } {
  const cells = targets.map((t): Cell => {
    const xs = compared.map((c) => c.ratios[t.name]!).sort((a, b) => a - b);
    const cell: Cell = { name: t.name, median: median(xs), min: xs[0] ?? NaN, max: xs[xs.length - 1] ?? NaN };
    if (t.within !== undefined) {
      cell.within = t.within;
      cell.met = cell.median >= 1 - t.within && cell.median <= 1 + t.within;
    }
    return cell;
  });
  return { runs: compared.length, cells };
}

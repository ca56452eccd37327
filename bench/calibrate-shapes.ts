// The disk shapes npm run bench:calibrate holds the verdict to, each a set of
// slowfs settings from the start of a run, and changes at given seconds into
// it (one long stall lands inside every run). Every shape delays syncs only:
// the writes themselves go at this disk's speed.
import type { SlowfsSettings } from '../src/lab/slowfs.js';

export interface DiskShape {
  name: string;
  /** What the shape is, in words, for docs/calibration.md. */
  definition: string;
  settings: SlowfsSettings;
  /** Changes at a second of each run (qualify's, and the 3-member load's), e.g. one stall. */
  at?: { qualifyS: number; loadS: number; settings: SlowfsSettings };
}

export const SHAPES: DiskShape[] = [
  { name: 'healthy', definition: 'this disk through slowfs, no delay added', settings: { fsyncDelayUs: 0 } },
  { name: '2 ms', definition: 'every sync 2 ms slower', settings: { fsyncDelayUs: 2000 } },
  { name: '8 ms', definition: 'every sync 8 ms slower: just inside the 10 ms p99', settings: { fsyncDelayUs: 8000 } },
  { name: '15 ms', definition: 'every sync 15 ms slower: past the 10 ms p99', settings: { fsyncDelayUs: 15_000 } },
  {
    name: '1 ms + 3 % at 20 ms',
    definition: 'every sync 1 ms slower, and 3 % of them 20 ms more (seed 1): the p99 in the tail',
    settings: {
      fsyncDelayUs: 1000,
      dist: [
        [0, 97],
        [20_000, 3],
      ],
      seed: 1,
    },
  },
  {
    name: '0.5 ms + 0.5 % at 50 ms',
    definition: 'every sync 0.5 ms slower, and 0.5 % of them 50 ms more (seed 1): a tail beyond the p99',
    settings: {
      fsyncDelayUs: 500,
      dist: [
        [0, 995],
        [50_000, 5],
      ],
      seed: 1,
    },
  },
  {
    name: '300 ms stall / 10 s',
    definition: 'a stall of 300 ms every 10 s (a sync that starts in it waits for its end), 0.5 ms otherwise',
    settings: { fsyncDelayUs: 500, stallEveryMs: 10_000, stallUs: 300_000 },
  },
  {
    name: 'one 1.5 s stall',
    definition:
      "0.5 ms per sync and one stall of 1.5 s (etcd's election timeout; every sync that starts in it waits for its " +
      'end): 25 s into qualify (inside its WAL phase), 15 s into the load',
    settings: { fsyncDelayUs: 500 },
    at: { qualifyS: 25, loadS: 15, settings: { fsyncDelayUs: 500, stallEveryMs: 3_600_000, stallUs: 1_500_000 } },
  },
  {
    name: 'burst credits drained',
    definition:
      'a burst-credit volume: 4,000 credits (a write or a sync each) refilled at 150/s, at most 3,000/s while ' +
      'they last: the fio recipe drains it, then every operation waits for its credit',
    settings: { fsyncDelayUs: 0, bucket: { size: 4000, rate: 150, burst: 3000 } },
  },
];

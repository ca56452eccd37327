// The grading contract as data: each row a disk phase (a synthetic timeline of
// operations with the host evidence of its seconds) and the verdict it must
// get: the letter, the exit code and the check that decides. docs/checks.md
// shows this table; verdict-table.test.ts runs every row.
import type { Letter } from '../../src/verdict/check.js';
import type { Timeline } from './timeline.js';

export interface VerdictCase {
  name: string;
  timeline: Timeline;
  letter: Letter | null;
  exit: 0 | 1 | 4;
  /** The check the verdict rests on ('memory' for a filesystem held in memory). */
  deciding: string;
  /** Other checks' statuses the row pins down. */
  also?: Record<string, 'pass' | 'fail' | 'warn' | 'not-run' | 'inconclusive'>;
}

const saturated = { busy: 0.99, psi: 0.9 };

export const VERDICT_CASES: VerdictCase[] = [
  {
    name: 'a healthy disk: every fdatasync 1 ms, a quiet host',
    timeline: { seconds: 30, syncMs: 1 },
    letter: 'A',
    exit: 0,
    deciding: 'sync-p99',
    also: { stall: 'pass', 'save-stall': 'pass', 'latency-over-time': 'pass', 'commit-p99': 'pass' },
  },
  {
    name: '20 ms added to every fdatasync',
    timeline: { seconds: 30, syncMs: 21 },
    letter: 'D',
    exit: 1,
    deciding: 'sync-p99',
    also: { 'latency-over-time': 'fail' },
  },
  {
    name: '60 ms every fdatasync',
    timeline: { seconds: 30, syncMs: 60 },
    letter: 'F',
    exit: 1,
    deciding: 'sync-p99',
  },
  {
    name: 'one 300 ms stall, 1 ms otherwise',
    timeline: { seconds: 30, syncMs: 1, stalls: [{ atSecond: 10, ms: 300 }] },
    letter: 'D',
    exit: 1,
    deciding: 'stall',
    also: { 'save-stall': 'fail', 'sync-p99': 'pass' },
  },
  {
    name: 'one 1.5 s stall on a quiet host',
    timeline: { seconds: 20, syncMs: 1, stalls: [{ atSecond: 10, ms: 1500 }] },
    letter: 'F',
    exit: 1,
    deciding: 'stall',
  },
  {
    name: 'one 1.5 s stall, 12 % steal, 1 ms of writer CPU wait a second',
    timeline: { seconds: 20, syncMs: 1, stalls: [{ atSecond: 10, ms: 1500 }], host: { steal: 0.12, waitMs: 1 } },
    letter: 'F',
    exit: 1,
    deciding: 'stall',
  },
  {
    name: 'one 1.5 s stall beside CPU hogs: host saturated, 50 ms of writer wait a second',
    timeline: {
      seconds: 20,
      syncMs: 1,
      stalls: [{ atSecond: 10, ms: 1500 }],
      host: { ...saturated, waitMs: 50 },
    },
    letter: 'F',
    exit: 1,
    deciding: 'stall',
  },
  {
    name: 'one 1.5 s stall, host saturated, the writer waiting 600 ms a second around it but 2 ms inside it',
    timeline: {
      seconds: 20,
      syncMs: 1,
      stalls: [{ atSecond: 10, ms: 1500, cpuWaitMs: 2 }],
      host: { ...saturated, waitMs: (s) => (s >= 9 && s <= 11 ? 600 : 1) },
    },
    letter: 'F',
    exit: 1,
    deciding: 'stall',
  },
  {
    name: 'one 1.5 s stall of which the writer waited 1.4 s for a CPU inside it, host saturated',
    timeline: {
      seconds: 20,
      syncMs: 1,
      stalls: [{ atSecond: 10, ms: 1500, cpuWaitMs: 1400 }],
      host: { ...saturated, waitMs: (s) => (s >= 9 && s <= 11 ? 600 : 1) },
    },
    letter: null,
    exit: 4,
    deciding: 'stall',
  },
  {
    name: 'one 1.5 s stall, 2 ms of CPU wait inside it, on a starved host whose wait explains the 12 ms p99',
    timeline: {
      seconds: 20,
      syncMs: 12,
      stalls: [{ atSecond: 10, ms: 1500, cpuWaitMs: 2 }],
      host: { ...saturated, waitMs: 950 },
    },
    letter: 'F',
    exit: 1,
    deciding: 'stall',
    also: { 'sync-p99': 'inconclusive' },
  },
  {
    name: 'a starved host beside a good disk: 12 ms syncs, the writer waiting 950 ms a second',
    timeline: { seconds: 30, syncMs: 12, host: { ...saturated, waitMs: 950 } },
    letter: null,
    exit: 4,
    deciding: 'sync-p99',
    also: { 'latency-over-time': 'inconclusive' },
  },
  {
    name: 'p99 500 ms under 12 % steal',
    timeline: { seconds: 30, syncMs: (s) => (s >= 10 ? 500 : 1), host: { steal: 0.12, waitMs: 1 } },
    letter: 'F',
    exit: 1,
    deciding: 'sync-p99',
    also: { stall: 'fail' },
  },
  {
    name: 'O_DSYNC on a healthy disk: write() pays, nothing syncs after it',
    timeline: { seconds: 25, mode: 'seq', syncMethod: 'dsync', syncMs: 0.25 },
    letter: 'A',
    exit: 0,
    deciding: 'sync-p99',
    also: { 'latency-over-time': 'pass' },
  },
  {
    name: 'a step of +1 ms at second 8 of 30 (0.25 to 1.25 ms)',
    timeline: { seconds: 30, syncMs: (s) => (s >= 8 ? 1.25 : 0.25) },
    letter: 'A',
    exit: 0,
    deciding: 'sync-p99',
    also: { 'latency-over-time': 'warn' },
  },
  {
    name: 'a step of +4 ms at second 8 of 30 (0.25 to 4.25 ms)',
    timeline: { seconds: 30, syncMs: (s) => (s >= 8 ? 4.25 : 0.25) },
    letter: 'D',
    exit: 1,
    deciding: 'latency-over-time',
  },
  {
    name: 'WAL cuts whose two fsyncs take 110 ms each: Raft blocked 222 ms, no single sync at 200 ms',
    timeline: { seconds: 30, syncMs: 1, cuts: { every: 2, syncMs: 110 } },
    letter: 'D',
    exit: 1,
    deciding: 'save-stall',
    also: { stall: 'pass' },
  },
  {
    name: 'a 4 s WAL run: 40 backend commits are too few for a p99',
    timeline: { seconds: 4, syncMs: 1 },
    letter: 'A',
    exit: 0,
    deciding: 'sync-p99',
    also: { 'commit-p99': 'not-run' },
  },
  {
    name: 'a 4 s WAL run whose 40 commits hold 3 over 25 ms: too few for a p99, but no 100 could pass',
    timeline: { seconds: 4, syncMs: 1, commits: { perSecond: 10, ms: 2 }, slowCommits: 3 },
    letter: 'D',
    exit: 1,
    deciding: 'commit-p99',
  },
  {
    name: 'a burst volume draining: 30 ms from second 40 of 60',
    timeline: { seconds: 60, syncMs: (s) => (s >= 40 ? 30 : 1) },
    letter: 'D',
    exit: 1,
    deciding: 'sync-p99',
    also: { 'latency-over-time': 'fail' },
  },
  {
    name: 'tmpfs: memory, not a disk',
    timeline: { seconds: 20, syncMs: 0.01, memory: 'tmpfs' },
    letter: null,
    exit: 4,
    deciding: 'memory',
  },
];

/** The table as docs/checks.md shows it. */
export function verdictTable(cases = VERDICT_CASES): string {
  const rows = cases.map((c) => `| ${c.name} | ${c.letter ?? 'none'} | ${c.exit} | \`${c.deciding}\` |`);
  return ['| disk phase | letter | exit | decided by |', '|---|---|---|---|', ...rows].join('\n');
}

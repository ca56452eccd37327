// The readable account of a `lab replay-disk` run: where the distribution came
// from, this disk's floor, the replay against the original, what etcd did on
// the replayed disk, and the checks.
import type { ReplayLabResult } from '../lab/replay-lab-result.js';
import type { DistFigures } from '../lab/replay-dist.js';
import { renderLoadText } from './load-text.js';

const ms = (ns: number | null | undefined) => (ns === null || ns === undefined ? '-' : `${+(ns / 1e6).toFixed(3)} ms`);

const seconds = (ns: number) => `${+(ns / 1e9).toFixed(1)} s`;

function figuresLine(name: string, f: DistFigures | null): string {
  if (!f) return `${name.padEnd(10)} -`;
  const cells = [f.p50Ns, f.p99Ns, f.p999Ns, f.maxNs].map((v) => ms(v).padStart(12));
  return `${name.padEnd(10)}${cells.join('')}${String(f.count).padStart(10)}`;
}

/** The checks, a line each: status, title, measured against the limit, the note. */
function checkLines(r: ReplayLabResult): string[] {
  return r.checks.map((c) => {
    const measured = c.unit === 'ns' ? ms(c.measured) : String(c.measured ?? '-');
    const limit = c.unit === 'ns' ? ms(c.limit) : String(c.limit);
    const range = c.range ? ` (${c.range})` : '';
    return (
      `  ${c.status.toUpperCase().padEnd(12)} ${c.title}: ${measured}${range}, limit ${c.comparison} ${limit}` +
      (c.note ? `; ${c.note}` : '')
    );
  });
}

export function renderReplayLabText(r: ReplayLabResult): string {
  const src = r.source;
  const lines = [
    `etcd-disk-bench lab replay-disk: the ${src.phase} phase of ${src.file} (${src.node ?? 'node unknown'}, ` +
      `${src.startedAt}; its ${src.stream === 'sync' ? 'fdatasync' : 'write() under O_DSYNC'} distribution) ` +
      `replayed on ${r.target.dir} (${r.target.fsType}), seed ${r.setup.seed}`,
    '',
    `${''.padEnd(10)}${['p50', 'p99', 'p99.9', 'max'].map((h) => h.padStart(12)).join('')}${'count'.padStart(10)}`,
    figuresLine('original', r.replay.original),
    figuresLine('floor', r.floor?.figures ?? null),
    figuresLine('replayed', r.replay.replayed),
    `(floor: this disk through slowfs with a constant ${ms(r.floor?.delayNs)} delay, ` +
      `${seconds(r.setup.floorRuntimeNs)}: a delayed sync costs ${ms(r.floor?.overheadNs)} more, taken off every ` +
      `replayed value; replayed: our WAL phase on the replay, ${seconds(r.setup.walRuntimeNs)}, ` +
      `${r.setup.bins.length} bins drawn)`,
  ];
  if (r.walPhase)
    lines.push(`our WAL phase on the replay: grade ${r.walPhase.grade.letter ?? '-'}, ${r.walPhase.grade.reason}`);
  if (r.load) lines.push('', renderLoadText(r.load).trimEnd());
  if (r.noLeader) lines.push('', `NO LEADER: ${r.noLeader.message}`);
  const e = r.etcd;
  if (e)
    lines.push(
      '',
      `ETCD ${r.etcdVersion} ON THE REPLAY (${r.setup.members} members): WAL fsync p99 ${ms(e.walFsyncP99Ns)}, ` +
        `backend commit p99 ${ms(e.backendCommitP99Ns)}, request p99 ${ms(e.requestP99Ns)}; ` +
        `${e.heartbeatsLate} heartbeats sent late, ${e.slowFdatasync} "slow fdatasync", ${e.leaderChanges} leader ` +
        `changes, ${e.elections} elections in the logs, ${e.proposalsFailed} failed proposals`,
    );
  lines.push('', 'CHECKS', ...checkLines(r));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}

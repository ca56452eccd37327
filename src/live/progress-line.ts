// The plain view: without a terminal, with --no-tui, --json or CI set. One
// line on stderr per event: a phase starting or ending, a warning (each once),
// and about once a second where the run stands. No escape sequences.
import { formatDuration } from '../options/units.js';
import { ms } from '../report/format.js';
import type { MemberNow, RunEvent, TickEvent } from '../events/events.js';

const clock = (ns: number) => {
  const s = Math.floor(ns / 1e9);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
};

/** Each observed member in a few words. */
function membersLine(members: MemberNow[]): string {
  return members
    .map(
      (m) =>
        `${m.name} ${m.letter ?? '-'}: WAL fsync p99 ${m.walFsyncP99 ?? '-'} (last ${m.lastWalFsyncP99 ?? '-'}), ` +
        `peer RTT p99 ${m.peerRttP99 ?? '-'}, leader changes ${m.leaderChanges ?? '-'}`,
    )
    .join('; ');
}

/** The one line a tick becomes. */
export function tickLine(t: TickEvent): string {
  const head = `[${t.phase} ${clock(t.elapsedNs)}${t.plannedNs > 0 ? `/${clock(t.plannedNs)}` : ''}]`;
  if (t.members) return `${head} ${t.ops} WAL fsyncs (${t.opsLastSecond ?? '-'}/s); ${membersLine(t.members)}`;
  const parts = [`${t.ops} done`, `${t.opsLastSecond ?? '-'}/s`];
  const durable =
    t.streams.find((s) => s.name !== 'write()' && s.name !== 'WAL write()' && s.name !== 'commit') ?? t.streams[0];
  if (durable)
    parts.push(
      `${durable.name} p99 ${ms(durable.total.count > 0 ? durable.total.p99Ns : null)} ms (last second ` +
        `${ms(durable.lastSecond?.p99Ns ?? null)} ms)`,
    );
  const commit = t.streams.find((s) => s.name === 'commit');
  if (commit) parts.push(`commit p99 ${ms(commit.total.count > 0 ? commit.total.p99Ns : null)} ms`);
  if (t.server)
    parts.push(`etcd WAL fsync p99 ${t.server.walFsyncP99 ?? '-'}, leader changes ${t.server.leaderChanges ?? '-'}`);
  if (t.errors > 0) parts.push(`${t.errors} errors`);
  if (t.letter) parts.push(`heading to ${t.letter}`);
  return `${head} ${parts.join(', ')}`;
}

/** Writes progress lines for the events of a run. */
export class ProgressLine {
  private readonly warned = new Set<string>();
  private single = false;

  constructor(
    private readonly write: (s: string) => void,
    private readonly prefix = 'etcd-disk-bench',
  ) {}

  handle(e: RunEvent): void {
    switch (e.type) {
      case 'phase-start': {
        // A command with one phase (disk, load) names no phase number, and its end only when it did not finish.
        this.single = e.of === 1;
        const what = `${e.phase}${e.plannedNs > 0 ? `, at most ${formatDuration(e.plannedNs)}` : ''}`;
        const counted = this.single ? what : `phase ${e.index}/${e.of} (${what})`;
        this.write(`${this.prefix}: ${counted}: ${e.title} on ${e.target}\n`);
        break;
      }
      case 'tick':
        this.write(`${tickLine(e)}\n`);
        break;
      case 'warning':
        if (this.warned.has(e.message)) return;
        this.warned.add(e.message);
        this.write(`${this.prefix}: warning: ${e.message}\n`);
        break;
      case 'phase-end':
        if (this.single && e.status === 'done') return;
        this.write(`${this.prefix}: phase ${e.phase}: ${e.status}${e.reason ? ` (${e.reason})` : ''}\n`);
        break;
    }
  }
}

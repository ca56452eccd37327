// The lines that show what the live-etcd guard saw before the run (the etcd
// processes, where their data is, the decision) and a live etcd which shared
// the disk (--allow-live-etcd): its own WAL fsync, backend commit and leader
// changes while we wrote.
import type { LiveEtcdGuardRecord } from '../run/live-etcd-guard.js';
import type { LiveEtcdBeside } from '../etcd/shared-etcd-watch.js';

const SHARES = { filesystem: 'the same filesystem', device: 'the same disk', unknown: 'a disk not told apart' };

/** The guard's decision, and one line per etcd it saw; empty for a report from before the guard was recorded. */
export function liveEtcdGuardLines(g: LiveEtcdGuardRecord | undefined): string[] {
  if (!g) return [];
  const lines = [`live-etcd guard: ${g.decision}`];
  for (const e of g.etcds) {
    const where = e.places
      .map((p) => `${p.dir} on ${p.majMin ?? '?'}${p.source ? ` (${p.source})` : ''}, ${p.via ?? 'not placed'}`)
      .join('; ');
    lines.push(`  etcd pid ${e.pid}: ${where || 'data directory not known'}: ${e.decision}, ${e.outcome}`);
  }
  return lines;
}

/** One block per shared etcd; empty when none shared the disk. */
export function liveEtcdLines(beside: LiveEtcdBeside[] | undefined): string[] {
  const lines: string[] = [];
  for (const b of beside ?? []) {
    const e = b.etcd;
    lines.push(
      `live etcd on ${SHARES[e.shares]}: pid ${e.pid}, data ` +
        `${e.dataDir ?? 'not known'}${e.walDir ? `, WAL ${e.walDir}` : ''}`,
    );
    const m = b.metrics;
    if (!m) {
      lines.push(`  its own figures during the run: unknown (${b.note ?? 'not read'})`);
      continue;
    }
    const q = (s: typeof m.walFsync) => (s?.p99 ? `p99 ${s.p99.text} (${s.count} observations)` : 'none observed');
    lines.push(`  its WAL fsync during the run: ${q(m.walFsync)}; backend commit: ${q(m.backendCommit)}`);
    lines.push(
      `  its leader changes during the run: ${m.leaderChanges ?? 'unknown'}; failed proposals: ` +
        `${m.proposalsFailed ?? 'unknown'}`,
    );
  }
  return lines;
}

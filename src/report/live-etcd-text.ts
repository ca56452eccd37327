// The lines that show a live etcd which shared the disk (--allow-live-etcd):
// what it is, and its own WAL fsync, backend commit and leader changes while
// we wrote.
import type { LiveEtcdBeside } from '../etcd/shared-etcd-watch.js';

/** One block per shared etcd; empty when none shared the disk. */
export function liveEtcdLines(beside: LiveEtcdBeside[] | undefined): string[] {
  const lines: string[] = [];
  for (const b of beside ?? []) {
    const e = b.etcd;
    lines.push(
      `live etcd on the ${e.shares === 'filesystem' ? 'same filesystem' : 'same disk'}: pid ${e.pid}, data ` +
        `${e.dataDir}${e.walDir ? `, WAL ${e.walDir}` : ''}`,
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

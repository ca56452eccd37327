// A `lab replay-disk` result as a page: the report's fdatasync distribution
// beside the replay's (shares per doubling bucket, etcd's 10 ms limit drawn),
// the figures of the original, this disk's floor and the replay, what etcd
// did on the replayed disk, the checks, and the load.
import { commandLineOf } from '../../run/command-line.js';
import type { ReplayLabResult } from '../../lab/replay-lab-result.js';
import type { DistFigures } from '../../lab/replay-dist.js';
import { checksTable, distribution, rerun } from './blocks.js';
import { loadView } from './etcd-view.js';
import { esc, ms, table } from './html-text.js';
import { htmlPage, section } from './page.js';

const WAL_LIMIT_NS = 10e6;
const msText = (ns: number | null | undefined) => (ns === null || ns === undefined ? '-' : `${ms(ns)} ms`);

function figuresRow(name: string, f: DistFigures | null): string[] {
  if (!f) return [esc(name), '-', '-', '-', '-', '-'];
  return [esc(name), String(f.count), ...[f.p50Ns, f.p99Ns, f.p999Ns, f.maxNs].map(ms)];
}

/** The headline: what etcd did on the replayed disk, in a few words. */
function headlineOf(r: ReplayLabResult): { headline: string; letter: string } {
  if (!r.complete) return { headline: 'INCOMPLETE', letter: '-' };
  if (r.noLeader) return { headline: 'ETCD HELD NO LEADER', letter: 'F' };
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  return failed === 0
    ? { headline: 'ETCD STAYED WITHIN ITS LIMITS', letter: 'A' }
    : { headline: `ETCD MISSED ${failed} LIMIT${failed === 1 ? '' : 'S'}`, letter: 'D' };
}

export function renderReplayLabHtml(r: ReplayLabResult): string {
  const e = r.etcd;
  const { headline, letter } = headlineOf(r);
  const reason = e
    ? `etcd ${r.etcdVersion} on the replayed disk: WAL fsync p99 ${msText(e.walFsyncP99Ns)}, backend commit p99 ` +
      `${msText(e.backendCommitP99Ns)}, ${e.heartbeatsLate} heartbeats late, ${e.leaderChanges} leader changes, ` +
      `${e.proposalsFailed} failed proposals, request p99 ${msText(e.requestP99Ns)}`
    : (r.noLeader?.message ?? r.incompleteReason ?? 'etcd did not run');
  const runs = [{ name: 'original', encoded: r.histograms.original, summary: null }];
  if (r.histograms.replayed) runs.push({ name: 'replayed', encoded: r.histograms.replayed, summary: null });
  const figures = table(
    'numbers',
    ['', 'count', 'p50 ms', 'p99 ms', 'p99.9 ms', 'max ms'],
    [
      figuresRow(`original (${r.source.phase} phase of ${r.source.file})`, r.replay.original),
      figuresRow(
        `this disk's floor (slowfs, ${msText(r.floor?.delayNs)} added; ${msText(r.floor?.overheadNs)} more taken off)`,
        r.floor?.figures ?? null,
      ),
      figuresRow('replayed (our WAL phase)', r.replay.replayed),
    ],
  );
  const etcdFacts = e
    ? table(
        'numbers',
        ['', 'value'],
        [
          ['WAL fsync p99, worst member', msText(e.walFsyncP99Ns)],
          ['backend commit p99, worst member', msText(e.backendCommitP99Ns)],
          ['request p99', msText(e.requestP99Ns)],
          ['heartbeats sent late (logs)', String(e.heartbeatsLate)],
          ['"slow fdatasync" (logs)', String(e.slowFdatasync)],
          ['leader changes / elections in the logs', `${e.leaderChanges} / ${e.elections}`],
          ['failed proposals', String(e.proposalsFailed)],
        ].map(([k, v]) => [esc(k!), esc(v!)]),
      )
    : `<p>${esc(reason)}</p>`;
  return htmlPage(
    {
      title: `etcd-disk-bench lab replay-disk: ${headline}`,
      headline,
      letter,
      reason,
      meta: [
        `${r.source.file} (${r.source.node ?? 'node unknown'}, ${r.source.startedAt})`,
        `${r.target.dir} (${r.target.fsType})`,
        `seed ${r.setup.seed}`,
        r.startedAt,
        `${r.tool.name} ${r.tool.version}`,
      ],
    },
    [
      section(
        'The distribution: the report against the replay',
        distribution('fdatasync, share of operations per bucket', runs, WAL_LIMIT_NS),
        figures,
      ),
      section('What etcd did on the replayed disk', etcdFacts),
      section('Checks', checksTable(r.checks)),
      ...r.warnings.map((w) => `<p>${esc(`warning: ${w}`)}</p>`),
      ...(r.load ? [section('The load', loadView(r.load, 100e6, { walNs: WAL_LIMIT_NS, commitNs: 25e6 }))] : []),
      rerun(commandLineOf(r.argv)),
    ],
  );
}

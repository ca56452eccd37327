// A qualify report as one self-contained HTML page for people who did not run
// it: the verdict in large type, the checks, each disk phase's latency over
// time (p50, p99, max per second, the limit drawn, events marked) and its
// distribution, etcd under the load with its own buckets beside ours, host and
// disk, the options with their sources, and the command to run it again. No
// script, no request: styles and SVG inline. Every chart has its numbers in a
// table beside it.
import type { QualifyReport } from '../../qualify/report.js';
import { deviceLine, hostLine } from '../disk-text.js';
import { checksTable, optionsTable, rerun } from './blocks.js';
import { diskPhaseSection } from './disk-html.js';
import { loadView } from './etcd-view.js';
import { esc } from './html-text.js';
import { headlineOf, htmlPage, section } from './page.js';

/** The limits a qualify report was judged with. */
export function qualifyLimits(r: QualifyReport): { syncNs: number; commitNs: number; requestNs: number } {
  return {
    syncNs: Number(r.options.syncP99Limit?.value ?? 10e6),
    commitNs: Number(r.options.commitP99Limit?.value ?? 25e6),
    requestNs: Number(r.phases.etcd.result?.options?.putP99Limit?.value ?? 100e6) || 100e6,
  };
}

function etcdSection(r: QualifyReport): string {
  const title = 'etcd under the kube load';
  const etcd = r.phases.etcd.result;
  if (!etcd) return section(title, `<p>${esc(r.phases.etcd.reason ?? 'Did not run.')}</p>`);
  const l = qualifyLimits(r);
  const wal = r.phases.wal.result?.wal;
  return section(
    title,
    loadView(
      etcd,
      l.requestNs,
      { walNs: l.syncNs, commitNs: l.commitNs },
      wal ? { name: 'ours (WAL phase)', encoded: wal.etcdFsyncHistogram } : undefined,
    ),
  );
}

/** The page. */
export function renderQualifyHtml(r: QualifyReport): string {
  const l = qualifyLimits(r);
  const headline = headlineOf(r.complete, r.verdict.passed, r.grade.letter);
  return htmlPage(
    {
      title: `etcd disk qualification: ${headline} (${r.node ?? r.host.hostname})`,
      headline,
      letter: r.grade.letter ?? '-',
      reason: r.verdict.text,
      meta: [r.node ?? r.host.hostname, r.target.dir, r.startedAt, `${r.tool.name} ${r.tool.version}`],
    },
    [
      section('Checks', checksTable(r.checks)),
      diskPhaseSection("fio's etcd recipe", r.phases.fio.result, l.syncNs, l.commitNs),
      diskPhaseSection("etcd's WAL shape", r.phases.wal.result, l.syncNs, l.commitNs),
      etcdSection(r),
      section('Host and disk', `<p>${esc(hostLine(r.host))}</p><p>${esc(deviceLine(r.target) ?? r.target.fsType)}</p>`),
      section('Options', optionsTable(r.options)),
      rerun(r.commandLine),
    ],
  );
}

// A saved `load` result (load --json) as a page: whether the cluster met the
// load's limits and what a miss belongs to, the checks, request latency over
// time and its distributions, etcd's own view, the options and the command.
import type { LoadResult } from '../../load/load-result.js';
import { commandLineOf } from '../../run/command-line.js';
import { checksTable, optionsTable, rerun } from './blocks.js';
import { loadView } from './etcd-view.js';
import { esc } from './html-text.js';
import { htmlPage, section } from './page.js';

export function renderLoadHtml(r: LoadResult): string {
  const failed = r.checks.filter((c) => c.status === 'fail');
  const headline = !r.complete ? 'INCOMPLETE' : r.passed ? 'PASS' : failed.length > 0 ? 'FAIL' : 'NO VERDICT';
  const reason = [
    r.incompleteReason ? `incomplete: ${r.incompleteReason}` : null,
    failed.length > 0 ? `failed: ${failed.map((c) => c.title).join(', ')}` : null,
    r.attribution.cause !== 'disk' || failed.length > 0 ? r.attribution.why : null,
  ]
    .filter((x) => x !== null)
    .join('. ');
  const requestNs = Number(r.options.putP99Limit?.value ?? 0) || 100e6;
  const target = r.target.local
    ? `local etcd ${r.target.local.version} (${r.target.local.members} members) on ${r.target.local.dir}`
    : r.target.endpoints.join(', ');
  const lost = r.target.local?.lost ?? [];
  return htmlPage(
    {
      title: `etcd-disk-bench load: ${headline} (${r.workload.name})`,
      headline,
      letter: r.passed ? 'pass' : 'fail',
      reason: reason || 'every check passed',
      meta: [target, `${r.workload.name} workload`, r.startedAt, `${r.tool.name} ${r.tool.version}`],
    },
    [
      section('Checks', checksTable(r.checks)),
      section(
        `The ${r.workload.name} load`,
        lost.length > 0 ? `<p>${lost.map((m) => esc(`lost: ${m.how} at second ${m.atSecond}`)).join('<br>')}</p>` : '',
        loadView(r, requestNs, { walNs: 10e6, commitNs: 25e6 }),
      ),
      section('Options', optionsTable(r.options)),
      rerun(commandLineOf(r.argv)),
    ],
  );
}

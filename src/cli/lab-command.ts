// `etcd-disk-bench lab slow-disk`: make a slow disk on purpose and show what
// etcd does on it. Parse, run, print, set the exit code (0 when the lab ran;
// it demonstrates, it does not grade).
import type { Command } from 'commander';
import { ExitCode, UsageError } from '../core/errors.js';
import { runBurstLab } from '../lab/run-burst-credits.js';
import { runSlowDisk } from '../lab/run-slow-disk.js';
import { runSlowNetwork } from '../lab/run-slow-network.js';
import { runReplayDisk } from '../lab/run-replay-disk.js';
import type { ReplaySource } from '../lab/replay-lab-result.js';
import {
  BURST_LAB_OPTION_KEYS,
  LAB_OPTION_KEYS,
  NETWORK_LAB_OPTION_KEYS,
  REPLAY_LAB_OPTION_KEYS,
} from '../options/table.js';
import { renderBurstLabText } from '../report/burst-lab-text.js';
import { renderLabText } from '../report/lab-text.js';
import { renderNetworkText } from '../report/network-text.js';
import { renderReplayLabText } from '../report/replay-lab-text.js';
import { readReplaySource } from '../report/replay-source.js';
import { renderReplayLabHtml } from '../report/html/replay-lab-html.js';
import { addRunCommand, printJson } from './run-command.js';
import { hostname } from 'node:os';
import { checkOutPath, defaultReportPath } from '../qualify/report-file.js';
import { renderBurstLabHtml } from '../report/html/burst-lab-html.js';
import { htmlPathOf, saveHtml, saveReport } from './save-report.js';

const DESCRIPTION = `mount slowfs (a FUSE filesystem that sleeps before every fsync) over a directory on --dir,
run local etcd members on it under the kube workload, and report what etcd did: latency, leader changes,
failed proposals, heartbeat failures and its own log warnings. Needs root, /dev/fuse and slowfs (built when
libfuse3-dev is installed)`;

const NETWORK_DESCRIPTION = `start local etcd members whose peer traffic passes delaying TCP proxies of ours
(--delay one way, on every link or on one member's), run the kube workload, and report the delay actually
added, etcd's peer round trip per link, commit and request latency, leader changes, failed proposals, its log
warnings, the peer round-trip checks (p99 < 50 ms) and the heartbeat/election values etcd's tuning guide gives.
etcd's round-trip figure is smoothed (1/8 per 4 s probe): it nears the real round trip after about a minute`;

const BURST_DESCRIPTION = `the burst-credit incident replayed: local etcd members, each on its own slowfs volume
with a token bucket (--credits, refilled at --baseline a second), under the kube workload; forecasts from the
first seconds when the first bucket empties, watches it happen, and reports etcd's WAL fsync p99 before and
after, leader changes and a line per second. Needs root, /dev/fuse and slowfs`;

const REPLAY_DESCRIPTION = `a production disk brought home: replay the fdatasync distribution of a report
(--from: a qualify report or a disk result, from any node) on a slowfs directory on --dir, less this disk's own
floor (measured first); run our WAL phase on it to show the replay matches, then local etcd members on it under
the kube load (or one sized --like the cluster), and report what etcd did: its WAL fsync and commit p99,
heartbeats sent late, leader changes, failed proposals and request p99. Needs root, /dev/fuse and slowfs`;

/** A lab's ending: the account on stderr, the result on stdout with --json; 0 when it ran (it does not grade). */
function labFinish<R extends { complete: boolean }>(
  render: (result: R) => string,
  stderr: (s: string) => void,
): (result: R, resolved: { values: { json: boolean } }) => number {
  return (result, resolved) => {
    stderr(render(result));
    printJson(resolved.values.json, result);
    return result.complete ? ExitCode.ok : ExitCode.environment;
  };
}

/** The result file and its page when asked for (--out, --html); the exit code of the lab, or 3 when not saved. */
function saveLabResult<R extends { startedAt: string }>(
  result: R,
  out: string | null,
  html: { wanted: boolean; render: (r: R) => string },
  name: string,
  code: number,
  stderr: (s: string) => void,
): number {
  if (!out && !html.wanted) return code;
  const path = out ?? defaultReportPath(hostname(), result.startedAt, name);
  if (!saveReport(path, result, stderr)) return ExitCode.environment;
  const page = html.wanted ? saveHtml(htmlPathOf(path), html.render(result), stderr) : true;
  return page ? code : ExitCode.environment;
}

/** Adds `lab replay-disk`: --from is read before anything is made (a report with nothing to replay: exit 2). */
function addReplayDisk(lab: Command, stderr: (s: string) => void): void {
  let source: ReplaySource | null = null;
  let out: string | null = null;
  addRunCommand(
    lab,
    'replay-disk',
    {
      command: 'lab-replay',
      description: REPLAY_DESCRIPTION,
      keys: REPLAY_LAB_OPTION_KEYS,
      defaultProfile: null,
      before: async (resolved) => {
        const o = resolved.values;
        if (o.from === '')
          throw new UsageError(
            '--from: required: a qualify report (--out) or a disk result (--json) to replay',
            'from',
          );
        out = o.out !== '' ? checkOutPath(o.out) : null;
        if (out && o.html) checkOutPath(htmlPathOf(out), '--html', 'html');
        source = readReplaySource(o.from, o.phase, resolved.sources.phase === 'cli');
      },
      run: (resolved, ctx) => runReplayDisk(source!, resolved, ctx),
      finish: (result, resolved) => {
        const code = labFinish(renderReplayLabText, stderr)(result, resolved);
        const html = { wanted: resolved.values.html, render: renderReplayLabHtml };
        return saveLabResult(result, out, html, 'lab-replay-disk', code, stderr);
      },
    },
    stderr,
  );
}

/** Adds `lab slow-disk` and `lab slow-network` to the program. */
export function addLabCommand(program: Command, stderr: (s: string) => void): void {
  const lab = program.command('lab').description('experiments on purpose-made bad disks and networks');
  addRunCommand(
    lab,
    'slow-disk',
    {
      command: 'lab',
      description: DESCRIPTION,
      keys: LAB_OPTION_KEYS,
      defaultProfile: null,
      run: runSlowDisk,
      finish: labFinish(renderLabText, stderr),
    },
    stderr,
  );
  addRunCommand(
    lab,
    'slow-network',
    {
      command: 'lab-network',
      description: NETWORK_DESCRIPTION,
      keys: NETWORK_LAB_OPTION_KEYS,
      defaultProfile: null,
      run: runSlowNetwork,
      finish: labFinish(renderNetworkText, stderr),
    },
    stderr,
  );
  let burstOut: string | null = null;
  addRunCommand(
    lab,
    'burst-credits',
    {
      command: 'lab-burst',
      description: BURST_DESCRIPTION,
      keys: BURST_LAB_OPTION_KEYS,
      defaultProfile: null,
      // --out (and its page) are checked before the lab mounts anything.
      before: async (resolved) => {
        burstOut = resolved.values.out !== '' ? checkOutPath(resolved.values.out) : null;
        if (burstOut && resolved.values.html) checkOutPath(htmlPathOf(burstOut), '--html', 'html');
      },
      run: runBurstLab,
      finish: (result, resolved) => {
        const code = labFinish(renderBurstLabText, stderr)(result, resolved);
        const html = { wanted: resolved.values.html, render: renderBurstLabHtml };
        return saveLabResult(result, burstOut, html, 'lab-burst-credits', code, stderr);
      },
    },
    stderr,
  );
  addReplayDisk(lab, stderr);
}

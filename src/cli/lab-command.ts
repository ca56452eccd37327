// `etcd-disk-bench lab slow-disk`: make a slow disk on purpose and show what
// etcd does on it. Parse, run, print, set the exit code (0 when the lab ran;
// it demonstrates, it does not grade).
import type { Command } from 'commander';
import { ExitCode } from '../core/errors.js';
import { runBurstLab } from '../lab/run-burst-credits.js';
import { runSlowDisk } from '../lab/run-slow-disk.js';
import { runSlowNetwork } from '../lab/run-slow-network.js';
import { BURST_LAB_OPTION_KEYS, LAB_OPTION_KEYS, NETWORK_LAB_OPTION_KEYS } from '../options/table.js';
import { renderBurstLabText } from '../report/burst-lab-text.js';
import { renderLabText } from '../report/lab-text.js';
import { renderNetworkText } from '../report/network-text.js';
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
        if (!burstOut && !resolved.values.html) return code;
        const path = burstOut ?? defaultReportPath(hostname(), result.startedAt, 'lab-burst-credits');
        if (!saveReport(path, result, stderr)) return ExitCode.environment;
        const page = resolved.values.html ? saveHtml(htmlPathOf(path), renderBurstLabHtml(result), stderr) : true;
        return page ? code : ExitCode.environment;
      },
    },
    stderr,
  );
}

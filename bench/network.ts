// npm run bench:network - the peer round-trip verdict against known delays:
// `lab slow-network` at 0, 5, 30 and 100 ms one way on every link, and 100 ms
// again with the heartbeat and election timeout its tuning advice gives; then
// 100 ms with 2 s stalls every 20 s (a link that flaps), with etcd's default
// timeouts and with the advice for it. Prints a Markdown table: the delay the
// proxies measured, etcd's own peer round trip, the link checks, the letter
// observe's checks give, request p99, leader changes and elections during the
// load, failed proposals, heartbeat send failures, the tuning advice.
// BENCH_RUNTIME (default 90s: etcd's smoothed round trip needs a minute),
// BENCH_CASES (default delays,stalls).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkResult } from '../src/lab/network-result.js';
import { cliArgs } from './cli-args.js';

const RUNTIME = process.env.BENCH_RUNTIME ?? '90s';
/** Which runs: delays (0, 5, 30, 100 ms and 100 ms tuned), stalls (100 ms with stalls, default and tuned). */
const CASES = (process.env.BENCH_CASES ?? 'delays,stalls').split(',');
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';

function lab(delay: string, extra: string[]): NetworkResult {
  const dir = mkdtempSync(join(base, 'edb-bench-net-'));
  try {
    const out = execFileSync(
      process.execPath,
      [...cliArgs(), 'lab', 'slow-network', '--dir', dir, '--delay', delay, '--runtime', RUNTIME, '--json', ...extra],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 },
    );
    return JSON.parse(out) as NetworkResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (ns: number | null | undefined) => (ns === null || ns === undefined ? '-' : (ns / 1e6).toFixed(1));

function row(label: string, r: NetworkResult): string {
  const failed = r.checks.filter((c) => c.status === 'fail').length;
  const judged = r.checks.filter((c) => c.status !== 'not-run').length;
  const rtt = r.peerLinks.map((l) => l.p99?.text ?? '-');
  const changes = Math.max(0, ...(r.load?.server.map((m) => m.leaderChanges ?? 0) ?? [0]));
  const hb = (r.load?.server ?? []).reduce((a, m) => a + (m.heartbeatSendFailures ?? 0), 0);
  const failedProposals = (r.load?.server ?? []).reduce((a, m) => a + (m.proposalsFailed ?? 0), 0);
  return (
    `| ${label} | ${ms(r.addedDelay.p50Ns)} | ${[...new Set(rtt)].join(', ')} | ` +
    `${judged - failed} pass, ${failed} fail | ${r.observed.grade.letter ?? '-'} | ` +
    `${ms(r.load?.latency.response.p99Ns)} | ${changes} / ${r.elections} | ${failedProposals} | ${hb} | ` +
    `${r.tuning.heartbeatMs} / ${r.tuning.electionMs} |`
  );
}

const runs: [string, string, string[]][] = [
  ['0 ms', '0', []],
  ['5 ms', '5ms', []],
  ['30 ms', '30ms', []],
  ['100 ms', '100ms', []],
];
const lines = [
  `lab slow-network, 3 members, every link, kube load, ${RUNTIME} each (${new Date().toISOString()})`,
  '',
  '| one way | added p50 ms (measured) | etcd peer RTT p99 | link checks (< 50 ms) | letter | request p99 ms | ' +
    'leader changes / elections | failed proposals | heartbeat send failures | advice: heartbeat / election ms |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
const tune = (t: NetworkResult['tuning']) => [
  '--heartbeat-interval',
  `${t.heartbeatMs}ms`,
  '--election-timeout',
  `${t.electionMs}ms`,
];
const push = (label: string, r: NetworkResult) => {
  lines.push(row(label, r));
  process.stderr.write(`${lines.at(-1)}\n`);
};
if (CASES.includes('delays')) {
  let advice: NetworkResult['tuning'] | null = null;
  for (const [label, delay, extra] of runs) {
    const r = lab(delay, extra);
    push(label, r);
    if (delay === '100ms') advice = r.tuning;
  }
  if (advice) push(`100 ms, tuned (${advice.heartbeatMs} / ${advice.electionMs} ms)`, lab('100ms', tune(advice)));
}
if (CASES.includes('stalls')) {
  const STALLS = ['--stall', '2s', '--stall-every', '20s'];
  const stalled = lab('100ms', STALLS);
  push('100 ms, 2 s stalls every 20 s', stalled);
  const t = stalled.tuning;
  push(`100 ms, 2 s stalls, tuned (${t.heartbeatMs} / ${t.electionMs} ms)`, lab('100ms', [...STALLS, ...tune(t)]));
}
process.stdout.write(`${lines.join('\n')}\n`);

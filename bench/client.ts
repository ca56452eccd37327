// npm run bench:client - what our load generator costs the host, beside
// etcdctl's: CPU per request at etcdctl check perf's loads m and l (ours with
// the check-perf-m/l profiles), on a fresh local etcd per run, the two tools
// alternating which goes first, BENCH_ROUNDS rounds (default 3) and their
// medians; etcd's own CPU per request over each run beside them. Both tools'
// CPU is read the same way (bash's `times` for the child, everything it did
// from start to exit) and divided by the writes etcd itself committed in that
// time (etcd_server_proposals_committed_total), so neither tool's own count
// is trusted. Then the kube workload at 500/s (etcdctl has no equivalent:
// ours alone, divided by the requests etcd answered), and our client's RSS
// over a BENCH_MEMORY (default 10m; 0 skips) kube load, sampled every 5 s:
// each minute's largest against the first minute's. The kube workload runs on
// the own transport timed by the native pacer (the default), the same timed by
// the event loop (--pacing event-loop), and grpc-js, rotating which goes first.
// And the transports side by side at BENCH_AB_LOAD (default l): ours on its
// own HTTP/2 connections (the default), on grpc-js through etcd3's channels
// (--transport grpc-js), and a minimal node:http2 sender of the same puts
// (bench/node-http2-put.ts: no timing or histograms, a lower bound for Node's
// own HTTP/2), with the results side by side (rate, service and response
// p50/p99, errors) and the CPU of each. The summary goes to results/ each run,
// and to docs/figures/client.md with BENCH_RECORD=1 (bench/figures.ts).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadResult } from '../src/load/load-result.js';
import { parseDuration } from '../src/options/units.js';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { onFreshEtcd, withChildCpu } from './child-cpu.js';
import { cliArgs } from './cli-args.js';
import { recordFigures } from './figures.js';
import { median } from './median.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const LOADS = (process.env.BENCH_LOADS ?? 'm,l').split(',').filter(Boolean);
const KUBE_ROUNDS = Number(process.env.BENCH_KUBE_ROUNDS ?? ROUNDS);
const MEMORY_NS = parseDuration(process.env.BENCH_MEMORY ?? '10m') ?? 0;
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const TICK = 100; // clock ticks per second (Linux USER_HZ)

interface Run {
  tool: 'etcdctl' | 'ours' | 'ours-loop' | 'ours-grpc' | 'node-http2';
  load: string;
  /** Requests etcd committed (or, for kube, answered as the client counted them) during the run. */
  requests: number;
  clientCpuSec: number;
  etcdCpuSec: number;
  seconds: number;
}

const perReqUs = (cpuSec: number, n: number) => (n > 0 ? (cpuSec * 1e6) / n : NaN);

/** A process's user + system CPU so far, seconds (from /proc/PID/stat). */
function cpuOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

async function committed(endpoint: string): Promise<number> {
  const text = await (await fetch(`${endpoint}/metrics`)).text();
  return Number(/^etcd_server_proposals_committed_total (\S+)$/m.exec(text)?.[1] ?? NaN);
}

/** One run of `cmd` on a fresh etcd, with the client's and etcd's CPU and etcd's committed writes. */
function measure(
  tool: Run['tool'],
  load: string,
  cmd: (endpoint: string) => string[],
  env: Record<string, string> = {},
): Promise<Run & { out: string }> {
  return onFreshEtcd(base, async (endpoint, pid) => {
    const [c0, e0, t0] = [await committed(endpoint), cpuOf(pid), performance.now()];
    const { out, cpuSec } = await withChildCpu(cmd(endpoint), { env });
    const [c1, e1, t1] = [await committed(endpoint), cpuOf(pid), performance.now()];
    return {
      tool,
      load,
      requests: c1 - c0,
      clientCpuSec: cpuSec,
      etcdCpuSec: e1 - e0,
      seconds: (t1 - t0) / 1000,
      out,
    };
  });
}

// check perf was seen to hang after a --load=l run: a deadline, and SIGINT, which it answers by cleaning up.
const etcdctl = (load: string) =>
  measure('etcdctl', load, (e) => [
    'timeout',
    '-s',
    'INT',
    '180',
    'etcdctl',
    `--endpoints=${e}`,
    'check',
    'perf',
    `--load=${load}`,
  ]);
type OursPath = 'ours' | 'ours-loop' | 'ours-grpc';
const TRANSPORT: Record<OursPath, string> = { ours: 'own', 'ours-loop': 'own', 'ours-grpc': 'grpc-js' };
const PACING: Record<OursPath, string> = { ours: 'auto', 'ours-loop': 'event-loop', 'ours-grpc': 'auto' };
const PATH_NAME: Record<OursPath, string> = {
  ours: 'own transport, native pacing',
  'ours-loop': 'own transport, event-loop pacing',
  'ours-grpc': 'grpc-js transport',
};
const ours = (load: string, profile: string, tool: OursPath = 'ours') =>
  measure(tool, load, (e) => [
    process.execPath,
    ...cliArgs(),
    'load',
    '--endpoints',
    e,
    '--profile',
    profile,
    '--transport',
    TRANSPORT[tool],
    '--pacing',
    PACING[tool],
    '--json',
  ]);
/** check perf's clients, connections and length at a load, as the check-perf-LOAD profile has them. */
function profileShape(load: string): { clients: number; conns: number; seconds: number } {
  const p = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'profiles', `check-perf-${load}.json`), 'utf8')) as {
    options: { clients: number; conns: number; runtime: string };
  };
  return {
    clients: p.options.clients,
    conns: p.options.conns,
    seconds: (parseDuration(p.options.runtime) ?? 60e9) / 1e9,
  };
}
const nodeHttp2 = (load: string) => {
  const { clients, conns, seconds } = profileShape(load);
  const script = join(PACKAGE_ROOT, 'dist', 'bench', 'node-http2-put.js');
  return measure('node-http2', load, (e) => [
    process.execPath,
    script,
    e,
    String(clients),
    String(conns),
    String(seconds),
  ]);
};
const AB_LOAD = process.env.BENCH_AB_LOAD ?? 'l';
const AB_ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? ROUNDS);

const runs: Run[] = [];
for (let round = 0; round < ROUNDS; round++)
  for (const load of LOADS) {
    const pair = [() => etcdctl(load), () => ours(load, `check-perf-${load}`)];
    if (round % 2 === 1) pair.reverse();
    for (const go of pair) {
      const r = await go();
      runs.push(r);
      process.stderr.write(
        `round ${round + 1} ${load} ${r.tool}: ${r.requests} writes, client ${r.clientCpuSec.toFixed(1)} s CPU ` +
          `(${perReqUs(r.clientCpuSec, r.requests).toFixed(0)} us/request), etcd ${r.etcdCpuSec.toFixed(1)} s\n`,
      );
    }
  }
/** The put paths side by side: the same profile, rotating which goes first, each run's result kept. */
const ab: { tool: Run['tool']; run: Run & { out: string }; result: LoadResult | null }[] = [];
const PATHS: Run['tool'][] = ['node-http2', 'ours-grpc', 'ours'];
for (let round = 0; round < AB_ROUNDS; round++) {
  const order = [...PATHS.slice(round % PATHS.length), ...PATHS.slice(0, round % PATHS.length)];
  for (const tool of order) {
    const r =
      tool === 'node-http2' ? await nodeHttp2(AB_LOAD) : await ours(AB_LOAD, `check-perf-${AB_LOAD}`, tool as OursPath);
    ab.push({ tool, run: r, result: tool === 'node-http2' ? null : (JSON.parse(r.out) as LoadResult) });
    process.stderr.write(
      `round ${round + 1} ${AB_LOAD} ${tool}: ${perReqUs(r.clientCpuSec, r.requests).toFixed(0)} us\n`,
    );
  }
}
const KUBE_PATHS: OursPath[] = ['ours', 'ours-loop', 'ours-grpc'];
for (let round = 0; round < KUBE_ROUNDS; round++)
  for (const tool of [...KUBE_PATHS.slice(round % 3), ...KUBE_PATHS.slice(0, round % 3)]) {
    const r = await ours('kube', 'kube', tool);
    // kube's reads (a get after a failed compare) are not proposals: the client's own answered count is the figure.
    const answered = (JSON.parse(r.out) as LoadResult).totals.answered;
    runs.push({ ...r, requests: answered });
    process.stderr.write(
      `round ${round + 1} kube ${tool}: ${answered} requests, ${perReqUs(r.clientCpuSec, answered).toFixed(0)} us, ` +
        `etcd ${perReqUs(r.etcdCpuSec, answered).toFixed(0)} us\n`,
    );
  }

/** Our client's RSS every 5 s over a long kube load: each minute's largest. */
async function memory(runtimeNs: number): Promise<number[]> {
  return onFreshEtcd(base, async (endpoint) => {
    const child = spawn(
      process.execPath,
      cliArgs('load', '--endpoints', endpoint, '--profile', 'kube', '--runtime', `${runtimeNs / 1e9}s`, '--json'),
      { stdio: ['ignore', 'ignore', 'ignore'] },
    );
    const perMinute: number[] = [];
    const t0 = performance.now();
    const timer = setInterval(() => {
      try {
        const kb = Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
        const minute = Math.floor((performance.now() - t0) / 60_000);
        perMinute[minute] = Math.max(perMinute[minute] ?? 0, kb / 1024);
      } catch {
        // exited
      }
    }, 5000);
    await new Promise((r) => child.once('exit', r));
    clearInterval(timer);
    return perMinute.filter((x) => x !== undefined);
  });
}
const rss = MEMORY_NS > 0 ? await memory(MEMORY_NS) : [];

const lines = [
  `## bench:client on ${base} (${new Date().toISOString()}): client CPU per request, medians of ${ROUNDS} ` +
    'alternating rounds, a fresh local etcd per run',
  '',
  '| load | etcdctl us/request | ours us/request | ours / etcdctl | etcd us/request beside etcdctl | ' +
    'etcd us/request beside ours | etcdctl writes/s | ours writes/s |',
  '|---|---|---|---|---|---|---|---|',
];
for (const load of LOADS) {
  const of = (tool: Run['tool'], f: (r: Run) => number) =>
    median(runs.filter((r) => r.tool === tool && r.load === load).map(f));
  const client = (r: Run) => perReqUs(r.clientCpuSec, r.requests);
  const server = (r: Run) => perReqUs(r.etcdCpuSec, r.requests);
  const rate = (r: Run) => r.requests / r.seconds;
  const [a, b] = [of('etcdctl', client), of('ours', client)];
  lines.push(
    `| ${load} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} | ${of('etcdctl', server).toFixed(0)} | ` +
      `${of('ours', server).toFixed(0)} | ${of('etcdctl', rate).toFixed(0)} | ${of('ours', rate).toFixed(0)} |`,
  );
}
for (const tool of KUBE_PATHS) {
  const kube = runs.filter((r) => r.load === 'kube' && r.tool === tool);
  if (kube.length === 0) continue;
  const client = median(kube.map((r) => perReqUs(r.clientCpuSec, r.requests)));
  const server = median(kube.map((r) => perReqUs(r.etcdCpuSec, r.requests)));
  // ours / etcd here: our client's CPU against etcd's serving the same requests (etcdctl has no kube load).
  lines.push(
    `| kube 500/s, ${PATH_NAME[tool]} (ours / etcd) | - | ${client.toFixed(0)} | ` +
      `${(client / server).toFixed(2)} | ` +
      `- | ${server.toFixed(0)} | - | ${median(kube.map((r) => r.requests / r.seconds)).toFixed(0)} |`,
  );
}
lines.push('', "Each run (request counts are etcd's committed writes; kube: the requests answered):", '');
for (const r of runs)
  lines.push(
    `- ${r.load} ${r.tool}: ${r.requests} requests in ${r.seconds.toFixed(1)} s, ` +
      `client ${r.clientCpuSec.toFixed(2)} s CPU (${perReqUs(r.clientCpuSec, r.requests).toFixed(0)} us/request), ` +
      `etcd ${r.etcdCpuSec.toFixed(2)} s`,
  );
if (ab.length > 0) {
  lines.push(
    '',
    `The transports at check-perf-${AB_LOAD} (medians of ${AB_ROUNDS} rounds, rotating which goes first; node:http2 ` +
      'is a bare sender with no timing: a lower bound, its latency not measured):',
    '',
    '| path | client us/request | writes/s (etcd) | service p50 ms | service p99 ms | response p99 ms | errors |',
    '|---|---|---|---|---|---|---|',
  );
  const names: Record<string, string> = {
    ours: 'own HTTP/2 (--transport own, the default; --pacing auto)',
    'ours-grpc': 'grpc-js through etcd3 (--transport grpc-js)',
    'node-http2': 'node:http2, bare sender',
  };
  for (const tool of PATHS) {
    const xs = ab.filter((x) => x.tool === tool);
    const m = (f: (x: (typeof ab)[number]) => number) => median(xs.map(f));
    const ms = (f: (r: LoadResult) => number) => (xs[0]?.result ? (m((x) => f(x.result!)) / 1e6).toFixed(2) : '-');
    const failed = xs[0]?.result
      ? String(m((x) => x.result!.totals.failed))
      : String(m((x) => (JSON.parse(x.run.out) as { failed: number }).failed));
    lines.push(
      `| ${names[tool]} | ` +
        `${m((x) => perReqUs(x.run.clientCpuSec, x.run.requests)).toFixed(0)} | ` +
        `${m((x) => x.run.requests / x.run.seconds).toFixed(0)} | ` +
        `${ms((r) => r.latency.service.p50Ns)} | ${ms((r) => r.latency.service.p99Ns)} | ` +
        `${ms((r) => r.latency.response.p99Ns)} | ${failed} |`,
    );
  }
}
if (rss.length > 0) {
  const worst = Math.max(...rss.slice(1));
  lines.push(
    '',
    `Client RSS over a ${MEMORY_NS / 60e9}-minute kube load (largest per minute, MiB): ` +
      `${rss.map((x) => x.toFixed(0)).join(', ')}; the largest after the first minute / the first minute's: ` +
      `${(worst / rss[0]!).toFixed(2)} (limit 1.2)`,
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
// For the docs: the same without the heading, the run's date and settings in its place.
const settings =
  `BENCH_ROUNDS=${ROUNDS} BENCH_LOADS=${LOADS.join(',')} BENCH_KUBE_ROUNDS=${KUBE_ROUNDS} ` +
  `BENCH_MEMORY=${MEMORY_NS / 1e9}s`;
const ran = `On this machine (${new Date().toISOString().slice(0, 10)}, ${base}; ${settings}):`;
for (const p of recordFigures('client', [ran, ...lines.slice(1)].join('\n'))) process.stderr.write(`written: ${p}\n`);

// npm run bench:etcd — etcdctl check perf against our check-perf profiles on
// a fresh local etcd each (on DIR, default /var/tmp), alternating, for the
// loads m and l: writes/s for both, the ratio, and client CPU per put.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { LoadResult } from '../src/load/load-result.js';
import { onFreshEtcd, withChildCpu } from './child-cpu.js';
import { cliArgs } from './cli-args.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 1);
const LOADS = (process.env.BENCH_LOADS ?? 'm,l').split(',');
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';

interface Row {
  tool: string;
  load: string;
  writesPerSec: number;
  serverWritesPerSec: number;
  cpuPerPutUs: number;
  verdict: string;
}

/** Proposals etcd committed so far: counted by the server, whatever the client prints. */
async function committed(endpoint: string): Promise<number> {
  try {
    const text = await (await fetch(`${endpoint}/metrics`)).text();
    return Number(/^etcd_server_proposals_committed_total (\S+)$/m.exec(text)?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

/** Runs `f` and, beside it, counts etcd's committed proposals over its first 60 s. */
async function withServerRate<T>(endpoint: string, f: () => Promise<T>): Promise<[T, number]> {
  const before = await committed(endpoint);
  const t0 = Date.now();
  const at60 = new Promise<number>((resolve) => setTimeout(() => void committed(endpoint).then(resolve), 60_000));
  const result = await f();
  const after = await at60;
  return [result, (after - before) / Math.min(60, (Date.now() - t0) / 1000)];
}

// check perf runs 60 s; seen here to hang after a --load=l run (prefix already deleted), so it
// gets a deadline and SIGINT, which its own handler answers by cleaning up and exiting.
async function etcdctl(load: string, endpoint: string): Promise<Row> {
  const [{ out, cpuSec }, serverWritesPerSec] = await withServerRate(endpoint, () =>
    withChildCpu(
      ['timeout', '-s', 'INT', '180', 'etcdctl', `--endpoints=${endpoint}`, 'check', 'perf', `--load=${load}`],
      { stderr: 'merge' },
    ),
  );
  const tput = Number(/Throughput (?:is|too low:) (\d+) writes\/s/.exec(out)?.[1] ?? 0);
  const verdict = tput === 0 ? 'no result' : /FAIL/.test(out) ? 'FAIL' : 'PASS';
  return {
    tool: 'etcdctl',
    load,
    writesPerSec: tput,
    serverWritesPerSec,
    cpuPerPutUs: serverWritesPerSec > 0 ? (cpuSec * 1e6) / (serverWritesPerSec * 60) : 0,
    verdict,
  };
}

async function ours(load: string, endpoint: string): Promise<Row> {
  const run = async () => {
    try {
      return (
        await promisify(execFile)(
          process.execPath,
          [...cliArgs(), 'load', '--endpoints', endpoint, '--profile', `check-perf-${load}`, '--json'],
          { encoding: 'utf8', maxBuffer: 256 << 20 },
        )
      ).stdout;
    } catch (e) {
      return String((e as { stdout?: string }).stdout ?? '');
    }
  };
  const [out, serverWritesPerSec] = await withServerRate(endpoint, run);
  const r = JSON.parse(out) as LoadResult;
  return {
    tool: 'ours',
    load,
    writesPerSec: r.totals.achievedPerSec,
    serverWritesPerSec,
    cpuPerPutUs: r.client.cpuPerRequestNs / 1000,
    verdict: r.passed ? 'PASS' : 'FAIL',
  };
}

const rows: [Row, Row][] = [];
for (let i = 0; i < ROUNDS; i++) {
  for (const load of LOADS) {
    const a = await onFreshEtcd(base, (e) => etcdctl(load, e));
    const b = await onFreshEtcd(base, (e) => ours(load, e));
    rows.push([a, b]);
    process.stderr.write(`round ${i + 1} load ${load} done\n`);
  }
}
console.log(`## bench:etcd on ${base}: etcdctl check perf vs check-perf profiles, a fresh local etcd per run\n`);
console.log(
  'writes/s as each client printed it, and as etcd counted them (committed proposals over the first 60 s, from ' +
    '/metrics)\n',
);
console.log(
  '| load | etcdctl printed | etcdctl, etcd-counted | ours printed | ours, etcd-counted | ours / etcdctl ' +
    '(etcd-counted) | etcdctl CPU/put us | ours CPU/put us | etcdctl | ours |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const [a, b] of rows)
  console.log(
    `| ${a.load} | ${a.writesPerSec || '-'} | ${a.serverWritesPerSec.toFixed(0)} | ${b.writesPerSec} | ` +
      `${b.serverWritesPerSec.toFixed(0)} | ${(b.serverWritesPerSec / a.serverWritesPerSec).toFixed(3)} | ` +
      `${a.cpuPerPutUs.toFixed(0)} | ${b.cpuPerPutUs.toFixed(0)} | ${a.verdict} | ${b.verdict} |`,
  );

// npm run bench:calibrate - our letter against what etcd did on the same disk.
// For each disk shape (bench/calibrate-shapes.ts, made by slowfs on --dir) and
// each etcd minor of the test matrix (3.5, 3.6, 3.7, built by
// scripts/etcd-versions.sh): `qualify` on the shaped disk with that etcd, then
// three local members of it on the same shape under the kube load. A false
// pass is our A-C where etcd's own WAL fsync p99 went over 10 ms, it logged a
// late heartbeat or it changed leaders; a false fail is our D-F where etcd
// stayed within every limit (WAL fsync p99 < 10 ms, backend commit p99
// < 25 ms, request p99 < 100 ms: the kube profile's bound on what a client
// waits) with no late heartbeat and no leader change. Prints the Markdown
// table of docs/calibration.md and its summary line; the raw figures go to
// results/calibration-DATE.json.
// BENCH_DIR (default /var/tmp), BENCH_MINORS (3.5,3.6,3.7), BENCH_SHAPES (all;
// names joined by ","), BENCH_LOAD (40s: the members' load), BENCH_WAL (30s:
// qualify's WAL phase), BENCH_ETCD (15s: qualify's etcd phase).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { EtcdUnhealthyError, electionsInLogs, logSize, startLocalEtcd } from '../src/etcd/local-etcd.js';
import { loadGrading } from '../src/grade/grade-load.js';
import { countLogLines } from '../src/lab/lab-result.js';
import { labLoadOptions } from '../src/lab/lab-load.js';
import { mountSlowfs, type SlowfsMount } from '../src/lab/slowfs.js';
import { runEtcdLoad } from '../src/load/run-load.js';
import { parseDuration } from '../src/options/units.js';
import type { BucketQuantile } from '../src/etcd/prometheus.js';
import type { QualifyReport } from '../src/qualify/report.js';
import { CleanupRegistry } from '../src/run/cleanup.js';
import { etcdMissed, judge, type Ours, type Truth, type Verdict } from './calibrate-judge.js';
import { type DiskShape, SHAPES } from './calibrate-shapes.js';
import { cliArgs } from './cli-args.js';

const base = process.env.BENCH_DIR ?? '/var/tmp';
const MINORS = (process.env.BENCH_MINORS ?? '3.5,3.6,3.7').split(',');
const PICK = process.env.BENCH_SHAPES?.split(',') ?? null;
const LOAD_NS = parseDuration(process.env.BENCH_LOAD ?? '40s') ?? 40e9;
const WAL = process.env.BENCH_WAL ?? '30s';
const ETCD = process.env.BENCH_ETCD ?? '15s';
/** BENCH_FROM=results/calibration-DATE.json: the table again from a run's raw figures, nothing run. */
const FROM = process.env.BENCH_FROM ?? null;

/** Each minor's etcd binary, from scripts/etcd-versions.sh --list (it builds nothing). */
function etcdBinaries(): Map<string, { version: string; bin: string }> {
  const out = execFileSync('bash', [join(PACKAGE_ROOT, 'scripts', 'etcd-versions.sh'), '--list'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const found = new Map<string, { version: string; bin: string }>();
  for (const line of out.split('\n')) {
    const [version = '', bin = ''] = line.split(' ');
    const minor = version.split('.').slice(0, 2).join('.');
    if (bin.endsWith('/etcd') && !found.has(minor)) found.set(minor, { version, bin });
  }
  return found;
}

/** `at` changes slowfs' settings `seconds` after now. */
function schedule(fs: SlowfsMount, at: DiskShape['at'], seconds: number | undefined): NodeJS.Timeout | null {
  if (!at || seconds === undefined) return null;
  return setTimeout(() => fs.set(at.settings), seconds * 1000);
}

/** qualify on the shaped disk with this etcd: its letter, exit code and reason. */
async function qualify(fs: SlowfsMount, shape: DiskShape, bin: string): Promise<Ours> {
  fs.set(shape.settings);
  const args = [...cliArgs(), 'qualify', '--dir', fs.mountPoint, '--etcd-bin', bin, '--fio-runtime', '10s'];
  const child = spawn(process.execPath, [...args, '--wal-runtime', WAL, '--etcd-runtime', ETCD, '--json'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, CI: 'true' },
  });
  const timer = schedule(fs, shape.at, shape.at?.qualifyS);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exit = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (timer) clearTimeout(timer);
  try {
    const r = JSON.parse(out) as QualifyReport;
    const measured = (id: string) => r.checks.find((c) => c.id === id)?.measured ?? null;
    return {
      letter: r.grade.letter,
      exit,
      passed: r.verdict.passed,
      reason: r.grade.reason,
      syncP99Ns: measured('sync-p99'),
      commitP99Ns: measured('commit-p99'),
      failed: r.checks.filter((c) => c.status === 'fail').map((c) => c.id),
    };
  } catch {
    const none = { syncP99Ns: null, commitP99Ns: null, failed: [] };
    return { letter: null, exit, passed: false, reason: `no report (exit ${exit})`, ...none };
  }
}

/** Three members of this etcd on the shaped disk under the kube load: what etcd did. */
async function truth(fs: SlowfsMount, shape: DiskShape, bin: string, root: string): Promise<Truth> {
  const cleanup = new CleanupRegistry();
  try {
    fs.set(shape.settings);
    const cluster = await startLocalEtcd({
      bin,
      root: join(root, 'etcd'),
      members: 3,
      cleanup,
      token: `edb-cal-${process.pid}`,
      perMember: [0, 1, 2].map(() => ({ dataParent: fs.mountPoint })),
      healthTimeoutMs: 60_000,
    });
    const logs = cluster.members.map((m) => m.logFile);
    let from = logs.map(logSize);
    let timer: NodeJS.Timeout | null = null;
    const load = await runEtcdLoad(labLoadOptions(cluster.endpoints, { value: LOAD_NS, source: 'cli' }), {
      grading: loadGrading,
      cleanup,
      onLoadStart: () => {
        fs.set(shape.settings);
        from = logs.map(logSize);
        timer = schedule(fs, shape.at, shape.at?.loadS);
      },
    });
    if (timer) clearTimeout(timer);
    const worst = <T>(f: (m: (typeof load.server)[number]) => T | null | undefined, by: (v: T) => number) =>
      load.server
        .map(f)
        .filter((v): v is T => v !== null && v !== undefined)
        .reduce<T | null>((a, v) => (a === null || by(v) > by(a) ? v : a), null);
    const byEstimate = (q: BucketQuantile) => q.estimateNs;
    return {
      wal: worst((m) => m.walFsync?.p99, byEstimate),
      commit: worst((m) => m.backendCommit?.p99, byEstimate),
      heartbeatsLate: countLogLines(logs, from).reduce((a, c) => a + c.heartbeatLate, 0),
      leaderChanges: worst((m) => m.leaderChanges, Number) ?? 0,
      elections: electionsInLogs(logs, from).elections,
      requestP99Ns: load.latency.response.p99Ns,
      noLeader: false,
    };
  } catch (e) {
    if (!(e instanceof EtcdUnhealthyError)) throw e;
    const none = { wal: null, commit: null, heartbeatsLate: 0, requestP99Ns: null };
    return { ...none, leaderChanges: e.elections, elections: e.elections, noLeader: true };
  } finally {
    await cleanup.drain();
  }
}

const ms = (ns: number | null) => (ns === null ? '-' : (ns / 1e6).toFixed(1));

interface Pair {
  shape: string;
  etcd: string;
  ours: Ours;
  truth: Truth;
  verdict: Verdict;
}

function row(p: Pair): string {
  const { ours, truth: t } = p;
  const missed = etcdMissed(t);
  return (
    `| ${p.shape} | ${p.etcd} | ${ours.letter ?? '-'} (exit ${ours.exit}) | ${ms(ours.syncP99Ns)} | ` +
    `${ms(ours.commitP99Ns)} | ${t.wal?.text ?? '-'} | ${t.commit?.text ?? '-'} | ${t.heartbeatsLate} | ` +
    `${t.leaderChanges} / ${t.elections} | ${ms(t.requestP99Ns)} | ` +
    `${t.noLeader ? 'no leader' : missed.length === 0 ? 'within every limit' : missed.join(', ')} | ${p.verdict} |`
  );
}

/** The table and its summary line. */
function table(pairs: Pair[], disks: number, versions: number): string {
  const count = (v: Verdict) => pairs.filter((p) => p.verdict === v).length;
  const head =
    '| disk shape | etcd | our letter | our WAL fdatasync p99 ms | our commit p99 ms | etcd WAL fsync p99 | ' +
    'etcd commit p99 | late heartbeats | leader changes / elections | request p99 ms | etcd | verdict |\n' +
    '|---|---|---|---|---|---|---|---|---|---|---|---|';
  const apart = ["etcd's buckets cannot say", 'no verdict'] as const;
  const aside = apart.map((v) => `${count(v)} ${v === 'no verdict' ? 'without a letter' : 'where etcd cannot say'}`);
  const counted = `${count('false pass')} false passes, ${count('false fail')} false fails`;
  const summary = `${disks} disks x ${versions} versions: ${counted}`;
  return `${head}\n${pairs.map(row).join('\n')}\n\n${summary} (${aside.join(', ')})\n`;
}

/** One shape on one etcd: our letter, then what etcd did, on a slowfs of its own; undone whatever happens. */
async function pair(shape: DiskShape, etcd: { version: string; bin: string }, cleanup: CleanupRegistry): Promise<Pair> {
  const root = mkdtempSync(join(base, 'edb-cal-'));
  cleanup.add(`remove ${root}`, () => rmSync(root, { recursive: true, force: true }));
  try {
    for (const d of ['back', 'disk']) mkdirSync(join(root, d));
    const fs = await mountSlowfs(join(root, 'back'), join(root, 'disk'), shape.settings, cleanup);
    const ours = await qualify(fs, shape, etcd.bin);
    const t = await truth(fs, shape, etcd.bin, root);
    return { shape: shape.name, etcd: etcd.version, ours, truth: t, verdict: judge(ours, t) };
  } finally {
    await cleanup.drain();
  }
}

async function main(): Promise<void> {
  if (FROM) {
    const pairs = (JSON.parse(readFileSync(FROM, 'utf8')) as Pair[]).map((p) => ({
      ...p,
      verdict: judge(p.ours, p.truth),
    }));
    const disks = new Set(pairs.map((p) => p.shape)).size;
    process.stdout.write(table(pairs, disks, new Set(pairs.map((p) => p.etcd)).size));
    return;
  }
  const bins = etcdBinaries();
  const shapes = SHAPES.filter((s) => !PICK || PICK.includes(s.name));
  const pairs: Pair[] = [];
  const cleanup = new CleanupRegistry();
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => void cleanup.drain().then(() => process.exit(130)));
  for (const shape of shapes)
    for (const minor of MINORS) {
      const etcd = bins.get(minor);
      if (!etcd) throw new Error(`etcd ${minor}: not built (npm run setup builds it with Go)`);
      pairs.push(await pair(shape, etcd, cleanup));
      process.stderr.write(`${row(pairs.at(-1)!)}\n`);
    }
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(join(PACKAGE_ROOT, 'results'), { recursive: true });
  writeFileSync(join(PACKAGE_ROOT, 'results', `calibration-${date}.json`), `${JSON.stringify(pairs, null, 2)}\n`);
  process.stdout.write(table(pairs, shapes.length, MINORS.length));
}

await main();

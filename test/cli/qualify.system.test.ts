// qualify end to end: real disk phases on a temporary directory and a real
// local etcd; the report it writes is then read back by every `report` view.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import type { QualifyReport } from '../../src/qualify/report.js';
import { qualifyReportProblems } from '../../src/report/read-report.js';
import { runCli, startCli, waitFor, type CliRun, qualifyArgs } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const dir = tempDir('edb-qualify-');
const outDir = tempDir('edb-qualify-out-');
const reportPath = join(outDir, 'quick.json');
let run: CliRun;
let report: QualifyReport;

before(async () => {
  run = await runCli(['qualify', '--profile', 'quick', '--dir', dir, '--out', reportPath], 120_000);
  report = JSON.parse(readFileSync(reportPath, 'utf8')) as QualifyReport;
});

const CHECK_IDS = [
  'sync-p99',
  'fio-sync-p99',
  'commit-p99',
  'iops',
  'iops-recommended',
  'stall',
  'save-stall',
  'latency-over-time',
  'etcd-wal-fsync-p99',
  'leader-changes',
  'failed-proposals',
  'etcd-request-p99',
  'etcd-errors',
  'etcd-throughput',
];

test('qualify --profile quick: a complete report, the verdict printed, the exit code from the letter, nothing left ' +
  'behind', { skip: needs('etcd') }, () => {
  assert.ok(run.code === 0 || run.code === 1 || run.code === 4, run.stderr);
  assert.equal(report.complete, true, report.incompleteReason);
  assert.equal(run.code, ['A', 'B', 'C'].includes(report.grade.letter!) ? 0 : 1);
  assert.equal(report.verdict.passed, run.code === 0);
  assert.deepEqual(qualifyReportProblems(report), []);
  assert.deepEqual(
    report.checks.map((c) => c.id),
    CHECK_IDS,
  );
  for (const p of ['fio', 'wal', 'etcd'] as const)
    assert.equal(report.phases[p].status, 'done', `${p}: ${report.phases[p].reason}`);
  const wal = report.phases.wal.result!;
  assert.equal(wal.workload.mode, 'wal');
  assert.equal(wal.workload.runtimeNs, 11e9);
  assert.ok(wal.commit && wal.commit.commits > 0);
  assert.equal(report.checks[0]!.measured, wal.latency.sync.p99Ns);
  const fio = report.phases.fio.result!;
  assert.equal(fio.workload.blockSize, 2300);
  assert.equal(report.checks.find((c) => c.id === 'iops')!.measured, fio.totals.iops);
  const etcd = report.phases.etcd.result!;
  assert.equal(etcd.workload.name, 'kube');
  assert.equal(etcd.workload.transport, 'own', 'the report says which transport ran');
  assert.ok(etcd.workload.pacing === 'native' || etcd.workload.pacing === 'event-loop', 'and how it was timed');
  const timed = etcd.workload.pacing === 'native' ? 'native pacer' : 'event loop';
  const sentBy = `sent by the own transport, timed by the ${timed}: our client's CPU \\d+ us per request`;
  assert.match(run.stderr, new RegExp(sentBy));
  assert.equal(etcd.keys.deleted !== null, true);
  assert.match(report.etcd!.version, /^\d+\.\d+\.\d+/);
  assert.equal(report.options.walRuntime!.source, 'profile');
  assert.equal(wal.options.runtime!.source, 'profile');
  assert.match(report.commandLine, /^etcd-disk-bench qualify --profile quick --dir \S+ --out \S+quick\.json$/);
  assert.match(run.stderr, /phase 1\/3 \(fio[\s\S]*phase 2\/3 \(wal[\s\S]*phase 3\/3 \(etcd/);
  assert.match(run.stderr, new RegExp(`GRADE ${report.grade.letter}`));
  assert.ok(run.stderr.includes(report.verdict.text));
  assert.match(run.stderr, /report: .*quick\.json/);
  assert.deepEqual(listing(dir), []);
  assert.deepEqual(etcdProcessesWith(dir), []);
});

// A check judged "not the disk" (a busy host named as the cause) is a row too: this host's load is not the subject.
test('report show and markdown render the saved report', async () => {
  const show = await runCli(['report', 'show', reportPath]);
  assert.equal(show.code, 0, show.stderr);
  assert.ok(show.stdout.includes(report.verdict.text));
  assert.match(show.stdout, /phase 3 etcd/);
  const md = await runCli(['report', 'markdown', reportPath]);
  assert.equal(md.code, 0, md.stderr);
  assert.match(md.stdout, /^## etcd disk qualification: /);
  assert.match(md.stdout, /\| check \| measured \| limit \| result \| source \|/);
  assert.equal(
    md.stdout.split('\n').filter((l) => /^\| .* \| (PASS|\*\*FAIL\*\*|WARN|NOT RUN|not the disk: )/.test(l)).length,
    CHECK_IDS.length,
  );
  assert.ok(md.stdout.includes(`\`\`\`\n${report.commandLine}\n\`\`\``));
  assert.match(md.stdout, /\| WAL fdatasync \(etcd shape\) \| \d+ \|/);
});

test("report fio: fio's field names with the report's own percentiles", async () => {
  const r = await runCli(['report', 'fio', reportPath]);
  assert.equal(r.code, 0, r.stderr);
  const fio = JSON.parse(r.stdout) as {
    jobs: {
      sync: { total_ios: number; lat_ns: { N: number; percentile: Record<string, number> } };
      write: { iops: number; total_ios: number; clat_ns: { percentile: Record<string, number> } };
    }[];
  };
  const job = fio.jobs[0]!;
  const sync = report.phases.fio.result!.latency.sync;
  assert.equal(job.sync.lat_ns.percentile['99.000000'], sync.p99Ns);
  assert.equal(job.sync.lat_ns.percentile['50.000000'], sync.p50Ns);
  assert.equal(job.sync.lat_ns.percentile['90.000000'], sync.p90Ns);
  assert.equal(job.sync.lat_ns.percentile['99.900000'], sync.p999Ns);
  assert.equal(job.sync.lat_ns.percentile['99.990000'], sync.p9999Ns);
  assert.equal(Object.keys(job.sync.lat_ns.percentile).length, 17);
  assert.equal(job.sync.lat_ns.N, sync.count);
  assert.equal(job.write.total_ios, report.phases.fio.result!.totals.ops);
  assert.equal(job.write.iops, report.phases.fio.result!.totals.iops);
  assert.equal(job.write.clat_ns.percentile['99.000000'], report.phases.fio.result!.latency.write.p99Ns);
});

test('report compare: quiet on identical reports, exit 1 on a synthetic regression naming it', async () => {
  const same = await runCli(['report', 'compare', reportPath, reportPath]);
  assert.equal(same.code, 0, same.stdout + same.stderr);
  assert.match(same.stdout, /NO REGRESSION/);
  const worse = structuredClone(report);
  const sync = worse.phases.wal.result!.latency.sync;
  sync.p99Ns = sync.p99Ns * 2 + 1e6;
  const flipped = worse.checks.find((c) => c.id === 'fio-sync-p99')!;
  flipped.status = 'fail';
  const worsePath = join(outDir, 'worse.json');
  writeFileSync(worsePath, JSON.stringify(worse));
  const r = await runCli(['report', 'compare', reportPath, worsePath]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /WAL fdatasync p99 \(ms\).*REGRESSION/);
  assert.match(r.stdout, /check fdatasync p99, fio's etcd recipe: pass -> fail {2}REGRESSION/);
  assert.match(r.stdout, /REGRESSION: 2 found/);
  const loose = await runCli(['report', 'compare', reportPath, worsePath, '--margin', '1000']);
  assert.match(loose.stdout, /REGRESSION: 1 found/, 'a flipped check counts whatever the margin');
  const bad = await runCli(['report', 'compare', reportPath, worsePath, '--margin', 'lots']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--margin: "lots" is not allowed; expected a percentage/);
});

test('report views refuse a report missing a field (exit 2, naming it) and files that are not reports', async () => {
  const broken = structuredClone(report) as Partial<QualifyReport>;
  delete broken.verdict;
  const path = join(outDir, 'broken.json');
  writeFileSync(path, JSON.stringify(broken));
  for (const view of ['show', 'markdown', 'fio']) {
    const r = await runCli(['report', view, path]);
    assert.equal(r.code, 2, `${view}: ${r.stderr}`);
    assert.match(r.stderr, /not a valid etcd-disk-bench\/qualify-report@2 report .*missing required field "verdict"/);
  }
  writeFileSync(join(outDir, 'other.json'), '{"schema":"something-else"}');
  const other = await runCli(['report', 'show', join(outDir, 'other.json')]);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /is not an etcd-disk-bench report: its "schema" is "something-else"/);
  const missing = await runCli(['report', 'show', join(outDir, 'nope.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /FILE: cannot read/);
});

// Every stop signal in every phase: the report is written, marked incomplete, and nothing is left behind.
const SIGNAL_CASES = (['fio', 'wal', 'etcd'] as const).flatMap((phase) =>
  (
    [
      ['SIGINT', 130],
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const
  ).map(([sig, code]) => ({ phase, sig, code })),
);
const PHASE_INDEX = { fio: 1, wal: 2, etcd: 3 } as const;

for (const { phase, sig, code } of SIGNAL_CASES) {
  test(`${sig} in the ${phase} phase: incomplete report, exit ${code}, nothing left behind`, {
    skip: phase === 'etcd' && needs('etcd'),
  }, async () => {
    const out = join(outDir, `${sig}-${phase}.json`);
    const args = qualifyArgs(dir, out, phase === 'fio' ? '20s' : '1s', phase === 'wal' ? '30s' : '2s', '30s');
    const child = startCli(args, 90_000);
    let err = '';
    child.child.stderr!.on('data', (d) => (err += d));
    await waitFor(() => err.includes(`phase ${PHASE_INDEX[phase]}/3`), 60_000);
    await new Promise((r) => setTimeout(r, phase === 'fio' ? 300 : 1500));
    child.child.kill(sig);
    const r = await child.done;
    assert.equal(r.code, code, r.stderr);
    const rep = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
    assert.deepEqual(qualifyReportProblems(rep), []);
    assert.equal(rep.complete, false);
    assert.match(rep.incompleteReason!, new RegExp(`the ${phase} phase was interrupted.*${sig}`));
    assert.equal(rep.phases[phase].status, 'interrupted');
    for (const later of (['fio', 'wal', 'etcd'] as const).filter((p) => PHASE_INDEX[p] > PHASE_INDEX[phase]))
      assert.equal(rep.phases[later].status, 'not-run');
    assert.equal(rep.grade.letter, null);
    assert.equal(rep.verdict.passed, false);
    assert.match(rep.verdict.text, /^NO VERDICT: the run did not complete/);
    if (phase === 'etcd') assert.ok(rep.phases.etcd.result === null || rep.phases.etcd.result.keys.deleted !== null);
    assert.deepEqual(listing(dir), []);
    assert.deepEqual(etcdProcessesWith(dir), []);
  });
}

test('without an etcd binary the etcd phase is not run, and the verdict says it rests on the disk alone', async () => {
  const empty = join(outDir, 'empty-path');
  mkdirSync(empty);
  const out = join(outDir, 'no-etcd.json');
  const r = await runCli(
    ['qualify', '--dir', dir, '--out', out, '--fio-runtime', '1s', '--wal-runtime', '2s'],
    60_000,
    { PATH: empty },
  );
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const rep = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.equal(rep.complete, true);
  assert.equal(rep.etcd, null);
  assert.equal(rep.phases.etcd.status, 'not-run');
  assert.equal(rep.phases.etcd.reason, 'no etcd binary on PATH');
  assert.match(rep.phases.etcd.hint!, /^install it \(Debian\/Ubuntu: apt-get install etcd-server/);
  const etcdChecks = rep.checks.filter((c) => /^(etcd-|leader-changes|failed-proposals)/.test(c.id));
  assert.equal(etcdChecks.length, 6);
  assert.ok(
    etcdChecks.every((c) => c.status === 'not-run' && c.measured === null && c.note === 'the etcd phase did not run'),
  );
  assert.equal(
    rep.verdict.text.match(/The etcd phase did not run \(no etcd binary on PATH\): this verdict rests on the disk/g)
      ?.length,
    1,
  );
  // The install hint is said once, where the phase is listed: not by each etcd check, not by the verdict.
  assert.equal(r.stderr.match(/apt-get install etcd-server/g)?.length, 1, r.stderr);
  assert.match(r.stderr, /^phase 3 etcd: .*\[NOT-RUN: no etcd binary on PATH; install it/m);
  assert.deepEqual(listing(dir), []);
});

test('a disk too small for the WAL phase: exit 3, a report marked incomplete naming the phase, nothing left', {
  skip: needs('root'),
}, async (_t) => {
  const small = mountTmpfs(outDir, 'small', 'size=100m');
  assert.ok(small, 'a tmpfs was mounted');
  const out = join(outDir, 'small.json');
  const r = await runCli(qualifyArgs(small, out, '1s', '2s', '2s'));
  assert.equal(r.code, 3, r.stderr);
  const rep = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.deepEqual(qualifyReportProblems(rep), []);
  assert.equal(rep.complete, false);
  assert.equal(rep.phases.fio.status, 'done');
  assert.equal(rep.phases.wal.status, 'failed');
  assert.match(
    rep.incompleteReason!,
    /^the wal phase failed: --dir: .* bytes free; the run needs \d+ plus a \d+-byte margin/,
  );
  assert.equal(rep.phases.etcd.status, 'not-run');
  assert.match(rep.verdict.text, /^NO VERDICT/);
  assert.match(r.stderr, /is on tmpfs: memory, not a disk/);
  assert.deepEqual(listing(small), []);
});

const BAD: [string[], RegExp][] = [
  [['--wal-runtime', '0'], /--wal-runtime: "0" is not allowed; expected a duration from 1 s to/],
  [['--fio-runtime', 'soon'], /--fio-runtime: "soon" is not allowed; expected a duration/],
  [['--etcd-runtime', '-5s'], /--etcd-runtime: "-5s" is not allowed/],
  [['--min-iops', '0'], /--min-iops: "0" is not allowed; expected a whole number from 1 to/],
  [
    ['--profile', 'fio-etcd'],
    /--profile: no built-in profile "fio-etcd" for this command; choose one of quick, standard, thorough/,
  ],
  [['--members', '2'], /--members: 2 members cannot keep a majority/],
  [['--etcd-bin', '/nonexistent/etcd'], /--etcd-bin: \/nonexistent\/etcd is not an executable file/],
  [['--dir', '/nonexistent-edb'], /--dir: \/nonexistent-edb does not exist/],
  [['--out', '/nonexistent-edb/r.json'], /--out: \/nonexistent-edb is not an existing directory/],
  [['--block-size', '4k'], /unknown option '--block-size'/],
];

test('bad input: exit 2, a message naming the option and what is allowed, nothing written', async () => {
  const existing = join(outDir, 'exists.json');
  writeFileSync(existing, 'keep me');
  for (const [args, message] of [
    ...BAD,
    [['--out', existing], /--out: .*exists\.json already exists; give a new file name/],
  ] as [string[], RegExp][]) {
    const out = join(outDir, 'never.json');
    const r = await runCli(['qualify', '--dir', dir, ...(args.includes('--out') ? [] : ['--out', out]), ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.equal(existsSync(out), false);
    assert.deepEqual(listing(dir), []);
  }
  assert.equal(readFileSync(existing, 'utf8'), 'keep me');
});

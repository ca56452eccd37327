// A live etcd on the disk under test, started by the test as someone else's
// etcd would be (not by our launcher): a --dir inside its data dir is refused
// outright, the same filesystem is refused without --allow-live-etcd and runs
// with it, the report then showing that etcd's own WAL fsync. Nothing is
// written by a refusal. As an unprivileged user (setpriv) the root etcd is
// placed by its own mount table: refused on its filesystem, apart on a tmpfs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { CLI, type CliRun, qualifyArgs, runCli } from '../helpers/cli.js';
import { type ForeignEtcd, startForeignEtcd } from '../helpers/foreign-etcd.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const skip = needs('etcd');
const root = tempDir('edb-live-');
const dataDir = join(root, 'prod.etcd');
let etcd: ForeignEtcd | null = null;
let metrics = '';

// Started at the file's top level: an after() registered inside a test would stop it when that test ends.
if (!skip) {
  etcd = await startForeignEtcd(dataDir);
  metrics = etcd.url;
}

test('a directory inside a live etcd data dir is refused outright, even with --allow-live-etcd', { skip }, async () => {
  const inside = join(dataDir, 'member', 'wal');
  const before = listing(inside);
  const r = await runCli(['disk', '--dir', inside, '--runtime', '2s', '--allow-live-etcd']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /--dir: .* is inside .*prod\.etcd, the data directory of the running etcd pid \d+/);
  assert.deepEqual(listing(inside), before, 'nothing written');
});

test('the same filesystem as a live etcd: refused without the flag, nothing written', { skip }, async () => {
  const dir = join(root, 'bench');
  mkdirSync(dir);
  const r = await runCli(['disk', '--dir', dir, '--runtime', '2s']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /a live etcd keeps its data on this disk: etcd pid \d+ \(data .*prod\.etcd; from --data-dir\)/,
  );
  assert.match(r.stderr, /--allow-live-etcd/);
  assert.match(r.stderr, /observe/);
  assert.deepEqual(listing(dir), [], 'nothing written');
  const q = await runCli([
    'qualify',
    '--dir',
    dir,
    '--fio-runtime',
    '1s',
    '--wal-runtime',
    '1s',
    '--etcd-runtime',
    '0',
  ]);
  assert.equal(q.code, 2, q.stderr);
  assert.deepEqual(listing(dir), [], 'nothing written by qualify either');
});

test("with --allow-live-etcd it runs, and the result shows that etcd's own WAL fsync during the run", {
  skip,
}, async () => {
  const dir = join(root, 'bench2');
  mkdirSync(dir);
  // the live etcd writes meanwhile, as a production one would
  const writes = setInterval(() => {
    void fetch(`${metrics}/v3/kv/put`, {
      method: 'POST',
      body: JSON.stringify({ key: Buffer.from('k').toString('base64'), value: Buffer.from('v').toString('base64') }),
    }).catch(() => undefined);
  }, 20);
  const r = await runCli(['disk', '--dir', dir, '--runtime', '3s', '--allow-live-etcd', '--json']);
  clearInterval(writes);
  // a grade D or F (exit 1) on this shared disk is a verdict, not this test's failure
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.liveEtcd?.length, 1);
  const shared = res.liveEtcd![0]!;
  assert.equal(shared.etcd.pid, etcd!.pid);
  assert.equal(shared.etcd.shares, 'filesystem');
  assert.equal(shared.etcd.metricsUrl, metrics);
  assert.ok(shared.metrics, shared.note);
  assert.ok((shared.metrics.walFsync?.count ?? 0) >= 20, `its WAL fsyncs: ${shared.metrics.walFsync?.count}`);
  assert.match(r.stderr, /live etcd on the same filesystem: pid \d+/);
  assert.match(r.stderr, /its WAL fsync during the run: p99 /);
  assert.deepEqual(listing(dir), [], 'the run directory is gone');
});

test('qualify with --allow-live-etcd: the report records the shared etcd, and report show and markdown read it', {
  skip,
}, async () => {
  const dir = join(root, 'bench3');
  mkdirSync(dir);
  const outDir = tempDir('edb-live-out-');
  const out = join(outDir, 'q.json');
  const r = await runCli(qualifyArgs(dir, out, '1s', '2s', '0', ['--allow-live-etcd']), 60_000);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr); // a grade, or no disk verdict on a busy host
  const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  assert.equal(report.liveEtcd?.[0]?.etcd.pid, etcd!.pid);
  assert.equal(report.phases.wal.result?.liveEtcd?.[0]?.etcd.pid, etcd!.pid, 'each disk phase records it too');
  assert.ok(report.warnings.some((w) => /--allow-live-etcd: etcd pid \d+ .* shares the same filesystem/.test(w)));
  const show = await runCli(['report', 'show', out]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /live etcd on the same filesystem: pid \d+/);
  const md = await runCli(['report', 'markdown', out]);
  assert.match(md.stdout, /### A live etcd shared the disk \(--allow-live-etcd\)/);
  assert.deepEqual(listing(dir), []);
});

/** Runs the CLI as uid/gid 65534 (nobody): it may not enter the root etcd's /proc/PID/root, environ or cwd. */
function runAsNobody(args: string[]): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(
      'setpriv',
      ['--reuid', '65534', '--regid', '65534', '--clear-groups', '--', process.execPath, CLI, ...args],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CI: 'true' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr });
    });
  });
}

/** A directory nobody may write in, under `parent` (made traversable). */
function nobodysDir(parent: string, name: string): string {
  chmodSync(parent, 0o755);
  const d = join(parent, name);
  mkdirSync(d, { recursive: true });
  chownSync(d, 65534, 65534);
  return d;
}

test("as an unprivileged user: the root etcd's disk is read from its mount table, and the run refused", {
  skip: skip || needs('root', 'nobody-reads-checkout'),
}, async () => {
  const dir = nobodysDir(root, 'nobody-bench');
  const r = await runAsNobody(['disk', '--dir', dir, '--runtime', '2s', '--profile', 'fio-etcd']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /a live etcd keeps its data on this disk: etcd pid \d+ \(data .*prod\.etcd; from --data-dir\) on the same file/,
  );
  assert.doesNotMatch(r.stderr, /cannot be read here/, 'decided, not waved through with a warning');
  assert.deepEqual(listing(dir), [], 'nothing written');
  const q = await runAsNobody(['qualify', '--dir', dir, '--profile', 'quick']);
  assert.equal(q.code, 2, q.stderr);
  assert.deepEqual(listing(dir), [], 'nothing written by qualify either');
});

test('as an unprivileged user on a tmpfs of its own: the run goes on, and the report says what the guard saw', {
  skip: skip || needs('root', 'nobody-reads-checkout'),
}, async () => {
  chmodSync(root, 0o755);
  const mounted = mountTmpfs(root, 'own-tmpfs', 'size=160m,mode=0755');
  assert.ok(mounted, 'a tmpfs could be mounted');
  const dir = nobodysDir(mounted, 'bench');
  const r = await runAsNobody(['disk', '--dir', dir, '--runtime', '1s', '--json']);
  assert.ok(r.code === 0 || r.code === 1 || r.code === 4, r.stderr);
  const res = JSON.parse(r.stdout) as DiskResult;
  const guard = res.liveEtcdGuard!;
  const prod = guard.etcds.find((e) => e.pid === etcd!.pid);
  assert.ok(prod, `the live etcd is in the record: ${JSON.stringify(guard)}`);
  assert.equal(prod.decision, 'elsewhere');
  assert.equal(prod.places[0]!.via, 'mountinfo', 'placed by its mount table: root could not be entered');
  assert.equal(prod.places[0]!.dir, dataDir);
  assert.equal(guard.fsType, 'tmpfs');
  assert.match(guard.decision, /etcd seen, none on this disk/);
  assert.deepEqual(listing(dir), [], 'the run directory is gone');
});

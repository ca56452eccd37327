// The etcd people run, each minor from 3.4 to 3.7: qualify's etcd phase on a
// throwaway etcd of that version (--etcd-bin), the report naming it and etcd's
// own WAL fsync check judging (pass or fail, never not run); and observe of a
// member of that version, under a load, grading it. A minor this machine
// lacks skips, saying why (scripts/etcd-versions.sh builds 3.5-3.7 with Go).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CleanupRegistry } from '../../src/cleanup.js';
import { freePorts } from '../../src/etcd/free-port.js';
import { startLocalEtcd } from '../../src/etcd/local-etcd.js';
import { etcdProcesses } from '../../src/host/etcd-processes.js';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { runCli, startCli, waitFor } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { etcdVersions, MINORS, needsEtcd } from '../helpers/etcd-versions.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const out = tempDir('edb-versions-out-');

for (const minor of MINORS) {
  test(`etcd ${minor}: qualify --profile quick runs its etcd phase on it, names it, and etcd's own checks judge`, {
    skip: needsEtcd(minor) || needs('fio'),
  }, async (t) => {
    const { version, bin } = etcdVersions().get(minor)!;
    const dir = tempDir(`edb-v${minor}-`);
    const file = join(out, `q-${minor}.json`);
    const r = await runCli(['qualify', '--profile', 'quick', '--dir', dir, '--etcd-bin', bin, '--out', file], 240_000);
    const rep = JSON.parse(readFileSync(file, 'utf8')) as QualifyReport;
    t.diagnostic(`etcd ${rep.etcd?.version}: exit ${r.code}, grade ${rep.grade.letter}: ${rep.verdict.text}`);
    assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
    assert.equal(rep.complete, true, rep.incompleteReason);
    assert.equal(rep.etcd?.version, version);
    assert.equal(rep.etcd?.source, `--etcd-bin ${bin}`);
    assert.equal(rep.phases.etcd.status, 'done', rep.phases.etcd.reason);
    const wal = rep.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!;
    assert.ok(
      ['pass', 'fail', 'inconclusive'].includes(wal.status),
      `etcd's WAL fsync check: ${wal.status} ${wal.note}`,
    );
    assert.ok(
      rep.checks.filter((c) => /^(leader-changes|failed-proposals)$/.test(c.id)).every((c) => c.status !== 'not-run'),
      "etcd's Raft metrics were read",
    );
    assert.deepEqual(listing(dir), []);
    assert.deepEqual(etcdProcessesWith(dir), []);
  });

  test(`etcd ${minor}: observe of a member of that version under a load grades it`, {
    skip: needsEtcd(minor),
  }, async (t) => {
    const { bin } = etcdVersions().get(minor)!;
    const cleanup = new CleanupRegistry();
    t.after(() => cleanup.drain());
    const cluster = await startLocalEtcd({
      bin,
      root: tempDir(`edb-obs-v${minor}-`),
      members: 1,
      cleanup,
      token: `versions-${process.pid}-${minor}`,
    });
    const load = startCli(
      ['load', '--endpoints', cluster.endpoints[0]!, '--rate', '200', '--runtime', '12s', '--json', '--no-tui'],
      60_000,
    );
    const file = join(out, `o-${minor}.json`);
    const r = await runCli(['observe', '--endpoints', cluster.endpoints[0]!, '--runtime', '8s', '--out', file], 60_000);
    await load.done;
    const rep = JSON.parse(readFileSync(file, 'utf8')) as ObserveReport;
    t.diagnostic(`exit ${r.code}, grade ${rep.grade.letter}: ${rep.grade.reason}`);
    assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
    assert.equal(rep.members.length, 1);
    const wal = rep.members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99');
    assert.ok(wal && wal.status !== 'not-run', `the member's WAL fsync was judged: ${wal?.status} ${wal?.note}`);
  });
}

test("--etcd-bin live beside a live etcd 3.6: the throwaway etcd is that binary, not PATH's, and the report says so", {
  skip: needsEtcd('3.6') || needs('fio'),
}, async (t) => {
  const { version, bin } = etcdVersions().get('3.6')!;
  // Someone's etcd (not one of ours: no run id), its data on another filesystem than the one qualified.
  const data = mkdtempSync('/dev/shm/edb-live-');
  const [client, peer] = await freePorts(2);
  const live = spawn(
    bin,
    [
      '--name',
      'live',
      '--data-dir',
      join(data, 'live.etcd'),
      '--listen-client-urls',
      `http://127.0.0.1:${client}`,
      '--advertise-client-urls',
      `http://127.0.0.1:${client}`,
      '--listen-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-advertise-peer-urls',
      `http://127.0.0.1:${peer}`,
      '--initial-cluster',
      `live=http://127.0.0.1:${peer}`,
    ],
    { stdio: 'ignore' },
  );
  t.after(() => {
    live.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
  });
  await waitFor(() => etcdProcessesWith(join(data, 'live.etcd')).length > 0, 20_000);
  const dir = tempDir('edb-vlive-');
  const file = join(out, 'q-live.json');
  const r = await runCli(['qualify', '--profile', 'quick', '--dir', dir, '--etcd-bin', 'live', '--out', file], 240_000);
  const rep = JSON.parse(readFileSync(file, 'utf8')) as QualifyReport;
  t.diagnostic(`exit ${r.code}: etcd ${rep.etcd?.version} from ${rep.etcd?.source}`);
  assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
  assert.equal(rep.etcd?.version, version, "the live etcd's version, not PATH's 3.4");
  assert.match(rep.etcd?.source ?? '', new RegExp(`^the live etcd, pid ${live.pid} \\(.*/etcd\\)$`));
  assert.equal(rep.etcd?.bin, `/proc/${live.pid}/exe`);
  assert.equal(rep.phases.etcd.status, 'done', rep.phases.etcd.reason);
  assert.match(r.stderr, new RegExp(`etcd: +${version.replaceAll('.', '\\.')} \\(the live etcd, pid ${live.pid}`));
});

test('--etcd-bin live with no live etcd: exit 2, naming the option, nothing written', async () => {
  const dir = tempDir('edb-vnolive-');
  const r = await runCli(['qualify', '--profile', 'quick', '--dir', dir, '--etcd-bin', 'live']);
  if (r.code !== 2) {
    // Someone's etcd runs on this machine: then there is a live one to take.
    assert.ok(
      etcdProcesses().some((p) => p.ourRun === null),
      r.stderr,
    );
    return;
  }
  assert.match(r.stderr, /--etcd-bin live: no live etcd runs on this host/);
  assert.deepEqual(listing(dir), []);
});

// --etcd-bin live: the binary of the etcd running on this node (its
// /proc/PID/exe), here a 3.6 beside PATH's 3.4, runs qualify's throwaway etcd
// and the report says so; with no live etcd, exit 2 naming the option.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { freePorts } from '../../src/etcd/free-port.js';
import { etcdProcesses } from '../../src/host/etcd-processes.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { runCli, waitFor } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { etcdVersions, needsEtcd } from '../helpers/etcd-versions.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const out = tempDir('edb-versions-out-');

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

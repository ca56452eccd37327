// The container image, built and run with podman on this machine (npm run
// test:image; minutes, so not in CI's suite): the base built locally without
// a registry, the image built on it, `podman run` qualifying a host directory
// (report in the mounted results, exit code by letter, bad input exit 2), and
// a generated Job's pod template run with `podman kube play`, its report
// landing in the hostPath. Podman runs with runc and explicit ulimits (crun
// fails on this machine's cgroup setup; the default limits exceed its own).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { IMAGE_UID } from '../../src/k8s/jobs.js';
import { PACKAGE_ROOT } from '../../src/paths.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { TOOL } from '../../src/version.js';
import { CLI } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const BASE = process.env.EDB_BASE_IMAGE ?? 'localhost/edb-base:bookworm';
const IMAGE = `localhost/etcd-disk-bench:${TOOL.version}`;
const conf = join(tempDir('edb-podman-'), 'containers.conf');
writeFileSync(
  conf,
  '[containers]\ndefault_ulimits = ["nofile=20000:20000", "nproc=4096:4096"]\n[engine]\nruntime = "runc"\n',
);
const env = { ...process.env, CONTAINERS_CONF: conf };
const podman = (args: string[], timeoutMs = 600_000) =>
  spawnSync('podman', args, { encoding: 'utf8', env, timeout: timeoutMs, cwd: PACKAGE_ROOT });
const skip =
  spawnSync('sh', ['-c', 'command -v podman && command -v runc'], { stdio: 'ignore' }).status === 0
    ? false
    : 'needs podman and runc (Debian: podman runc)';

/** A directory the image's user may write to. */
function ownedDir(prefix: string): string {
  const d = tempDir(prefix);
  chownSync(d, IMAGE_UID, IMAGE_UID);
  return d;
}

test('the image builds on a local base, without a container registry', { skip }, () => {
  if (podman(['image', 'exists', BASE]).status !== 0) {
    const t0 = Date.now();
    const base = spawnSync('bash', ['scripts/build-base-image.sh', BASE], { encoding: 'utf8', cwd: PACKAGE_ROOT });
    assert.equal(base.status, 0, base.stderr.slice(-2000));
    console.log(`# base image built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  const t0 = Date.now();
  const home = process.env.HOME ?? '/root';
  const r = podman([
    'build',
    '--build-arg',
    `BASE=${BASE}`,
    '-v',
    `${home}/.npm:/root/.npm`,
    '-v',
    '/etc/ssl/certs/ca-certificates.crt:/run/host-ca.crt:ro',
    '-t',
    IMAGE,
    '-f',
    'Containerfile',
    '.',
  ]);
  assert.equal(r.status, 0, (r.stdout + r.stderr).slice(-3000));
  console.log(`# image built in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  const user = podman(['image', 'inspect', '--format', '{{.Config.User}}', IMAGE]);
  assert.equal(user.stdout.trim(), `${IMAGE_UID}:${IMAGE_UID}`, 'runs as etcd-disk-bench');
  const tools = podman(['run', '--rm', '--entrypoint', 'sh', IMAGE, '-c', 'etcd --version | head -1; fio --version']);
  assert.match(tools.stdout, /etcd Version: 3\.\d+\.\d+\nfio-\d/);
});

test('podman run qualifies a host directory: the report in the mounted results, exit code by letter', { skip }, () => {
  const bench = ownedDir('edb-img-bench-');
  const results = ownedDir('edb-img-results-');
  const r = podman([
    'run',
    '--rm',
    '-v',
    `${bench}:/bench`,
    '-v',
    `${results}:/results`,
    IMAGE,
    'qualify',
    '--dir',
    '/bench',
    '--profile',
    'quick',
    '--node-name',
    'img-node',
  ]);
  const files = readdirSync(results);
  assert.equal(files.length, 1, `${r.stderr.slice(-1500)}`);
  const report = JSON.parse(readFileSync(join(results, files[0]!), 'utf8')) as QualifyReport;
  assert.equal(report.node, 'img-node');
  assert.equal(report.complete, true, report.incompleteReason);
  assert.equal(report.phases.wal.result?.engine, 'native', 'the native writer is built into the image');
  assert.equal(report.phases.etcd.status, 'done', "the image's etcd ran the etcd phase");
  const expected = report.grade.letter && ['A', 'B', 'C'].includes(report.grade.letter) ? 0 : 1;
  assert.equal(r.status, report.grade.limitedBy ? 4 : expected, `grade ${report.grade.letter}: ${report.grade.reason}`);
  assert.deepEqual(readdirSync(bench), [], 'nothing left in the tested directory');
  const show = spawnSync(process.execPath, [CLI, 'report', 'show', join(results, files[0]!)], { encoding: 'utf8' });
  assert.equal(show.status, 0, 'the host reads the report the image wrote');
  const bad = podman(['run', '--rm', IMAGE, 'qualify', '--dir', '/bench', '--profile', 'nope']);
  assert.equal(bad.status, 2, bad.stderr);
  assert.match(bad.stderr, /--profile/);
});

test("a generated Job's pod template runs under podman kube play; the report lands in the hostPath", { skip }, () => {
  const root = tempDir('edb-kube-');
  const dir = join(root, 'bench');
  const jobs = spawnSync(
    process.execPath,
    [CLI, 'k8s', 'jobs', '--nodes', 'kube-node-1', '--profile', 'quick', '--dir', dir, '--image', IMAGE],
    { encoding: 'utf8' },
  );
  assert.equal(jobs.status, 0, jobs.stderr);
  const job = parse(jobs.stdout) as {
    metadata: { name: string };
    spec: { template: { metadata: object; spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } } };
  };
  // What the kubelet does and podman cannot: fill in the downward API's spec.nodeName.
  const spec = job.spec.template.spec;
  for (const c of spec.containers) c.env = c.env.map((e) => (e.valueFrom ? { name: e.name, value: 'kube-node-1' } : e));
  const podFile = join(root, 'pod.json');
  writeFileSync(
    podFile,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: job.metadata.name, ...job.spec.template.metadata },
      spec,
    }),
  );
  after(() => podman(['kube', 'down', podFile]));
  const play = podman(['kube', 'play', '--replace', podFile]);
  assert.equal(play.status, 0, play.stderr.slice(-2000));
  // podman 4.3 has no --wait: wait for the qualify container to exit, then read its exit code as the Job would.
  const container = `${job.metadata.name}-qualify`;
  const deadline = Date.now() + 300_000;
  let state = '';
  while (Date.now() < deadline) {
    state = podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', container]).stdout.trim();
    if (state.startsWith('exited')) break;
    spawnSync('sleep', ['1']);
  }
  assert.match(state, /^exited [014]$/, `the pod's qualify container: ${state}`);
  const results = readdirSync(`${dir}-results`);
  assert.equal(results.length, 1, `the report in ${dir}-results`);
  const report = JSON.parse(readFileSync(join(`${dir}-results`, results[0]!), 'utf8')) as QualifyReport;
  assert.equal(report.node, 'kube-node-1');
  assert.equal(report.complete, true);
  assert.deepEqual(readdirSync(dir), []);
  const code = Number(state.split(' ')[1]);
  const letter = report.grade.letter ?? '-';
  assert.equal(
    code,
    ['A', 'B', 'C'].includes(letter) ? 0 : report.grade.limitedBy ? 4 : 1,
    'the Job fails with the disk',
  );
});

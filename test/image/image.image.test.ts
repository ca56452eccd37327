// The container image, built and run with podman on this machine (npm run
// test:image; minutes, so not in CI's suite): the base built locally without
// a registry, the image built on it, `podman run` qualifying a host directory
// (report in the mounted results, exit code by letter, bad input exit 2), and
// a generated Job's pod template run with `podman kube play`, its report
// landing in the hostPath. Beside a live etcd on the host, the image as its
// own user with the host's process table is refused (exit 2, nothing written)
// on a directory of that etcd's filesystem and runs on a tmpfs of its own;
// the Job's pod is refused the same way. Podman runs with runc and explicit ulimits (crun
// fails on this machine's cgroup setup; the default limits exceed its own).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'yaml';
import { IMAGE_UID } from '../../src/k8s/jobs.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { TOOL } from '../../src/core/version.js';
import { CLI } from '../helpers/cli.js';
import { startForeignEtcd } from '../helpers/foreign-etcd.js';
import { mountTmpfs } from '../helpers/mounts.js';
import { needs } from '../helpers/needs.js';
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

interface PodSpec {
  containers: {
    name: string;
    image: string;
    args: string[];
    env: { name: string; value?: string; valueFrom?: unknown }[];
    securityContext?: { runAsUser?: number; capabilities?: { add?: string[] } };
    volumeMounts: { name: string; mountPath: string }[];
  }[];
  volumes: { name: string; hostPath: { path: string } }[];
}

/** A generated Job's pod for `dir`, as the kubelet would see it, written as a kube-play pod file. */
function podFileFor(root: string, dir: string, node: string): { file: string; container: string; spec: PodSpec } {
  const jobs = spawnSync(
    process.execPath,
    [CLI, 'k8s', 'jobs', '--nodes', node, '--profile', 'quick', '--dir', dir, '--image', IMAGE],
    { encoding: 'utf8' },
  );
  assert.equal(jobs.status, 0, jobs.stderr);
  const job = parse(jobs.stdout) as {
    metadata: { name: string };
    spec: { template: { metadata: object; spec: PodSpec } };
  };
  // What the kubelet does and podman cannot: fill in the downward API's spec.nodeName.
  const spec = job.spec.template.spec;
  for (const c of spec.containers) c.env = c.env.map((e) => (e.valueFrom ? { name: e.name, value: node } : e));
  const file = join(root, 'pod.json');
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: job.metadata.name, ...job.spec.template.metadata },
    spec,
  };
  writeFileSync(file, JSON.stringify(pod));
  // By name: the pod file is in a temporary directory that may be gone when this runs.
  after(() => podman(['pod', 'rm', '-f', job.metadata.name]));
  return { file, container: `${job.metadata.name}-qualify`, spec };
}

/** Plays the pod and waits for its qualify container to exit (podman 4.3 has no --wait): "exited CODE". */
function playToExit(pod: { file: string; container: string }): string {
  const play = podman(['kube', 'play', '--replace', pod.file]);
  assert.equal(play.status, 0, play.stderr.slice(-2000));
  const deadline = Date.now() + 300_000;
  let state = '';
  while (Date.now() < deadline) {
    state = podman(['inspect', '--format', '{{.State.Status}} {{.State.ExitCode}}', pod.container]).stdout.trim();
    if (state.startsWith('exited')) break;
    spawnSync('sleep', ['1']);
  }
  return state;
}

/** Whether `podman kube play` gives a pod with hostPID the host's PID namespace (podman 4.5 on: its PR 17168). */
function kubePlayHonoursHostPid(): boolean {
  const v = podman(['version', '--format', '{{.Client.Version}}']).stdout.trim().split('.').map(Number);
  return (v[0] ?? 0) > 4 || ((v[0] ?? 0) === 4 && (v[1] ?? 0) >= 5);
}

/**
 * The pod's qualify container as the kubelet runs a pod with hostPID: true: in a pod sharing the host's PID namespace
 * (podman pod create --share ...,pid --pid host), with the template's image, arguments, environment and hostPaths.
 */
function runWithHostPid(spec: PodSpec, name: string): ReturnType<typeof podman> {
  const created = podman(['pod', 'create', '--name', name, '--share', 'ipc,net,uts,pid', '--pid', 'host']);
  assert.equal(created.status, 0, created.stderr);
  after(() => podman(['pod', 'rm', '-f', name]));
  const paths = new Map(spec.volumes.map((v) => [v.name, v.hostPath.path]));
  for (const p of paths.values()) {
    mkdirSync(p, { recursive: true }); // hostPath DirectoryOrCreate, and the init container's chown
    chownSync(p, IMAGE_UID, IMAGE_UID);
  }
  const c = spec.containers[0]!;
  return podman([
    'run',
    '--rm',
    '--pod',
    name,
    ...c.volumeMounts.flatMap((m) => ['-v', `${paths.get(m.name)}:${m.mountPath}`]),
    ...c.env.flatMap((e) => ['-e', `${e.name}=${e.value}`]),
    // The container's securityContext, as the kubelet applies it.
    ...(c.securityContext?.runAsUser !== undefined ? ['--user', String(c.securityContext.runAsUser)] : []),
    ...(c.securityContext?.capabilities?.add ?? []).flatMap((cap) => ['--cap-add', cap]),
    c.image,
    ...c.args,
  ]);
}

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
  const staged = spawnSync('bash', ['scripts/stage-image-etcd.sh'], { encoding: 'utf8', cwd: PACKAGE_ROOT });
  assert.equal(staged.status, 0, staged.stderr.slice(-2000));
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
  assert.match(tools.stdout, /etcd Version: 3\.6\.\d+\nfio-\d/, "the image's etcd is 3.6");
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
  const state = playToExit(podFileFor(root, dir, 'kube-node-1'));
  assert.match(state, /^exited [014]$/, `the pod's qualify container: ${state}`);
  const results = readdirSync(`${dir}-results`);
  assert.equal(results.length, 1, `the report in ${dir}-results`);
  const report = JSON.parse(readFileSync(join(`${dir}-results`, results[0]!), 'utf8')) as QualifyReport;
  assert.equal(report.node, 'kube-node-1');
  assert.equal(report.complete, true);
  // No etcd runs on this "node" (or none the pod can see): the image's own 3.6 ran the etcd phase, and said so.
  assert.match(report.etcd?.version ?? '', /^3\.6\.\d+$/);
  assert.equal(report.etcd?.source, '/usr/local/bin/etcd (no live etcd runs on this node)');
  assert.ok(
    report.warnings.includes('no live etcd runs on this node: the etcd phase runs /usr/local/bin/etcd instead'),
  );
  assert.deepEqual(readdirSync(dir), []);
  const code = Number(state.split(' ')[1]);
  const letter = report.grade.letter ?? '-';
  assert.equal(
    code,
    ['A', 'B', 'C'].includes(letter) ? 0 : report.grade.limitedBy ? 4 : 1,
    'the Job fails with the disk',
  );
});

// Made at the file's level: the tmpfs mounted inside must be unmounted (a test's after) before it is removed.
const liveRoot = tempDir('edb-img-live-');

test("beside a live etcd, with the host's process table: refused on its filesystem, run on a tmpfs of its own", {
  skip: skip || needs('etcd', 'root'),
}, async () => {
  const live = await startForeignEtcd(join(liveRoot, 'prod.etcd'));
  try {
    const bench = join(liveRoot, 'bench');
    mkdirSync(bench);
    chownSync(bench, IMAGE_UID, IMAGE_UID);
    const refused = podman(['run', '--rm', '--pid=host', '-v', `${bench}:/bench`, IMAGE, 'disk', '--dir', '/bench']);
    assert.equal(refused.status, 2, refused.stderr.slice(-2000));
    // Named among whatever else runs here (a test's throwaway etcd beside this one may be listed first).
    assert.match(refused.stderr, /a live etcd keeps its data on this disk: etcd pid \d+/);
    assert.match(
      refused.stderr,
      new RegExp(`etcd pid ${live.pid} \\(data [^)]*prod\\.etcd; from --data-dir\\) on the same`),
    );
    assert.deepEqual(readdirSync(bench), [], 'nothing written');
    const results = ownedDir('edb-img-live-results-');
    const mounts = ['-v', `${bench}:/bench`, '-v', `${results}:/results`];
    const q = podman(['run', '--rm', '--pid=host', ...mounts, IMAGE, 'qualify', '--dir', '/bench']);
    assert.equal(q.status, 2, q.stderr.slice(-2000));
    assert.deepEqual([...readdirSync(bench), ...readdirSync(results)], [], 'qualify wrote nothing either');

    const own = mountTmpfs(liveRoot, 'own', 'size=160m,mode=0755');
    assert.ok(own, 'a tmpfs could be mounted');
    chownSync(own, IMAGE_UID, IMAGE_UID);
    const ran = podman([
      'run',
      '--rm',
      '--pid=host',
      '-v',
      `${own}:/bench`,
      IMAGE,
      'disk',
      '--dir',
      '/bench',
      '--json',
    ]);
    assert.ok([0, 1, 4].includes(ran.status ?? -1), ran.stderr.slice(-2000));
    const res = JSON.parse(ran.stdout) as DiskResult;
    const seen = res.liveEtcdGuard?.etcds.find((e) => e.pid === live.pid);
    assert.equal(seen?.decision, 'elsewhere', JSON.stringify(res.liveEtcdGuard));
    assert.equal(seen?.places[0]?.via, 'mountinfo', 'as uid 10001 the etcd is placed by its own mount table');
    assert.equal(res.liveEtcdGuard?.pidNamespace, 'host');
    assert.deepEqual(readdirSync(own), []);
  } finally {
    live.stop();
  }
});

test("a Job's pod beside a live etcd on the hostPath's filesystem: exit 2 with hostPID; without it, it says so", {
  skip: skip || needs('etcd'),
}, async () => {
  const root = join(liveRoot, 'kube');
  mkdirSync(root);
  const live = await startForeignEtcd(join(root, 'prod.etcd'));
  try {
    const dir = join(root, 'bench');
    const results = `${dir}-results`;
    const pod = podFileFor(root, dir, 'kube-node-2');
    const state = playToExit(pod);
    const logs = podman(['logs', pod.container]).stderr;
    if (kubePlayHonoursHostPid()) {
      assert.equal(state, 'exited 2', `the pod's qualify container is refused: ${logs.slice(-1500)}`);
      assert.match(logs, new RegExp(`a live etcd keeps its data on this disk: etcd pid ${live.pid} `));
      assert.deepEqual(readdirSync(results), [], 'no report');
    } else {
      // podman before 4.5 ignores hostPID in kube play: the pod has its own PID namespace, as one without hostPID.
      assert.match(state, /^exited [014]$/, logs.slice(-1500));
      assert.match(logs, /this process has a PID namespace of its own \(\d+ processes visible\)/);
      const files = readdirSync(results);
      assert.equal(files.length, 1);
      const report = JSON.parse(readFileSync(join(results, files[0]!), 'utf8')) as QualifyReport;
      assert.equal(report.liveEtcdGuard?.pidNamespace, 'own');
      assert.match(report.liveEtcdGuard?.decision ?? '', /\(own PID namespace: the host was not looked at\)/);
      rmSync(join(results, files[0]!));
    }
    assert.deepEqual(readdirSync(dir), [], 'nothing in the tested directory');
    podman(['kube', 'down', pod.file]);
    const hostPid = runWithHostPid(pod.spec, 'edb-hostpid');
    assert.equal(hostPid.status, 2, `with the host's PID namespace: ${hostPid.stderr.slice(-1500)}`);
    assert.match(hostPid.stderr, new RegExp(`a live etcd keeps its data on this disk: etcd pid ${live.pid} `));
    assert.deepEqual([...readdirSync(dir), ...readdirSync(results)], [], 'nothing written');
  } finally {
    live.stop();
  }
});

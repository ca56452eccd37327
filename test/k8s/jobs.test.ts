// `k8s jobs` output: valid YAML that parses back to one Job per node, every
// Job valid against the Kubernetes OpenAPI schema (kubernetes-models), pinned,
// tolerating control-plane taints, with the hostPaths, deadline, TTL and
// labels; bad input refused with exit 2 and nothing printed.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { Job } from 'kubernetes-models/batch/v1';
import { parseAllDocuments } from 'yaml';
import { jobName } from '../../src/k8s/jobs.js';
import { toYaml } from '../../src/k8s/yaml.js';
import { CLI } from '../helpers/cli.js';

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, 'k8s', 'jobs', ...args], { encoding: 'utf8' });

type AnyJob = {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  spec: {
    activeDeadlineSeconds: number;
    ttlSecondsAfterFinished: number;
    backoffLimit: number;
    template: {
      spec: {
        nodeSelector: Record<string, string>;
        tolerations: { key: string }[];
        hostPID: boolean;
        containers: {
          args: string[];
          env: { name: string }[];
          resources: { requests: Record<string, string> };
          securityContext?: { runAsUser: number; capabilities: { add: string[] } };
        }[];
        volumes: { name: string; hostPath: { path: string } }[];
      };
    };
  };
};

test('one valid Job per node, pinned, tolerating control-plane taints, hostPaths for the disk and the results', () => {
  const r = cli('--nodes', 'cp-1,cp-2,cp-3.example.com', '--profile', 'quick', '--dir', '/var/lib/edb');
  assert.equal(r.status, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as AnyJob);
  assert.equal(docs.length, 3);
  assert.match(r.stdout, /^# hostPID: true lets the live-etcd guard see this node's etcd/, 'what the guard needs');
  assert.match(r.stdout, /# the pod sees only its own processes: the node's etcd is invisible/, 'and without it');
  const runs = new Set<string>();
  for (const [i, node] of ['cp-1', 'cp-2', 'cp-3.example.com'].entries()) {
    const job = docs[i]!;
    new Job(job as never).validate(); // throws on a manifest the API server would reject by schema
    assert.equal(job.metadata.name, jobName(node));
    assert.equal(job.metadata.annotations['etcd-disk-bench/node-name'], node);
    const pod = job.spec.template.spec;
    assert.deepEqual(pod.nodeSelector, { 'kubernetes.io/hostname': node });
    assert.deepEqual(
      pod.tolerations.map((t) => t.key),
      ['node-role.kubernetes.io/control-plane', 'node-role.kubernetes.io/master'],
    );
    assert.equal(pod.hostPID, true);
    assert.deepEqual(
      pod.volumes.map((v) => [v.name, v.hostPath.path]),
      [
        ['bench', '/var/lib/edb'],
        ['results', '/var/lib/edb-results'],
      ],
    );
    const c = pod.containers[0]!;
    // The node's own etcd by default, else the image's; reading it takes root with CAP_SYS_PTRACE.
    assert.deepEqual(c.args, [
      'qualify',
      '--dir',
      '/bench',
      '--profile',
      'quick',
      '--json',
      '--etcd-bin',
      'live,/usr/local/bin/etcd',
    ]);
    assert.deepEqual(c.securityContext, { runAsUser: 0, capabilities: { add: ['SYS_PTRACE'] } });
    assert.deepEqual(
      c.env.map((e) => e.name),
      ['ETCD_DISK_BENCH_NODE_NAME'],
    );
    assert.equal(c.resources.requests.cpu, '1');
    assert.equal(job.spec.backoffLimit, 0, 'a failed disk is a failed Job, not a retry');
    // quick: 4 + 11 + 6 s, doubled, plus 300 s
    assert.equal(job.spec.activeDeadlineSeconds, 342);
    assert.equal(job.spec.ttlSecondsAfterFinished, 86400);
    runs.add(job.metadata.labels['etcd-disk-bench/run']!);
  }
  assert.equal(runs.size, 1, 'one run label for the set');
  const broken = structuredClone(docs[0]!) as unknown as {
    spec: { template: { spec: { containers: { image: unknown }[] } } };
  };
  broken.spec.template.spec.containers[0]!.image = 7;
  assert.throws(() => new Job(broken as never).validate(), /image/, 'the validator does reject a bad manifest');
});

test("--etcd-bin image: the image's own etcd, the pod unprivileged; the note on the live binary only with live", () => {
  const live = cli('--nodes', 'cp-1');
  assert.match(live.stdout, /# --etcd-bin live: qualify's etcd phase runs the node's own etcd binary/);
  assert.match(live.stdout, /# .*CAP_SYS_PTRACE/);
  const r = cli('--nodes', 'cp-1', '--etcd-bin', 'image');
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /--etcd-bin live:/);
  const job = parseAllDocuments(r.stdout)[0]!.toJS() as AnyJob;
  new Job(job as never).validate();
  const c = job.spec.template.spec.containers[0]!;
  assert.equal(c.securityContext, undefined, 'runs as the image user, uid 10001');
  assert.equal(c.args.includes('--etcd-bin'), false);
});

test('node names longer than a Job name allows are shortened with a hash, still distinct', () => {
  const long = `${'n'.repeat(70)}.example.com`;
  const a = jobName(long);
  const b = jobName(`${long}x`);
  assert.ok(a.length <= 63 && b.length <= 63);
  assert.notEqual(a, b);
  assert.match(a, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
});

test('bad input: exit 2, the option named, nothing printed', () => {
  for (const [args, message] of [
    [['--nodes', 'CP_1'], /--nodes: "CP_1" is not allowed/],
    [['--nodes', 'a,a'], /--nodes: a node is named twice/],
    [['--nodes', 'a', '--profile', 'nope'], /--profile: "nope" is not allowed; the image has: .*standard/],
    [['--nodes', 'a', '--dir', 'relative'], /--dir: "relative" is not allowed/],
    [['--nodes', 'a', '--ttl', '-1'], /--ttl/],
    [
      ['--nodes', 'a', '--etcd-bin', '/usr/bin/etcd'],
      /--etcd-bin: "\/usr\/bin\/etcd" is not allowed; expected one of live, image/,
    ],
    [[], /--nodes/],
  ] as const) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stdout, '');
  }
});

test('the YAML writer quotes every string and round-trips', () => {
  const doc = { a: 'yes', b: ['1', 2, true], c: { 'x/y': 'a: b', e: [], f: {} }, d: [{ g: null }] };
  const text = toYaml([doc, { h: 'second' }]);
  assert.deepEqual(
    parseAllDocuments(text).map((d) => d.toJS()),
    [doc, { h: 'second' }],
  );
});

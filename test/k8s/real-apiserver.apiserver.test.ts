// Against a real kube-apiserver (built by scripts/kube-apiserver.sh from
// Kubernetes' own module, on a local etcd 3.6): the Jobs `k8s jobs` prints
// pass its server-side dry run, and bench:apiserver's driver makes it carry
// the kube mix, which etcd sees as the objects' writes. npm run test:apiserver.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { driveMix, prepareCluster } from '../../bench/apiserver-driver.js';
import { measureOverhead, storedBytes } from '../../bench/apiserver-sizes.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { startLocalEtcd } from '../../src/etcd/local-etcd.js';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { etcdVersions, needsEtcd } from '../helpers/etcd-versions.js';
import {
  apiClient,
  type KubeApiserver,
  kubeApiserverBinary,
  kubeGet,
  startKubeApiserver,
} from '../helpers/kube-apiserver.js';

const binary = kubeApiserverBinary(false);
const skip = binary.bin === null ? `needs kube-apiserver: ${binary.why}` : needsEtcd('3.6');
const cleanup = new CleanupRegistry();
const root = mkdtempSync('/var/tmp/edb-apiserver-test-');
let k: KubeApiserver;
let etcd: string;

before(async () => {
  if (skip) return;
  const c = await startLocalEtcd({
    bin: etcdVersions().get('3.6')!.bin,
    root,
    members: 1,
    cleanup,
    token: 'apiserver',
  });
  etcd = c.endpoints[0]!;
  k = await startKubeApiserver({ bin: binary.bin!, etcd, root, cleanup });
});
after(async () => {
  await cleanup.drain();
  rmSync(root, { recursive: true, force: true });
});

const cli = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

test("the Jobs k8s jobs prints pass the real API server's server-side dry run, both etcd-bin modes", { skip }, () => {
  for (const etcdBin of ['live', 'image']) {
    const jobs = execFileSync(
      process.execPath,
      [cli, 'k8s', 'jobs', '--nodes', 'cp-1,cp-2,cp-3', '--etcd-bin', etcdBin],
      {
        encoding: 'utf8',
      },
    );
    const r = spawnSync(k.kubectl, ['--kubeconfig', k.kubeconfig, 'apply', '--dry-run=server', '-f', '-'], {
      input: jobs,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, `${etcdBin}: ${r.stderr}`);
    const created = r.stdout.split('\n').filter((l) => /^job\.batch\/\S+ created \(server dry run\)$/.test(l));
    assert.equal(created.length, 3, r.stdout);
  }
});

test('the driver makes the API server carry the kube mix: each kind answered, objects sized as asked', {
  skip,
}, async () => {
  const api = apiClient(k);
  try {
    const leases = await prepareCluster(api, { nodes: 10 });
    const overhead = await measureOverhead(api, etcd);
    for (const v of Object.values(overhead)) assert.ok(v > 100 && v < 2000, `an empty object stores ${v} bytes`);
    const r = await driveMix(api, leases, {
      rate: 50,
      runtimeMs: 4000,
      mix: { create: 10, update: 60, delete: 10, event: 20, list: 5 },
      objects: 60,
      nodes: 10,
      valueSize: { min: 2000, max: 2000 },
      overhead,
      prefill: 30,
    });
    assert.deepEqual(r.firstErrors, []);
    assert.ok(r.requests >= 150, `${r.requests} requests`);
    for (const kind of ['update', 'event', 'list'] as const) assert.ok(r.byKind[kind].ok > 0, `no ${kind} answered`);
    const sizes = await Promise.all(
      ['configmaps', 'secrets', 'pods'].map((res, i) =>
        storedBytes(etcd, `/registry/${res}/ns-${i}/obj-${i}`).catch(() => 0),
      ),
    );
    const stored = sizes.filter((s) => s > 0);
    assert.ok(stored.length > 0);
    for (const s of stored) assert.ok(Math.abs(s - 2000) < 100, `asked 2000 bytes stored, etcd holds ${s}`);
    const [code, text] = await kubeGet(k, '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/node-0');
    assert.equal(code, 200);
    assert.match(text, /"holderIdentity":"node-0"/);
  } finally {
    api.close();
  }
});

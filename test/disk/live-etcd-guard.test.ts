// The live-etcd guard's decisions for etcd processes described as the /proc
// reader would (their directories are real, on this disk): inside its data
// dir refused, the same filesystem refused unless allowed, our own members
// only named, and an etcd whose directories cannot be seen named as unchecked.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { guardLiveEtcd } from '../../src/disk/live-etcd-guard.js';
import { UsageError } from '../../src/errors.js';
import type { EtcdProcess } from '../../src/host/etcd-processes.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('edb-guard-');
const data = join(root, 'etcd-data');
const target = join(root, 'bench');
mkdirSync(data);
mkdirSync(target);

function etcd(over: Partial<EtcdProcess> = {}): EtcdProcess {
  return {
    pid: 4242,
    dataDir: data,
    walDir: null,
    from: '--data-dir',
    metricsUrl: null,
    root: '/',
    ourRun: null,
    ...over,
  };
}

test('a directory inside the data dir is refused even with --allow-live-etcd', () => {
  const inside = join(data, 'member');
  mkdirSync(inside);
  assert.throws(
    () => guardLiveEtcd(inside, true, [etcd()]),
    (e: unknown) =>
      e instanceof UsageError && e.option === 'dir' && /inside .*etcd-data, the data directory/.test(e.message),
  );
});

test('an etcd on the same filesystem: refused, unless allowed (then shared and warned)', () => {
  assert.throws(
    () => guardLiveEtcd(target, false, [etcd()]),
    (e: unknown) => e instanceof UsageError && e.option === 'allowLiveEtcd' && /etcd pid 4242/.test(e.message),
  );
  const allowed = guardLiveEtcd(target, true, [etcd()]);
  assert.equal(allowed.shared.length, 1);
  assert.equal(allowed.shared[0]!.shares, 'filesystem');
  assert.match(allowed.warnings[0]!, /^--allow-live-etcd: etcd pid 4242/);
});

test("another run's throwaway member is named, not refused", () => {
  const r = guardLiveEtcd(target, false, [etcd({ ourRun: 'run-1' })]);
  assert.deepEqual(r.shared, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /another etcd-disk-bench run \(run-1, pid 4242\)/);
});

test('an etcd whose directories cannot be seen is named as not checked, not silently passed', () => {
  const r = guardLiveEtcd(target, false, [etcd({ root: join(root, 'no-such-root') })]);
  assert.deepEqual(r.shared, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /etcd pid 4242 .*cannot be read here .*was not checked/);
});

// qualify prepares every phase before anything is written, and establishes
// each fact once for all of them: the target directory checked once, the
// storage under it read once, the etcd binary chosen once; each phase's plan
// holds that same target, and the etcd phase runs the binary chosen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadNativeAddon } from '../../src/disk/native-engine.js';
import { loadProfile } from '../../src/options/profiles.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { QUALIFY_OPTION_KEYS } from '../../src/options/table.js';
import { prepareQualify } from '../../src/qualify/run-qualify.js';
import { listing, tempDir } from '../helpers/tmp.js';

const noAddon = 'error' in loadNativeAddon() ? 'needs the native addon built (npm run build)' : false;

test("qualify's preparation checks the target once, reads the storage once, chooses etcd once, writes nothing", {
  skip: noAddon,
}, async () => {
  const dir = tempDir('edb-prepare-');
  // An executable that exists wherever the test runs: the choice, not the binary, is the subject (nothing runs it).
  const q = resolveOptions(
    QUALIFY_OPTION_KEYS,
    { dir, etcdBin: process.execPath },
    loadProfile('quick', QUALIFY_OPTION_KEYS),
  );
  const plan = await prepareQualify(q);
  assert.deepEqual(plan.prep.ran, ['target-dir', 'storage-facts', 'etcd-binary']);
  assert.equal(plan.fio.prepared, plan.prepared, 'the fio phase takes the one target');
  assert.equal(plan.wal.prepared, plan.prepared, 'the WAL phase takes the one target');
  assert.equal(plan.etcd?.local?.prepared, plan.prepared, 'the etcd phase takes the one target');
  assert.equal(plan.etcd?.local?.bin, process.execPath, 'and runs the binary chosen');
  assert.equal(plan.etcdBinary?.source, `--etcd-bin ${process.execPath}`);
  assert.deepEqual(listing(dir), [], 'nothing written while preparing');
});

test('a disk or load prepared on its own checks its own target, once', { skip: noAddon }, async () => {
  const { prepareDisk } = await import('../../src/disk/run-disk.js');
  const { Preparation } = await import('../../src/run/preparation.js');
  const { DISK_OPTION_KEYS } = await import('../../src/options/table.js');
  const dir = tempDir('edb-prepare-disk-');
  const prep = new Preparation();
  const plan = prepareDisk(resolveOptions(DISK_OPTION_KEYS, { dir }, loadProfile('wal', DISK_OPTION_KEYS)), prep);
  assert.deepEqual(prep.ran, ['target-dir', 'storage-facts']);
  assert.equal(plan.prepared.target.dir, dir);
  assert.deepEqual(listing(dir), []);
});

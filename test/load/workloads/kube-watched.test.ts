// The watch cache's resources: --kube-watches holds them all by default, each
// once, the two the load writes first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WATCHED_RESOURCES } from '../../../src/load/workloads/kube-watched.js';
import { specOf } from '../../../src/options/table.js';

test('--kube-watches: all of the 61 resources by default and at most; pods and leases first, none twice', () => {
  const spec = specOf('kubeWatches');
  assert.equal(WATCHED_RESOURCES.length, 61);
  assert.equal(spec.default, 61);
  assert.deepEqual([spec.parse('61'), spec.parse('62')], [61, null], 'more watches than resources are refused');
  assert.equal(new Set(WATCHED_RESOURCES).size, 61);
  assert.deepEqual(WATCHED_RESOURCES.slice(0, 2), ['pods', 'leases']);
});

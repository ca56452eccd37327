import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';

test('a child registry: its creator drains it; a parent drained first (a signal) reaches it too', async () => {
  const done: string[] = [];
  const parent = new CleanupRegistry();
  parent.add('parent dir', () => void done.push('parent dir'));
  const child = parent.child('the load');
  child.registry.add('etcd', () => void done.push('etcd'));
  child.registry.add('keys', () => void done.push('keys'));
  await child.release();
  assert.deepEqual(done, ['keys', 'etcd']);
  assert.equal(parent.pending, 1, "the child's step left the parent when it was released");

  done.length = 0;
  const other = parent.child('another load');
  other.registry.add('keys', () => void done.push('keys'));
  await parent.drain(); // Ctrl-C while the child still holds things
  assert.deepEqual(done, ['keys', 'parent dir']);
  assert.deepEqual(await other.release(), [], 'releasing after the parent drained it is harmless');
});

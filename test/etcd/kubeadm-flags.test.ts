// kubeadm's etcd settings as each minor spells them: 3.5 the experimental
// names, 3.6 on the plain names and feature gates, 3.4 (and what cannot be
// read) only what every version accepts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flagEra, kubeadmFlags, minorOf } from '../../src/etcd/kubeadm-flags.js';

test('the era of a version, from etcd --version', () => {
  assert.deepEqual(minorOf('3.6.17'), { major: 3, minor: 6 });
  assert.deepEqual(minorOf('v3.7.4'), { major: 3, minor: 7 });
  assert.equal(minorOf('unknown'), null);
  assert.deepEqual(['3.3.27', '3.4.23', '3.5.36', '3.6.17', '3.7.4', '3.8.0', '4.0.1', 'unknown'].map(flagEra), [
    '3.4',
    '3.4',
    '3.5',
    '3.6+',
    '3.6+',
    '3.6+',
    '3.6+',
    null,
  ]);
});

test("each minor gets kubeadm's settings in its own spelling; 3.7 gets no --experimental-* flag", () => {
  assert.deepEqual(kubeadmFlags('3.4.23'), ['--snapshot-count', '10000']);
  assert.deepEqual(kubeadmFlags('3.5.36'), [
    '--snapshot-count',
    '10000',
    '--experimental-initial-corrupt-check=true',
    '--experimental-watch-progress-notify-interval',
    '5s',
  ]);
  for (const v of ['3.6.17', '3.7.4']) {
    const f = kubeadmFlags(v);
    assert.deepEqual(f, [
      '--snapshot-count',
      '10000',
      '--feature-gates',
      'InitialCorruptCheck=true',
      '--watch-progress-notify-interval',
      '5s',
    ]);
    assert.equal(
      f.some((x) => x.startsWith('--experimental-')),
      false,
    );
  }
  assert.deepEqual(kubeadmFlags('unknown'), ['--snapshot-count', '10000']);
  // A copy: a caller's change does not reach the table.
  kubeadmFlags('3.6.1').push('--x');
  assert.equal(kubeadmFlags('3.6.1').length, 6);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { notRun, stopReason } from '../../src/qualify/run-phases.js';
import type { Phase } from '../../src/qualify/report.js';

const done: Phase<unknown> = { status: 'done', title: 't', result: {} };

test('a phase runs only when every phase before it completed, and a stop says why', () => {
  assert.equal(stopReason([], undefined), undefined);
  assert.equal(stopReason([['fio', done]], undefined), undefined);
  const failed: Phase<unknown> = { status: 'failed', title: 't', reason: 'ENOSPC: no space left', result: null };
  assert.equal(
    stopReason(
      [
        ['fio', done],
        ['wal', failed],
      ],
      undefined,
    ),
    'the wal phase failed: ENOSPC: no space left',
  );
  const interrupted: Phase<unknown> = { status: 'interrupted', title: 't', reason: 'SIGINT', result: null };
  assert.equal(stopReason([['fio', interrupted]], undefined), 'the fio phase was interrupted: SIGINT');
  const stop = new AbortController();
  stop.abort('SIGTERM');
  assert.equal(stopReason([['fio', done]], stop.signal), 'interrupted (SIGTERM)');
  assert.deepEqual(notRun('etcd', 'skipped with --etcd-runtime 0'), {
    status: 'not-run',
    title: 'a throwaway local etcd on the same disk under the kube workload (what an API server writes)',
    reason: 'skipped with --etcd-runtime 0',
    result: null,
  });
});

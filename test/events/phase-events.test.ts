import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunEvent } from '../../src/events/events.js';
import { PhaseEvents } from '../../src/events/phase-events.js';

const label = { command: 'qualify', phase: 'wal', index: 2, of: 3, title: 'WAL', profile: 'standard' };

test('a phase starts once and ends once, on return and on throw; never an end without a start', async () => {
  const seen: RunEvent[] = [];
  const ok = new PhaseEvents((e) => seen.push(e), label);
  await ok.run(undefined, async () => {
    ok.start(45e9, '/var/tmp (ext4)', 'wal');
    ok.start(45e9, 'again', null);
    ok.end('done');
    ok.end('failed', 'late');
  });
  assert.deepEqual(
    seen.map((e) => e.type),
    ['phase-start', 'phase-end'],
  );
  assert.deepEqual(seen[0], {
    type: 'phase-start',
    ...label,
    plannedNs: 45e9,
    target: '/var/tmp (ext4)',
    profile: 'standard',
  });
  assert.deepEqual(seen[1], { type: 'phase-end', phase: 'wal', status: 'done' });

  seen.length = 0;
  const thrown = new PhaseEvents((e) => seen.push(e), label);
  await assert.rejects(
    thrown.run(undefined, async () => {
      thrown.start(1e9, 'x', null);
      throw new Error('ENOSPC: no space left');
    }),
    /ENOSPC/,
  );
  assert.deepEqual(seen[1], { type: 'phase-end', phase: 'wal', status: 'failed', reason: 'ENOSPC: no space left' });

  seen.length = 0;
  const stop = new AbortController();
  stop.abort('SIGINT');
  const early = new PhaseEvents((e) => seen.push(e), label);
  await assert.rejects(
    early.run(stop.signal, async () => {
      throw new Error('refused before it began');
    }),
  );
  assert.equal(seen.length, 0, 'a phase that never started does not end (its caller reports it)');
  const late = new PhaseEvents((e) => seen.push(e), label);
  await assert.rejects(
    late.run(stop.signal, async () => {
      late.start(1e9, 'x', null);
      throw new Error('stopped');
    }),
  );
  assert.equal((seen[1] as { status: string }).status, 'interrupted');
});

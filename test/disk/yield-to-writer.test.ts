// The JS thread's yield to the disk writers: SCHED_IDLE only where it can come
// back (a throwaway thread tries the round trip first), every thread it
// started while idle put back with it, and nothing changed where Linux would
// not allow the way back (an unprivileged user with RLIMIT_NICE 0).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { loadNativeAddon } from '../../src/disk/native-engine.js';
import {
  STARVED_MS,
  type ThreadPolicy,
  WATCH_EVERY_MS,
  type WatchClock,
  yieldToWriter,
} from '../../src/disk/yield-to-writer.js';
import { needs } from '../helpers/needs.js';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** A thread's scheduling policy: field 41 of /proc/PID/task/TID/stat (the fields after the command's ')'). */
function policyOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
}

const policies = () => readdirSync('/proc/self/task').map((t) => policyOf(Number(t)));

function fake(idle: boolean, back: boolean): ThreadPolicy & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    idleThisThread: () => {
      calls.push('idle');
      return idle;
    },
    restoreFromIdle: () => {
      calls.push('restore');
      return back;
    },
  };
}

test('where the thread cannot come back, it is left as it was and restore does nothing', () => {
  const p = fake(false, true);
  const y = yieldToWriter(p);
  assert.equal(y.policyDuring, null);
  y.restore();
  assert.deepEqual(p.calls, ['idle']);
  assert.equal(yieldToWriter(null).policyDuring, null, 'no addon: no yield');
});

test('a yield is undone by restore, and a refused way back is an error, not silence', () => {
  const ok = fake(true, true);
  const y = yieldToWriter(ok);
  assert.equal(y.policyDuring, 'idle');
  y.restore();
  assert.deepEqual(ok.calls, ['idle', 'restore']);
  const refused = yieldToWriter(fake(true, false));
  assert.throws(() => refused.restore(), /could not put the JS thread back from SCHED_IDLE/);
});

/** A clock the test moves by hand, and the watchdog's timer fired by hand. */
function handClock(): WatchClock & { advance(ms: number): void; running: () => boolean } {
  let t = 1000;
  let fn: (() => void) | null = null;
  return {
    now: () => t,
    every: (_ms, f) => {
      fn = f;
      return () => {
        fn = null;
      };
    },
    advance(ms) {
      t += ms;
      fn?.();
    },
    running: () => fn !== null,
  };
}

test('a starved JS thread goes back to SCHED_OTHER at the first late firing, once', () => {
  const p = fake(true, true);
  const clock = handClock();
  const y = yieldToWriter(p, clock);
  clock.advance(WATCH_EVERY_MS);
  clock.advance(WATCH_EVERY_MS + STARVED_MS - 1);
  assert.equal(y.policyDuring, 'idle', 'late by less than STARVED_MS: still idle');
  assert.deepEqual(p.calls, ['idle']);
  clock.advance(WATCH_EVERY_MS + STARVED_MS);
  assert.equal(y.policyDuring, 'idle-until-starved');
  assert.deepEqual(p.calls, ['idle', 'restore']);
  assert.equal(clock.running(), false, 'the watchdog stops');
  y.restore();
  assert.deepEqual(p.calls, ['idle', 'restore'], 'restore does not go back twice');
});

test("a way back refused in the watchdog's timer is reported by restore, not thrown from the timer", () => {
  const clock = handClock();
  const y = yieldToWriter(fake(true, false), clock);
  assert.doesNotThrow(() => clock.advance(WATCH_EVERY_MS + STARVED_MS + 10));
  assert.equal(y.policyDuring, 'idle-until-starved');
  assert.throws(() => y.restore(), /could not put the JS thread back/);
});

test('restore stops the watchdog of a run that was never starved', () => {
  const clock = handClock();
  const y = yieldToWriter(fake(true, true), clock);
  y.restore();
  assert.equal(clock.running(), false);
  assert.equal(y.policyDuring, 'idle');
});

const loaded = loadNativeAddon();
const addon = 'addon' in loaded ? loaded.addon : null;
const asRoot = !addon ? 'needs the native addon' : process.geteuid?.() !== 0 ? 'needs root (CAP_SYS_NICE)' : false;

test('as root: the JS thread is idle while yielding, a thread it starts meanwhile too, both back after', {
  skip: asRoot,
}, async () => {
  assert.ok(
    policies().every((p) => p === SCHED_OTHER),
    `every thread in SCHED_OTHER before: ${policies()}`,
  );
  const y = yieldToWriter(addon);
  try {
    assert.equal(y.policyDuring, 'idle');
    assert.equal(policyOf(process.pid), SCHED_IDLE);
    // A thread started now inherits the policy (why runPhase yields only once the writers' threads exist).
    const worker = new Worker('require("node:worker_threads").parentPort.postMessage(0); setInterval(() => {}, 1e3)', {
      eval: true,
    });
    await new Promise((r) => worker.once('message', r));
    assert.ok(policies().filter((p) => p === SCHED_IDLE).length >= 2, `the worker's thread idle too: ${policies()}`);
    y.restore();
    assert.deepEqual(
      policies().filter((p) => p !== SCHED_OTHER),
      [],
      'every thread back in SCHED_OTHER',
    );
    await worker.terminate();
  } finally {
    addon!.restoreFromIdle();
  }
});

test('unprivileged, with RLIMIT_NICE 0: the round trip is refused, so the thread stays as it was', {
  skip: asRoot || needs('nobody-reads-checkout'),
}, () => {
  const engine = join(PACKAGE_ROOT, 'dist', 'src', 'disk', 'native-engine.js');
  const script = `
    const { readFileSync } = await import('node:fs');
    const { loadNativeAddon } = await import(${JSON.stringify(`file://${engine}`)});
    const { addon } = loadNativeAddon();
    const idle = addon.idleThisThread();
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    console.log(JSON.stringify({ idle, policy: Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[38]) }));
  `;
  const run = spawnSync(
    'prlimit',
    [
      '--nice=0:0',
      'setpriv',
      '--reuid',
      '65534',
      '--regid',
      '65534',
      '--clear-groups',
      '--',
      process.execPath,
      '--input-type=module',
      '-e',
      script,
    ],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { idle: false, policy: SCHED_OTHER });
});

// The JS thread's yield to the disk writers: SCHED_IDLE only where it can come
// back (a throwaway thread tries the round trip first), every thread it
// started while idle put back with it, and nothing changed where Linux would
// not allow the way back (an unprivileged user with RLIMIT_NICE 0).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { loadNativeAddon } from '../../src/disk/native-engine.js';
import { type ThreadPolicy, yieldToWriter } from '../../src/disk/yield-to-writer.js';
import { needs } from '../helpers/needs.js';

const SCHED_OTHER = 0;
const SCHED_IDLE = 5;

/** A thread's scheduling policy: field 41 of /proc/PID/task/TID/stat (the fields after the command's ')'). */
function policyOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
}

const taskName = (tid: number) => readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim();
const policies = () => readdirSync('/proc/self/task').map((t) => policyOf(Number(t)));

function fake(idle: boolean, back: boolean): ThreadPolicy & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    starvedWhileIdle: () => false,
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

test("a spell the guard cut short is reported as such, with restore's refusal still an error", () => {
  const starved = { ...fake(true, true), starvedWhileIdle: () => true };
  const y = yieldToWriter(starved);
  assert.equal(y.policyDuring, 'idle', 'until restore, the spell is taken as idle');
  y.restore();
  assert.equal(y.policyDuring, 'idle-until-starved');
  y.restore();
  assert.deepEqual(starved.calls, ['idle', 'restore'], 'restore goes back once');
  const refused = yieldToWriter({ ...fake(true, false), starvedWhileIdle: () => true });
  assert.throws(() => refused.restore(), /could not put the JS thread back/);
  assert.equal(refused.policyDuring, 'idle-until-starved');
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

test('as root, beside CPU hogs: the guard thread puts a starved JS thread back in SCHED_OTHER by itself', {
  skip: asRoot,
}, async (t) => {
  const hogs = Array.from({ length: 3 * availableParallelism() }, () =>
    spawn('yes', [], { stdio: ['ignore', 'ignore', 'ignore'] }),
  );
  try {
    await new Promise((r) => setTimeout(r, 200));
    const y = yieldToWriter(addon);
    assert.equal(y.policyDuring, 'idle');
    // Ready to run for 2 s of wall time: an idle thread beside the hogs gets almost none of it, and nothing on this
    // thread could notice; only the guard, from its own thread, can put it back.
    const until = Date.now() + 2000;
    let spins = 0;
    while (Date.now() < until) spins++;
    const during = policyOf(process.pid);
    y.restore();
    t.diagnostic(`policy after 2 s busy: ${during}; ${spins} loop turns`);
    assert.equal(during, SCHED_OTHER, 'back in SCHED_OTHER before restore ran');
    assert.equal(y.policyDuring, 'idle-until-starved');
    assert.deepEqual(
      policies().filter((p) => p !== SCHED_OTHER),
      [],
    );
    assert.ok(!readdirSync('/proc/self/task').some((tid) => taskName(Number(tid)) === 'edb-idleguard'), 'guard gone');
  } finally {
    for (const h of hogs) h.kill('SIGKILL');
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

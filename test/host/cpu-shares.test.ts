import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuShares, USER_HZ } from '../../src/host/cpu-shares.js';
import type { CpuTicks } from '../../src/host/proc-readers.js';

const ticks = (t: Partial<CpuTicks>): CpuTicks => ({
  user: 0,
  nice: 0,
  system: 0,
  idle: 0,
  iowait: 0,
  irq: 0,
  softirq: 0,
  steal: 0,
  cpus: 2,
  ...t,
});
const SECOND_US = 1e6;

test('busy is the wall time not idle, however many busy ticks the tick sampled', () => {
  // 2 CPUs for 1 s are 200 ticks; 170 of them idle or waiting on I/O leave 15 % busy.
  const a = ticks({ idle: 1000, iowait: 50 });
  const exact = ticks({ user: 20, system: 10, idle: 1160, iowait: 60 });
  const over = ticks({ user: 70, system: 40, idle: 1160, iowait: 60 }); // ticks that landed on short wakeups
  const under = ticks({ user: 3, system: 1, idle: 1160, iowait: 60 }); // wakeups no tick saw
  for (const b of [exact, over, under]) {
    const s = cpuShares(a, b, SECOND_US);
    assert.ok(Math.abs(s.busy! - 0.15) < 1e-9, `busy ${s.busy} with ${b.user + b.system} busy ticks`);
  }
  assert.equal(USER_HZ, 100);
});

test('steal is a share of the wall time of all CPUs; shares stay within 0..1', () => {
  const a = ticks({ idle: 0, steal: 5 });
  assert.ok(Math.abs(cpuShares(a, ticks({ idle: 100, steal: 25 }), SECOND_US).steal! - 0.1) < 1e-9);
  // a reading's jitter: more idle than wall time is an idle host, not a negative busy share
  assert.deepEqual(cpuShares(a, ticks({ idle: 210, steal: 5 }), SECOND_US), { busy: 0, steal: 0 });
  assert.deepEqual(cpuShares(a, ticks({ idle: 0, steal: 5 }), SECOND_US), { busy: 1, steal: 0 });
  // 4 CPUs for half a second are 200 ticks too
  const four = (t: Partial<CpuTicks>) => ticks({ ...t, cpus: 4 });
  assert.ok(Math.abs(cpuShares(four({}), four({ idle: 150 }), SECOND_US / 2).busy! - 0.25) < 1e-9);
});

test('no time passed or no CPU counted: the shares are unknown, not zero', () => {
  assert.deepEqual(cpuShares(ticks({}), ticks({ idle: 10 }), 0), { busy: null, steal: null });
  const none = ticks({ cpus: 0 });
  assert.deepEqual(cpuShares(none, none, SECOND_US), { busy: null, steal: null });
});

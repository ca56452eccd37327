import assert from 'node:assert/strict';
import { test } from 'node:test';
import { everySecond } from '../../src/events/every-second.js';

test('ticks come after each whole second by the monotonic clock, never before', async (t) => {
  const t0 = process.hrtime.bigint();
  const seen: number[] = [];
  const stop = everySecond(t0, (ns) => seen.push(ns));
  t.after(stop); // a failed assertion must not leave the ticker holding the process open
  await new Promise((r) => setTimeout(r, 3500));
  stop();
  assert.equal(seen.length, 3);
  seen.forEach((ns, i) => {
    assert.ok(ns >= (i + 1) * 1e9, `tick ${i + 1} at ${ns} ns is early`);
    assert.ok(ns < (i + 1) * 1e9 + 300e6, `tick ${i + 1} at ${ns} ns is very late`);
  });
});

test('a late tick fires once, not once for every second it missed, and stop() ends it', async (t) => {
  const t0 = process.hrtime.bigint();
  const seen: number[] = [];
  const stop = everySecond(t0, (ns) => seen.push(ns));
  t.after(stop);
  // Block the event loop across the first two seconds, by the ticker's own clock (Date.now() is the wall clock,
  // which can be slewed against it: a run here ended this loop at 2.290 s by hrtime).
  const until = t0 + 2_300_000_000n;
  while (process.hrtime.bigint() < until);
  await new Promise((r) => setTimeout(r, 900));
  assert.equal(seen.length, 2, `${seen}`);
  assert.ok(seen[0]! >= 2.3e9 && seen[1]! >= 3e9, `${seen}`);
  stop();
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(seen.length, 2, 'nothing after stop()');
});

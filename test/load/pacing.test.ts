// choosePacing: native where it can be (the own transport, a --rate, plain
// TCP, the addon built), else the event loop with the reason; --pacing native
// where it cannot be is refused as bad input, naming why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { choosePacing } from '../../src/load/connect-load.js';
import { pacingUnavailable } from '../../src/load/transport/paced-wire.js';

const plain = { endpoints: ['http://127.0.0.1:2379'] };
const tls = { endpoints: ['http://127.0.0.1:2379', 'https://10.0.0.2:2379'] };
const own = { pacing: 'auto', transport: 'own', rate: 500, workers: 1 } as const;

test('auto: native for an open loop on the own transport over plain TCP, else the event loop and why', () => {
  const addon = pacingUnavailable();
  assert.deepEqual(
    choosePacing(own, plain).pacing,
    addon === null ? 'native' : 'event-loop',
    'plain TCP at a rate: native when the addon is built',
  );
  assert.match(choosePacing(own, tls).why, /TLS connections run in Node/);
  assert.equal(choosePacing(own, tls).pacing, 'event-loop');
  assert.match(choosePacing({ ...own, rate: 0 }, plain).why, /a closed loop/);
  assert.match(choosePacing({ ...own, transport: 'grpc-js' }, plain).why, /grpc-js sends from the event loop/);
  if (addon === null) {
    // Above AUTO_PACED_MAX_RATE a thread the event loop is cheaper; two threads share the rate.
    assert.equal(choosePacing({ ...own, rate: 8000, workers: 2 }, plain).pacing, 'event-loop');
    assert.match(choosePacing({ ...own, rate: 8000, workers: 2 }, plain).why, /4000 requests\/s a thread: above 2000/);
    assert.equal(choosePacing({ ...own, rate: 4000, workers: 2 }, plain).pacing, 'native');
    assert.equal(choosePacing({ ...own, rate: 8000, workers: 2, pacing: 'native' }, plain).pacing, 'native');
  }
  assert.deepEqual(choosePacing({ ...own, pacing: 'event-loop' }, plain), {
    pacing: 'event-loop',
    why: '--pacing event-loop',
  });
});

test('--pacing native where it cannot be: a usage error naming the option and the reason', () => {
  for (const [o, conn, why] of [
    [{ ...own, pacing: 'native' }, tls, /TLS connections run in Node/],
    [{ ...own, pacing: 'native', rate: 0 }, plain, /a closed loop/],
    [{ ...own, pacing: 'native', transport: 'grpc-js' }, plain, /grpc-js/],
  ] as const) {
    assert.throws(
      () => choosePacing(o, conn),
      (e: unknown) =>
        e instanceof UsageError && /^--pacing native: not possible here: /.test(e.message) && why.test(e.message),
    );
  }
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  abiMismatch,
  COUNTER_NAMES,
  EVENT_DONE,
  EVENT_FAILED,
  EVENT_FOLDED,
  EVENT_PREPARED,
  EVENT_SAMPLES,
  NATIVE_ABI_VERSION,
  STREAM_NAMES,
} from '../../src/native/abi.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

const good = {
  abiVersion: NATIVE_ABI_VERSION,
  counterNames: [...COUNTER_NAMES],
  streamNames: [...STREAM_NAMES],
  sampleStride: SAMPLE_STRIDE,
};

test('an addon that matches is accepted; a stale or foreign build is refused with how to fix it', () => {
  assert.equal(abiMismatch(good), null);
  assert.match(
    abiMismatch({ ...good, abiVersion: undefined })!,
    new RegExp(`ABI none, this code needs ${NATIVE_ABI_VERSION}\\); rebuild it with: npm run build`),
  );
  assert.match(abiMismatch({ ...good, abiVersion: 1 })!, /ABI 1/);
  assert.match(abiMismatch({ ...good, sampleStride: 4 })!, /sample stride 4 is not 5/);
  assert.match(abiMismatch({ ...good, counterNames: ['segments', 'cuts'] })!, /reports counters \[segments, cuts\]/);
  assert.match(abiMismatch({ ...good, streamNames: ['seq', 'wal'] })!, /reports streams \[seq, wal\]/);
});

test('native/src/abi.h declares the same version, event kinds, streams and counters as native/abi.ts', () => {
  const h = readFileSync(join(PACKAGE_ROOT, 'native', 'src', 'abi.h'), 'utf8');
  assert.equal(Number(/ABI_VERSION = (\d+);/.exec(h)?.[1]), NATIVE_ABI_VERSION);
  const byConstant = Object.fromEntries(
    [...h.matchAll(/constexpr const char\* (k\w+) = "(\w+)";/g)].map((m) => [m[1]!, m[2]!]),
  );
  const list = /COUNTER_NAMES\[\] = \{([^}]*)\}/
    .exec(h)![1]!
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  assert.deepEqual(
    list.map((c) => byConstant[c.replace('counter::', '')]),
    [...COUNTER_NAMES],
  );
  const kinds = /enum EventKind : int \{([^}]*)\}/.exec(h)![1]!;
  assert.deepEqual(
    [...kinds.matchAll(/k(\w+) = (\d+)/g)].map((m) => [m[1], Number(m[2])]),
    [
      ['Prepared', EVENT_PREPARED],
      ['Samples', EVENT_SAMPLES],
      ['Done', EVENT_DONE],
      ['Failed', EVENT_FAILED],
      ['Folded', EVENT_FOLDED],
    ],
  );
  const streams = /STREAM_NAMES\[\] = \{([^}]*)\}/.exec(h)![1]!;
  assert.deepEqual(
    [...streams.matchAll(/"(\w+)"/g)].map((m) => m[1]),
    [...STREAM_NAMES],
  );
});

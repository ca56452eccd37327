import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { abiMismatch, COUNTER_NAMES, NATIVE_ABI_VERSION } from '../../src/native/abi.js';
import { SAMPLE_STRIDE } from '../../src/stats/samples.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

const good = { abiVersion: NATIVE_ABI_VERSION, counterNames: [...COUNTER_NAMES], sampleStride: SAMPLE_STRIDE };

test('an addon that matches is accepted; a stale or foreign build is refused with how to fix it', () => {
  assert.equal(abiMismatch(good), null);
  assert.match(
    abiMismatch({ ...good, abiVersion: undefined })!,
    /ABI none, this code needs 3\); rebuild it with: npm run build/,
  );
  assert.match(abiMismatch({ ...good, abiVersion: 1 })!, /ABI 1/);
  assert.match(abiMismatch({ ...good, sampleStride: 4 })!, /sample stride 4 is not 5/);
  assert.match(abiMismatch({ ...good, counterNames: ['segments', 'cuts'] })!, /reports counters \[segments, cuts\]/);
});

test('native/src/abi.h declares the same version and counters as native/abi.ts', () => {
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
});

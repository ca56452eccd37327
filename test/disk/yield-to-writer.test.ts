import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { YIELD_NICE, yieldToWriter } from '../../src/disk/yield-to-writer.js';

test('without root the JS thread is left as it was: it could not be put back', () => {
  const before = getPriority(0);
  const y = yieldToWriter(false);
  assert.equal(y.niceDuring, null);
  assert.equal(getPriority(0), before);
  y.restore();
  assert.equal(getPriority(0), before);
});

test('as root the JS thread yields while the writer runs, and gets its priority back', {
  skip: process.geteuid?.() !== 0,
}, () => {
  const before = getPriority(0);
  const y = yieldToWriter(true);
  assert.equal(y.niceDuring, Math.max(before, YIELD_NICE));
  assert.equal(getPriority(0), y.niceDuring);
  y.restore();
  assert.equal(getPriority(0), before);
});

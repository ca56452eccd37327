import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median } from '../../bench/median.js';

test('the median: the middle value, the mean of the middle two, finite values only', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([Number.NaN, 5, 1, Number.POSITIVE_INFINITY]), 3);
  assert.ok(Number.isNaN(median([])));
});

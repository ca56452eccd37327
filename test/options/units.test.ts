import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  formatDuration,
  formatSize,
  parseBool,
  parseCount,
  parseDuration,
  parseRate,
  parseSize,
} from '../../src/options/units.js';

test('sizes: fio spellings are binary multiples', () => {
  assert.equal(parseSize('2300'), 2300);
  assert.equal(parseSize('4k'), 4096);
  assert.equal(parseSize('22m'), 22 * 1048576);
  assert.equal(parseSize('22MiB'), 22 * 1048576);
  assert.equal(parseSize('22MB'), 22 * 1048576);
  assert.equal(parseSize('1g'), 1073741824);
  assert.equal(parseSize('1.5k'), 1536);
  assert.equal(parseSize('2300B'), 2300);
  for (const bad of ['', 'abc', '-1', '22q', '1.5', '4 kk', '1e3']) assert.equal(parseSize(bad), null, bad);
});

test('durations: bare numbers are seconds, units compose', () => {
  assert.equal(parseDuration('60'), 60e9);
  assert.equal(parseDuration('60s'), 60e9);
  assert.equal(parseDuration('500ms'), 500e6);
  assert.equal(parseDuration('10m'), 600e9);
  assert.equal(parseDuration('1h'), 3600e9);
  assert.equal(parseDuration('1m30s'), 90e9);
  assert.equal(parseDuration('7d'), 7 * 86400e9);
  assert.equal(formatDuration(7 * 86400e9), '7 d');
  assert.equal(formatDuration(36 * 3600e9), '36 h');
  assert.equal(parseDuration('250us'), 250e3);
  assert.equal(parseDuration('0'), 0);
  for (const bad of ['', 's', '10x', '-5s', '10 20', '1.2.3s']) assert.equal(parseDuration(bad), null, bad);
});

test('counts, rates and booleans', () => {
  assert.equal(parseCount('10k'), 10000);
  assert.equal(parseCount('7'), 7);
  assert.equal(parseCount('1.5'), null);
  assert.equal(parseRate('500/s'), 500);
  assert.equal(parseRate('2k'), 2000);
  assert.equal(parseRate('0.5'), 0.5);
  assert.equal(parseRate('fast'), null);
  assert.equal(parseBool('1'), true);
  assert.equal(parseBool('off'), false);
  assert.equal(parseBool('maybe'), null);
});

test('formatting prints back what a reader expects', () => {
  assert.equal(formatSize(2300), '2300 B');
  assert.equal(formatSize(22 * 1048576), '22 MiB');
  assert.equal(formatSize(1536), '1536 B'); // exact, never rounded
  assert.equal(formatDuration(60e9), '1 min');
  assert.equal(formatDuration(10e6), '10 ms');
  assert.equal(formatDuration(1.5e9), '1.5 s');
});

// The network lab's per-link checks: which figure decides, and each figure said once in a line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BucketQuantile } from '../../src/etcd/prometheus.js';
import { linkChecks } from '../../src/lab/link-checks.js';
import type { PeerLink } from '../../src/lab/network-result.js';

const LIMIT = 50e6;
const q = (lowerMs: number, upperMs: number): BucketQuantile => ({
  lowerNs: lowerMs * 1e6,
  upperNs: upperMs * 1e6,
  estimateNs: ((lowerMs + upperMs) / 2) * 1e6,
  text: `${lowerMs}-${upperMs} ms`,
});
const link = (count: number, p99: BucketQuantile | null, roundTripMs: number | null, delayed = 1000): PeerLink => ({
  from: 'm0',
  to: 'm1',
  count,
  p50: p99,
  p99,
  added: { chunks: 1000, delayedChunks: delayed, roundTripNs: roundTripMs === null ? null : roundTripMs * 1e6 },
});
const times = (text: string, part: string) => text.split(part).length - 1;

test("etcd's figure decides with two recorded: named as etcd's, its range not repeated in the note", () => {
  const [c] = linkChecks([link(2, q(6.4, 12.8), 41.5)], LIMIT);
  assert.equal(c?.status, 'pass');
  assert.equal(c?.range, '6.4-12.8 ms');
  assert.equal(
    c?.note,
    "etcd's own (2 recorded); the proxies added 41.5 ms per round trip (twice the 20.8 ms one " +
      'way, p50 of 1000 chunks)',
  );
  assert.equal(times(c?.note ?? '', '6.4-12.8'), 0);
});

test("the proxies' figure at the limit fails the link, whatever etcd recorded; 62 ms said once", () => {
  const [c] = linkChecks([link(2, q(6.4, 12.8), 62)], LIMIT);
  assert.equal(c?.status, 'fail');
  assert.equal(c?.measured, 62e6);
  assert.match(c?.note ?? '', /^the proxies' added round trip \(twice the 31\.0 ms one way, p50 of 1000 chunks\); /);
  assert.match(c?.note ?? '', /etcd's own p99 6\.4-12\.8 ms \(2 recorded\)$/);
  assert.equal(times(c?.note ?? '', '62.0'), 0);
});

test("one of etcd's samples is too few: the proxies judge, and the note says how long to run", () => {
  const [c] = linkChecks([link(1, q(6.4, 12.8), 41.5)], LIMIT);
  assert.equal(c?.status, 'pass');
  assert.equal(c?.measured, 41.5e6);
  assert.match(c?.note ?? '', /^the proxies' added round trip .*; etcd's own p99 6\.4-12\.8 ms \(1 recorded\); /);
  assert.match(c?.note ?? '', /--runtime of at least 65s$/);
});

test('an undelayed link that etcd found slow fails on etcd, and says the proxies held nothing back', () => {
  const [c] = linkChecks([link(2, q(51.2, 102.4), 0, 0)], LIMIT);
  assert.equal(c?.status, 'fail');
  assert.equal(c?.note, "etcd's own (2 recorded); the proxies held back none of its 1000 chunks");
});

test('with neither figure the link is not run, and says why', () => {
  const [c] = linkChecks([{ ...link(0, null, null), added: null }], LIMIT);
  assert.equal(c?.status, 'not-run');
  assert.equal(c?.measured, null);
  assert.match(c?.note ?? '', /^the proxies saw no traffic on this link; etcd recorded no round trip of its own; /);
});

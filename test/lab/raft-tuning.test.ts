// The tuning advice: etcd's guide for a round trip, and an election timeout
// that outlasts a link's longest silence when there was one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { raftTuning } from '../../src/lab/raft-tuning.js';

test('a short round trip keeps the defaults; 200 ms gets 200/2000 (10x); 20 s stops at 50 s', () => {
  const a = raftTuning(2e6, 'rtt');
  assert.deepEqual([a.heartbeatMs, a.electionMs], [100, 1000]);
  assert.match(a.text, /defaults fit/);
  const b = raftTuning(201e6, 'rtt');
  assert.deepEqual([b.heartbeatMs, b.electionMs], [210, 2100]);
  assert.match(b.text, /--heartbeat-interval=210 --election-timeout=2100/);
  assert.equal(raftTuning(20e9, 'rtt').electionMs, 50_000);
});

test('a silence longer than the election timeout raises it: 1.25x the silence plus two heartbeats', () => {
  // 0 ms delay, 1.5 s stalls: 1875 + 200 -> 2100.
  const a = raftTuning(1e6, 'rtt', 1.5e9);
  assert.deepEqual([a.heartbeatMs, a.electionMs], [100, 2100]);
  assert.match(a.text, /longest silence measured on a link, 1500 ms/);
  assert.match(a.text, /1000 ms would do for the round trip alone/);
  // 100 ms one way and the same stalls: 1.25 x 1.6 s + 2 x 210 ms = 2420 -> 2500.
  assert.equal(raftTuning(201e6, 'rtt', 1.6e9).electionMs, 2500);
  // A silence the round trip's rule covers changes nothing.
  const c = raftTuning(201e6, 'rtt', 150e6);
  assert.equal(c.electionMs, 2100);
  assert.doesNotMatch(c.text, /silence/);
});

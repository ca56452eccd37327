// Sizing the etcd phase from a cluster's figures: the rate, the values, the
// objects and what is written beforehand, the mix, and what is said.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import type { ClusterFigures, LikeFigure } from '../../src/like/cluster-figures.js';
import { PER_KEY_OVERHEAD, sizeLoad } from '../../src/like/size-load.js';

const DEFAULTS = {
  kubeMix: 'create:10,update:60,delete:10,event:20',
  kubeObjects: 1000,
  kubeValueSize: { min: 500, max: 4000 },
};
const ROOM = { freeBytes: 100 * 1024 ** 3, quotaBytes: 2 * 1024 ** 3 };

function figures(values: Partial<Record<LikeFigure['id'], number | null>>): ClusterFigures {
  const ids: LikeFigure['id'][] = [
    'write-rate-peak',
    'write-rate-p99',
    'write-rate-mean',
    'puts',
    'deletes',
    'keys-gained',
    'keys',
    'db-in-use',
  ];
  return {
    source: { kind: 'prometheus', url: 'http://prom:9090' },
    name: 'prom:9090',
    window: { seconds: 7 * 86400, endMs: 0, resolutionSeconds: 60 },
    ratePoints: 10080,
    members: 3,
    figures: ids.map((id) => ({ id, value: values[id] ?? null, unit: 'ops', metric: 'm', query: `q ${id}` })),
  };
}

test('the rate is the peak times the headroom, and the words say where it came from', () => {
  const s = sizeLoad(figures({ 'write-rate-peak': 212.4, 'write-rate-p99': 180 }), 2, ROOM, DEFAULTS, 30);
  assert.equal(s.run.rate, 425);
  assert.equal(s.headroom, 2);
  assert.equal(s.words, 'sized from prom:9090 over 7 d: peak 212.4 writes/s, ×2 = 425/s');
  assert.equal(s.figures.length, 8, 'every figure is kept with its query');
  assert.equal(s.figures.find((f) => f.id === 'write-rate-peak')!.query, 'q write-rate-peak');
});

test('without keys or database size, the profile values stay and the notes say so', () => {
  const s = sizeLoad(figures({ 'write-rate-peak': 50 }), 1.5, ROOM, DEFAULTS, 30);
  assert.deepEqual(s.run, {
    rate: 75,
    kubeMix: DEFAULTS.kubeMix,
    kubeObjects: 1000,
    kubeValueSize: DEFAULTS.kubeValueSize,
    kubePrefill: 0,
  });
  assert.ok(
    s.notes.some((n) => /no key count or database size/.test(n)),
    s.notes.join('; '),
  );
  assert.ok(
    s.notes.some((n) => /mix create:10,update:60,delete:10,event:20 is kept/.test(n)),
    s.notes.join('; '),
  );
});

test('values average the database in use over the keys; the keys are the objects, all written beforehand', () => {
  const s = sizeLoad(
    figures({ 'write-rate-peak': 100, keys: 40_000, 'db-in-use': 40_000 * 2000 }),
    2,
    ROOM,
    DEFAULTS,
    30,
  );
  assert.deepEqual(s.run.kubeValueSize, { min: 1000, max: 3000 });
  // The default mix creates 10 % of 200/s for 30 s: 600 names beside the cluster's 40,000.
  assert.equal(s.run.kubeObjects, 40_600);
  assert.equal(s.run.kubePrefill, 40_000);
});

test('what is written beforehand fits a quarter of the free space and half the quota, and is said', () => {
  const room = { freeBytes: 4 * 10_000 * (2000 + PER_KEY_OVERHEAD), quotaBytes: 2 * 1024 ** 3 };
  const s = sizeLoad(
    figures({ 'write-rate-peak': 100, keys: 50_000, 'db-in-use': 50_000 * 2000 }),
    2,
    room,
    DEFAULTS,
    30,
  );
  assert.equal(s.run.kubeObjects, 50_600);
  assert.equal(s.run.kubePrefill, 10_000);
  assert.ok(
    s.notes.some((n) => /^10000 of the cluster's 50000 keys are written beforehand/.test(n)),
    s.notes.join('; '),
  );
  const quota = sizeLoad(
    figures({ 'write-rate-peak': 100, keys: 2_000_000, 'db-in-use': 2_000_000 * 2000 }),
    2,
    ROOM,
    DEFAULTS,
    30,
  );
  assert.equal(quota.run.kubePrefill, Math.floor(1024 ** 3 / (2000 + PER_KEY_OVERHEAD)));
});

test('the mix: creates are the deletes plus the keys gained, the rest of the puts updates and events 3:1', () => {
  const s = sizeLoad(
    figures({ 'write-rate-peak': 100, puts: 9000, deletes: 1000, 'keys-gained': 1000 }),
    2,
    ROOM,
    DEFAULTS,
    30,
  );
  // creates 2000, updates 5250, events 1750, deletes 1000, of 10,000 writes
  assert.equal(s.run.kubeMix, 'create:20,update:52.5,delete:10,event:17.5');
});

test('a cluster that committed nothing, or no figure at all, sizes nothing: exit 2', () => {
  for (const peak of [0, null])
    assert.throws(
      () => sizeLoad(figures({ 'write-rate-peak': peak }), 2, ROOM, DEFAULTS, 30),
      (e: unknown) => e instanceof UsageError && /committed no writes over the last 7 d/.test(e.message),
    );
});

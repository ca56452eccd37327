import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Measured } from '../../bench/fio-runner.js';
import { compareWithNeighbours, summarise, type Target } from '../../bench/neighbour-ratios.js';

const run = (tool: string, p50Ns: number, p99Ns = p50Ns * 2): Measured => ({
  tool,
  ops: 100,
  p50Ns,
  p99Ns,
  p999Ns: p99Ns * 2,
  p9999Ns: p99Ns * 4,
  samples: 100,
  pid: 0,
  meanNs: p50Ns,
  iops: 1000,
  wallPerOpNs: p50Ns + 10,
});
const targets: Target[] = [
  { name: 'p50', of: (m) => m.p50Ns, within: 0.05 },
  { name: 'p99', of: (m) => m.p99Ns, within: 0.1 },
];

test('each run is divided by the geometric mean of the fio runs around it', () => {
  // fio drifts 100 -> 400 -> 100; ours sits at the geometric mean of its neighbours
  const runs = [run('fio', 100), run('native', 200), run('fio', 400), run('js', 440, 880), run('fio', 100)];
  const c = compareWithNeighbours(runs, targets);
  assert.equal(c.length, 2);
  assert.deepEqual(
    c.map((x) => [x.index, x.run.tool]),
    [
      [2, 'native'],
      [4, 'js'],
    ],
  );
  assert.equal(c[0]!.fio.p50Ns, 200);
  assert.equal(c[0]!.ratios.p50, 1);
  assert.equal(c[1]!.fio.p99Ns, 400);
  assert.equal(c[1]!.ratios.p50, 2.2);
  assert.equal(c[1]!.ratios.p99, 2.2);
});

test('a sequence that does not alternate with fio is refused', () => {
  assert.throws(
    () => compareWithNeighbours([run('fio', 1), run('native', 1), run('js', 1)], targets),
    /run 2 is not between two fio runs/,
  );
});

test('the summary gives median, min, max and whether the target is met at its edge', () => {
  const runs = [
    run('fio', 100),
    run('native', 105, 200),
    run('fio', 100),
    run('native', 90, 221),
    run('fio', 100),
    run('native', 101, 190),
    run('fio', 100),
  ];
  const s = summarise(compareWithNeighbours(runs, targets), targets);
  assert.equal(s.runs, 3);
  const [p50, p99] = s.cells;
  assert.deepEqual([p50!.median, p50!.min, p50!.max], [1.01, 0.9, 1.05]);
  assert.equal(p50!.met, true);
  assert.equal(p99!.median, 1);
  assert.equal(p99!.max, 1.105);
  // an even count takes the mean of the middle two; 1.05 is still within 5 %, 1.06 is not
  const even = (a: number, b: number) =>
    summarise(
      compareWithNeighbours([run('fio', 100), run('x', a), run('fio', 100), run('x', b), run('fio', 100)], targets),
      targets,
    ).cells[0]!;
  assert.deepEqual([even(104, 106).median, even(104, 106).met], [1.05, true]);
  assert.deepEqual([even(105, 107).median, even(105, 107).met], [1.06, false]);
  assert.equal(even(90, 100).met, true);
  assert.equal(even(89, 100).met, false);
});

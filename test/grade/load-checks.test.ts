// A load's checks: each one has a limit to judge by; a figure with no limit
// (a closed loop's throughput, a latency bound the profile leaves at 0) is
// not printed as a check at all.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadChecks } from '../../src/grade/load-checks.js';
import type { LoadOptions } from '../../src/load/load-option-values.js';
import type { LoadResult } from '../../src/load/load-result.js';

const result = (rateTarget: number, answered: number) =>
  ({
    totals: { failed: 0, answered, achievedPerSec: 480 },
    latency: { response: { maxNs: 40e6, stddevNs: 2e6, p99Ns: 12e6 } },
    workload: { rateTarget },
  }) as unknown as Pick<LoadResult, 'totals' | 'latency' | 'workload'>;
const limits = (o: Partial<LoadOptions>) =>
  ({ maxErrors: 0, minThroughputPercent: 90, putMaxLimit: 0, putStddevLimit: 0, putP99Limit: 0, ...o }) as LoadOptions;

test('a closed loop with no latency limits has one check: failed requests', () => {
  const checks = loadChecks(result(0, 1000), limits({}));
  assert.deepEqual(
    checks.map((c) => [c.id, c.status]),
    [['errors', 'pass']],
  );
});

test('an open loop with every limit set: each judged by its own limit', () => {
  const checks = loadChecks(result(500, 1000), limits({ putMaxLimit: 30e6, putStddevLimit: 5e6, putP99Limit: 100e6 }));
  assert.deepEqual(
    checks.map((c) => [c.id, c.status, c.limit]),
    [
      ['errors', 'pass', 0],
      ['throughput', 'pass', 450],
      ['slowest', 'fail', 30e6],
      ['stddev', 'pass', 5e6],
      ['request-p99', 'pass', 100e6],
    ],
  );
});

test('no request answered: the latency checks are not run, the errors check fails', () => {
  const checks = loadChecks(result(500, 0), limits({ putP99Limit: 100e6 }));
  assert.deepEqual(
    checks.map((c) => [c.id, c.status]),
    [
      ['errors', 'fail'],
      ['throughput', 'pass'],
      ['request-p99', 'not-run'],
    ],
  );
});

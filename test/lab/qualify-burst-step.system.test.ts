// qualify on a burst-credit volume (slowfs with a token bucket): a WAL phase
// long enough to drain it finds the step, when the --volume arithmetic says
// it would. The bucket is set as the WAL phase begins (the fio phase before it
// would otherwise spend it), and sized from the demand of its first seconds.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { forecastBurst } from '../../src/grade/burst-forecast.js';
import type { DeviceIo } from '../../src/host/device-io.js';
import { mountSlowfs } from '../../src/lab/slowfs.js';
import { parseVolume } from '../../src/options/volume.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { startCli, waitFor } from '../helpers/cli.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const BASELINE = 100;
/** The second of the WAL phase the bucket is sized to empty at. */
const EMPTY_AT = 12;

test('a WAL phase that drains a small bucket: the step is found where the forecast puts the drain', {
  skip: needs('root', 'slowfs'),
}, async (t) => {
  const cleanup = new CleanupRegistry();
  t.after(() => cleanup.drain());
  const root = tempDir('edb-qburst-');
  mkdirSync(join(root, 'back'));
  mkdirSync(join(root, 'mnt'));
  const fs = await mountSlowfs(join(root, 'back'), join(root, 'mnt'), { fsyncDelayUs: 0 }, cleanup);
  const out = join(tempDir('edb-qburst-out-'), 'q.json');
  const run = startCli(
    ['qualify', '--dir', fs.mountPoint, '--out', out, '--fio-runtime', '2s', '--wal-runtime', '40s'].concat([
      '--etcd-runtime',
      '0',
      '--step-baseline',
      '5s',
    ]),
    180_000,
  );
  let stderr = '';
  run.child.stderr!.on('data', (d) => (stderr += d));
  await waitFor(() => /phase 2\/3 \(wal/.test(stderr), 60_000);
  const line = performance.now();
  const since = () => (performance.now() - line) / 1000;
  // A bucket too big to empty, to measure what the WAL phase takes a second...
  fs.set({ fsyncDelayUs: 0, bucket: { size: 100_000_000, rate: BASELINE } });
  const used = () => fs.status().writes! + fs.status().syncs!;
  const u0 = used();
  const t0 = since();
  await new Promise((r) => setTimeout(r, 2000));
  const setAt = since();
  const demand = (used() - u0) / (setAt - t0);
  // ...then the credits that last until second EMPTY_AT at that demand: a custom volume of that bucket, and its
  // forecast by the --volume arithmetic, fed slowfs' own count (the "device" a FUSE mount has).
  const credits = Math.round((EMPTY_AT - setAt) * (demand - BASELINE));
  fs.set({ fsyncDelayUs: 0, bucket: { size: credits, rate: BASELINE } });
  const model = parseVolume(`custom:baseline=${BASELINE},burst=1000000,credits=${credits}`)!;
  const io: DeviceIo = {
    available: true,
    devices: ['slowfs'],
    elapsedNs: (setAt - t0) * 1e9,
    perSecond: [],
    totals: { writes: Math.round(demand * (setAt - t0)), flushes: 0, bytesWritten: 0, reads: 0 },
    writeIops: Math.round(demand),
  };
  const forecast = forecastBurst(model, io, 'the WAL phase');
  const forecastSecond = setAt + forecast.minutesToEmpty! * 60;
  // When it really emptied, read from the bucket every 100 ms.
  let drained: number | null = null;
  while (drained === null && since() < 60) {
    if (fs.status().bucket_level! <= 0) drained = since();
    else await new Promise((r) => setTimeout(r, 100));
  }
  const r = await run.done;
  fs.set({ fsyncDelayUs: 0, bucket: { size: 0, rate: 0 } });
  const report = JSON.parse(readFileSync(out, 'utf8')) as QualifyReport;
  const wal = report.phases.wal.result as DiskResult;
  const step = wal.stepChange.findings.find((f) => f.kind === 'step');
  // The phase's seconds count from the end of its preparation (the segments laid out), after the progress line.
  const drainedInPhase = drained === null ? null : drained - wal.prepareNs / 1e9;
  t.diagnostic(
    `demand ${Math.round(demand)} credits/s, bucket ${credits}: forecast empty ${forecastSecond.toFixed(1)} s ` +
      `after the phase began, emptied ${drained?.toFixed(1)} s (second ${drainedInPhase?.toFixed(1)} of its ` +
      `measured run); found: ${JSON.stringify(wal.stepChange.findings)}`,
  );
  assert.ok(demand > BASELINE * 5, `the WAL phase takes ${Math.round(demand)} credits a second`);
  assert.ok(drained !== null, 'the bucket emptied');
  // The forecast holds for the demand it was given; a host that slowed the writer meanwhile (steal, a busy run queue)
  // changes the demand, and then the drain follows the demand the writer really had.
  const heldDemand = BASELINE + credits / Math.max(0.1, drained - setAt);
  const check = report.checks.find((c) => c.id === 'latency-over-time')!;
  if (Math.abs(heldDemand / demand - 1) > 0.2) {
    // The host slowed the writer (its latency then steps by itself): the drain, and what the detector finds first,
    // follow the host; the phase must still fail over time.
    t.diagnostic(`the demand moved from ${Math.round(demand)} to ${Math.round(heldDemand)} credits/s meanwhile`);
    assert.ok(wal.stepChange.findings.length > 0, 'a change was found');
    assert.equal(check.status, 'fail', check.note);
    return;
  }
  assert.ok(
    Math.abs(drained - forecastSecond) <= 0.3 * forecastSecond,
    `emptied at ${drained.toFixed(1)} s, forecast ${forecastSecond.toFixed(1)} s`,
  );
  assert.ok(step, `no step found: ${wal.stepChange.reason ?? wal.stepChange.detectable}`);
  // A step is reported from the first whole second it covers.
  assert.ok(
    step.startSecond >= drainedInPhase! - 1.5 && step.startSecond <= drainedInPhase! + 2,
    `step at second ${step.startSecond}, emptied at second ${drainedInPhase!.toFixed(1)}`,
  );
  assert.equal(check.status, 'fail', check.note);
  assert.equal(r.code, 1, r.stderr);
  assert.deepEqual(
    listing(fs.mountPoint).filter((f) => f !== '.slowfs'),
    [],
  );
});

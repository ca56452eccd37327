import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostSampler } from '../../src/host/host-sampler.js';
import {
  parseCpuTicks,
  parseMemAvailable,
  parsePressure,
  parseSchedstat,
  readCpuTicks,
} from '../../src/host/proc-readers.js';

test('/proc readers parse the exact formats, and say null for what is missing', () => {
  assert.deepEqual(parseCpuTicks('cpu  5076 1 2572 28025 440 3 67 9 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\n'), {
    user: 5076,
    nice: 1,
    system: 2572,
    idle: 28025,
    iowait: 440,
    irq: 3,
    softirq: 67,
    steal: 9,
    cpus: 1,
  });
  assert.equal(parseCpuTicks('intr 1 2 3\n'), null);
  assert.deepEqual(
    parsePressure(
      'some avg10=20.06 avg60=8.16 avg300=2.85 total=11252985\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n',
    ),
    { someUs: 11252985, fullUs: 0 },
  );
  assert.deepEqual(parsePressure('some avg10=1.00 avg60=0.00 avg300=0.00 total=42\n'), { someUs: 42, fullUs: null });
  assert.equal(parsePressure(''), null);
  assert.equal(parseMemAvailable('MemTotal:       24000000 kB\nMemAvailable:   20000000 kB\n'), 20000000 * 1024);
  assert.deepEqual(parseSchedstat('104531809 53483039 283\n'), { runNs: 104531809, waitNs: 53483039, timeslices: 283 });
  assert.equal(parseSchedstat('garbage'), null);
});

test('the sampler reads this host: one row a second, its own CPU, a watched thread', async () => {
  if (!readCpuTicks()) return;
  const s = new HostSampler();
  s.start();
  s.watchThread('main', process.pid);
  // Keep this thread busy (about one core) in slices, so the sampler's timer still fires between them.
  const end = Date.now() + 2300;
  while (Date.now() < end) {
    const slice = Date.now() + 50;
    while (Date.now() < slice) Math.sqrt(Math.random());
    await new Promise((r) => setImmediate(r));
  }
  const e = s.stop();
  // What a busy host changes is how much CPU the spinner got, not whether the readings agree: the process's CPU
  // holds its spinning thread's, and the host was at least as busy as this process.
  assert.ok(e.seconds >= 1 && e.seconds <= 3, `${e.seconds} rows`);
  // Rows are the run's seconds only (start()'s rehearsal of the path is not one), and the totals are their sums.
  assert.deepEqual(
    e.perSecond.map((r) => r.second),
    [...Array(e.seconds).keys()],
  );
  const main = e.threads.main;
  const waits = e.perSecond.map((r) => r.threadWaitNs.main ?? 0);
  assert.equal(
    main?.waitNs,
    waits.reduce((a, x) => a + x, 0),
  );
  assert.ok(main !== undefined && main.runNs > 0.1e9, `the watched thread ran ${main?.runNs} ns`);
  const processSeconds = e.processCores!.mean * e.seconds;
  assert.ok(processSeconds >= 0.7 * Math.min(main.runNs / 1e9, e.seconds), `process ${processSeconds} s`);
  assert.ok(e.cpuBusy!.max > 0 && e.cpuBusy!.max <= 1, `busy ${e.cpuBusy!.max}`);
  // Busy is the wall time not idle: it holds this process's exact CPU, whatever else runs on the host.
  assert.ok(
    e.cpuBusy!.mean * e.cpus >= 0.8 * e.processCores!.mean,
    `the host (${e.cpuBusy!.mean} of ${e.cpus} CPUs) at least as busy as this process (${e.processCores!.mean} cores)`,
  );
  assert.equal(e.perSecond.length, e.seconds);
});

test("a reading taken late covers its seconds: the rows after it keep the run's clock, not a label back", async () => {
  if (!readCpuTicks()) return;
  const s = new HostSampler();
  s.start();
  await new Promise((r) => setTimeout(r, 1300));
  // The JS thread held for 2.3 s: no reading can be taken meanwhile, the next one closes at 3.5 s or later.
  const end = Date.now() + 2300;
  while (Date.now() < end) Math.sqrt(Math.random());
  await new Promise((r) => setTimeout(r, 50));
  const e = s.stop();
  const labels = e.perSecond.map((r) => r.second);
  assert.ok(
    labels.every((x, i) => i === 0 || x > labels[i - 1]!),
    `labels rise: ${labels}`,
  );
  assert.ok(labels.length >= 2 && labels.length <= 4, `${labels.length} readings`);
  assert.ok(labels[1]! >= 2, `the reading after the hold stands for second 2 or later, not 1: ${labels}`);
});

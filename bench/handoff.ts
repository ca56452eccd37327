// npm run bench:handoff — what handing samples to JavaScript costs the
// measurement. The native writer on one directory, alternating: batches of
// 4096 ops / 100 ms (the default) against one thread-safe-function call per
// operation, and against one hand-over at the very end (JS idle during the
// run), with fio's recipe as the reference in every round.
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { WriterConfig } from '../src/disk/engine.js';
import { loadNativeAddon, nativeEngine } from '../src/disk/native-engine.js';
import { DiskRecorder } from '../src/stats/disk-recorder.js';
import { runFio } from './fio-runner.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const loaded = loadNativeAddon();
if (!('addon' in loaded)) throw loaded.error;
const engine = nativeEngine(loaded.addon);

interface Row {
  variant: string;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  wallPerOpNs: number;
  batches: number;
}

async function ours(dir: string, variant: string, batchOps: number, flushIntervalNs: number): Promise<Row> {
  const c: WriterConfig = {
    path: join(dir, `f-${variant}-${Date.now()}`),
    blockSize: 2300,
    fileSize: 22 << 20,
    timeBased: false,
    durationNs: 0,
    syncMethod: 'fdatasync',
    syncEvery: 1,
    direct: false,
    prepare: 'fallocate',
    rateOpsPerSec: 0,
    batchOps,
    flushIntervalNs,
  };
  const rec = new DiskRecorder();
  let batches = 0;
  const h = engine.start(c, {
    onSamples: (b, stream) => {
      if (stream === 'slowop') return; // the slow operations again, as their own stream
      batches++;
      rec.add(b);
    },
  });
  const s = await h.done;
  rmSync(c.path);
  const st = rec.finish(s.elapsedNs).summaries.sync;
  return { variant, p50Ns: st.p50Ns, p99Ns: st.p99Ns, p999Ns: st.p999Ns, wallPerOpNs: s.elapsedNs / s.ops, batches };
}

const dir = mkdtempSync(join(base, 'edb-handoff-'));
const rows: Row[][] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    const f = runFio(dir, '22m');
    rows.push([
      { variant: 'fio', p50Ns: f.p50Ns, p99Ns: f.p99Ns, p999Ns: f.p999Ns, wallPerOpNs: f.wallPerOpNs, batches: 0 },
      await ours(dir, 'batched', 4096, 100e6),
      await ours(dir, 'at-end', 1 << 20, 1e12),
      await ours(dir, 'per-op', 1, 0),
    ]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const us = (ns: number) => (ns / 1000).toFixed(1);
console.log(`## bench:handoff on ${base}: fio recipe (22 MiB, 2300 B, fdatasync each)\n`);
console.log(
  '| round | variant | JS calls | sync p50 us | sync p99 us | sync p99.9 us | wall/op us | wall / fio | p99 / fio |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
rows.forEach((r, i) => {
  for (const x of r)
    console.log(
      `| ${i + 1} | ${x.variant} | ${x.batches} | ${us(x.p50Ns)} | ${us(x.p99Ns)} | ${us(x.p999Ns)} | ` +
        `${us(x.wallPerOpNs)} | ${(x.wallPerOpNs / r[0]!.wallPerOpNs).toFixed(3)} | ` +
        `${(x.p99Ns / r[0]!.p99Ns).toFixed(3)} |`,
    );
});

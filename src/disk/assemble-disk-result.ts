// Builds the parts of a DiskResult from options and a finished phase. No
// statistics are computed here beyond rates from counts and elapsed time.
import { specOf } from '../options/table.js';
import { unionSummary } from '../stats/summary.js';
import { detectSteps, type StepReport } from '../stats/step-detector.js';
import type { DiskStats } from '../stats/disk-recorder.js';
import { durableStream } from '../options/sync-method.js';
import type { WriterSummary } from './engine.js';
import type { DiskOptions, ResolvedDiskOptions } from './disk-option-values.js';
import type { PhaseData } from './run-phase.js';
import type { CommitFacts, DiskResult, DiskWorkload, NeighbourFacts, WalFacts } from './disk-result.js';
import type { JsThreadPolicy } from './yield-to-writer.js';

/** What ran, in the result's words. */
export function workloadOf(o: DiskOptions): DiskWorkload {
  const wal = o.mode === 'wal';
  return {
    mode: o.mode,
    blockSize: wal ? null : o.blockSize,
    fileSize: o.size,
    syncMethod: wal ? 'fdatasync' : o.syncMethod,
    syncEvery: wal ? 1 : o.syncEvery,
    direct: wal ? false : o.direct,
    prepare: wal ? 'fallocate' : o.prepare,
    timeBased: wal ? o.runtime > 0 : o.timeBased,
    runtimeNs: o.runtime,
    rateOpsPerSec: o.rate,
    loop: o.rate > 0 ? 'open' : 'closed',
    wal: wal
      ? {
          segmentBytes: o.walSegmentSize,
          recordBytes: o.walRecordSize,
          batchRecords: o.walBatch,
          keepSegments: o.walKeep,
        }
      : null,
    commit: o.commit ? { intervalNs: o.commitInterval, pages: o.commitPages, pageBytes: 4096 } : null,
    neighbours:
      o.neighbours > 0
        ? {
            count: o.neighbours,
            blockBytes: o.neighbourBlockSize,
            bytesPerSec: o.neighbourRate,
            direct: o.neighbourDirect,
            fileBytes: o.neighbourFileSize,
          }
        : null,
  };
}

/** Every option with its source (fio shorthands live on in the options they set). */
export function optionRecord(r: ResolvedDiskOptions): DiskResult['options'] {
  const out: DiskResult['options'] = {};
  for (const key of Object.keys(r.values) as (keyof typeof r.values)[]) {
    if (specOf(key).expands) continue;
    out[key] = { value: r.values[key], source: r.sources[key] };
  }
  return out;
}

const perSec = (n: number, ns: number) => (ns > 0 ? Math.round((n * 1e9 * 10) / ns) / 10 : 0);

/** Counts and rates of the measured writer. */
export function totalsOf(s: WriterSummary): Omit<DiskResult['totals'], 'scheduled' | 'notIssued'> {
  return {
    ops: s.ops,
    bytes: s.bytes,
    syncs: s.syncs,
    elapsedNs: s.elapsedNs,
    iops: perSec(s.ops, s.elapsedNs),
    bytesPerSec: Math.round(perSec(s.bytes, s.elapsedNs)),
  };
}

/** The measuring thread's context switches, when the engine reports them, and the JS thread's policy meanwhile. */
export function writerThread(s: WriterSummary, jsThreadPolicy: JsThreadPolicy): DiskResult['writerThread'] {
  const x = s.extra;
  if (x?.voluntarySwitches === undefined || x.involuntarySwitches === undefined) return null;
  return { voluntarySwitches: x.voluntarySwitches, involuntarySwitches: x.involuntarySwitches, jsThreadPolicy };
}

export function walFacts(p: PhaseData): WalFacts | null {
  if (!p.cut) return null;
  const x = p.outcomes.main.summary.extra ?? {};
  const cutSyncs = p.cutSyncs!;
  const all = unionSummary(
    [
      { histogram: p.main.histograms.sync, summary: p.main.summaries.sync },
      { histogram: cutSyncs.histograms.sync, summary: cutSyncs.summaries.sync },
    ],
    p.outcomes.main.summary.elapsedNs,
  );
  return {
    segments: x.segments ?? 0,
    cuts: x.cuts ?? 0,
    dirFsyncs: x.dirFsyncs ?? 0,
    records: x.records ?? 0,
    purged: x.purged ?? 0,
    preallocFallbacks: x.preallocFallbacks ?? 0,
    cut: p.cut.summaries.op,
    timeSeries: p.cut.timeSeries.op.filter((r) => r.count > 0),
    cutSyncs: cutSyncs.summaries.sync,
    etcdFsync: all.summary,
    etcdFsyncHistogram: all.histogram,
  };
}

export function commitFacts(p: PhaseData, intervalNs: number): CommitFacts | null {
  if (!p.commit || !p.outcomes.commit) return null;
  const s = p.outcomes.commit.summary;
  return {
    commits: s.ops,
    expectedCommits: Math.floor(s.elapsedNs / intervalNs),
    latency: p.commit.summaries,
    timeSeries: p.commit.timeSeries.op,
    histogram: p.commit.histograms.op,
  };
}

export function neighbourFacts(p: PhaseData): NeighbourFacts | null {
  const ns = p.outcomes.neighbours;
  if (ns.length === 0) return null;
  const each = ns.map((n) => ({
    bytes: n.summary.bytes,
    bytesPerSec: Math.round(perSec(n.summary.bytes, n.summary.elapsedNs)),
  }));
  return {
    count: ns.length,
    bytes: each.reduce((a, e) => a + e.bytes, 0),
    bytesPerSec: each.reduce((a, e) => a + e.bytesPerSec, 0),
    each,
  };
}

/**
 * Steps and stretches above the limit in the per-second p99 of the stream that pays for durability: under
 * O_DSYNC/O_SYNC the write() itself (nothing syncs after it), with no sync at all the whole operation.
 */
export function stepsOf(stats: DiskStats, w: Pick<DiskWorkload, 'syncMethod'>, o: DiskOptions): StepReport {
  return detectSteps(stats.timeSeries[durableStream(w.syncMethod) ?? 'op'], {
    limitNs: o.syncP99Limit,
    factor: o.stepFactor,
    floorNs: 1e6,
    minSeconds: o.stepSeconds,
    baselineSeconds: o.stepBaseline,
  });
}

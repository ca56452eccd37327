// `report fio FILE`: the fio-recipe phase of a qualify report as fio's JSON
// output (fio 3.x field names), so pipelines that read
// jobs[0].sync.lat_ns.percentile["99.000000"] keep working. Percentiles are
// read from the report's stored histograms the way the report's own are.
import type { DiskResult } from '../disk/disk-result.js';
import { UsageError } from '../core/errors.js';
import type { QualifyReport } from '../qualify/report.js';
import type { LatencySummary } from '../stats/summary.js';
import { percentilesOfEncoded } from '../stats/summary.js';

/** fio's default percentile list. */
export const FIO_PERCENTILES = [1, 5, 10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 99, 99.5, 99.9, 99.95, 99.99] as const;

function latNs(s: LatencySummary, encoded: string | null) {
  const base = { min: s.minNs, max: s.maxNs, mean: s.meanNs, stddev: s.stddevNs, N: s.count };
  if (encoded === null) return base;
  const values = s.count === 0 ? FIO_PERCENTILES.map(() => 0) : percentilesOfEncoded(encoded, FIO_PERCENTILES, s.maxNs);
  return { ...base, percentile: Object.fromEntries(FIO_PERCENTILES.map((p, i) => [p.toFixed(6), values[i]!])) };
}

function job(d: DiskResult, dir: string) {
  const w = d.workload;
  const runtimeMs = Math.round(d.totals.elapsedNs / 1e6);
  const options: Record<string, string> = {
    rw: 'write',
    ioengine: 'sync',
    directory: dir,
    size: String(w.fileSize),
    bs: String(w.blockSize ?? 0),
    ...(w.syncMethod === 'fdatasync' || w.syncMethod === 'fsync' ? { [w.syncMethod]: String(w.syncEvery) } : {}),
    ...(w.runtimeNs > 0 ? { runtime: `${Math.round(w.runtimeNs / 1e9)}s` } : {}),
  };
  return {
    options,
    job: {
      jobname: 'etcd',
      groupid: 0,
      error: d.error?.errno ?? 0,
      elapsed: Math.round(d.totals.elapsedNs / 1e9),
      'job options': { name: 'etcd' },
      write: {
        io_bytes: d.totals.bytes,
        io_kbytes: Math.floor(d.totals.bytes / 1024),
        bw_bytes: d.totals.bytesPerSec,
        bw: Math.round(d.totals.bytesPerSec / 1024),
        iops: d.totals.iops,
        runtime: runtimeMs,
        total_ios: d.totals.ops,
        short_ios: 0,
        drop_ios: 0,
        slat_ns: { min: 0, max: 0, mean: 0, stddev: 0, N: 0 },
        clat_ns: latNs(d.latency.write, d.histograms.write),
        lat_ns: latNs(d.latency.write, null),
      },
      sync: { total_ios: d.totals.syncs, lat_ns: latNs(d.latency.sync, d.histograms.sync) },
      job_runtime: runtimeMs,
    },
  };
}

/** The fio-style JSON of a report's fio phase; a UsageError when the phase has no result. */
export function fioJson(r: QualifyReport): object {
  const d = r.phases.fio.result;
  if (!d)
    throw new UsageError(
      `FILE: the report's fio phase has no result ` +
        `(${r.phases.fio.status}${r.phases.fio.reason ? `: ${r.phases.fio.reason}` : ''})`,
    );
  const { options, job: j } = job(d, r.target.dir);
  const started = Date.parse(d.startedAt);
  return {
    'fio version': `${r.tool.name}-${r.tool.version} (fio-compatible export of run ${r.runId})`,
    timestamp: Math.floor(started / 1000),
    timestamp_ms: started,
    time: new Date(started).toUTCString(),
    'global options': options,
    jobs: [j],
  };
}

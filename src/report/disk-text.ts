// The readable summary of a disk result. A pure function of the result: it
// formats numbers the stats module computed and never computes its own.
import { liveEtcdGuardLines, liveEtcdLines } from './live-etcd-text.js';
import type { DiskResult } from '../disk/disk-result.js';
import { formatDuration, formatSize } from '../options/units.js';
import type { LatencySummary } from '../stats/summary.js';
import { attributionShown, checkLine, ms } from './format.js';
import { renderMethods } from './methods-text.js';
import { burstLine, deviceIoLine } from './device-io-text.js';

const range = (r: { min: number; max: number }, unit = '') =>
  r.min === r.max ? `${r.min}${unit}` : `${r.min}-${r.max}${unit}`;

function syncWords(w: DiskResult['workload']): string {
  if (w.syncMethod === 'none') return 'no sync';
  if (w.syncMethod === 'dsync' || w.syncMethod === 'sync') return `every write opened O_${w.syncMethod.toUpperCase()}`;
  return `${w.syncMethod} after ${w.syncEvery === 1 ? 'every write' : `every ${w.syncEvery} writes`}`;
}

function workloadLine(w: DiskResult['workload']): string {
  const length =
    w.runtimeNs > 0 ? `${w.timeBased ? 'for' : 'at most'} ${formatDuration(w.runtimeNs)}` : `${formatSize(w.fileSize)}`;
  const loop = w.loop === 'open' ? `open loop at ${w.rateOpsPerSec}/s` : 'closed loop';
  if (w.wal)
    return (
      `workload: etcd WAL, ${range(w.wal.batchRecords)} records of ${range(w.wal.recordBytes, ' B')} per ` +
      `batch (one write() + one fdatasync), ${w.wal.segmentBytes}-byte fallocated segments, ${length}, ${loop}`
    );
  return (
    `workload: ${formatSize(w.blockSize ?? 0)} writes, ${syncWords(w)}${w.direct ? ', O_DIRECT' : ''}, file ` +
    `${formatSize(w.fileSize)} prepared with ${w.prepare}, ${w.runtimeNs > 0 ? `${length}, ` : ''}${loop}`
  );
}

export function latencyHeader(label = 'latency (ms)'): string {
  return [
    label.padEnd(16),
    'count'.padStart(9),
    ...['min', 'p50', 'p90', 'p99', 'p99.9', 'p99.99', 'max', 'mean'].map((h) => h.padStart(9)),
  ].join('');
}

export function latencyRow(label: string, s: LatencySummary): string {
  const cells = [s.minNs, s.p50Ns, s.p90Ns, s.p99Ns, s.p999Ns, s.p9999Ns, s.maxNs, s.meanNs];
  // A space before each cell keeps columns apart when a value outgrows its width (tens of seconds on a failing disk).
  return [label.padEnd(16), String(s.count).padStart(9), ...cells.map((v) => ` ${ms(v)}`.padStart(9))].join('');
}

function sideStreams(r: DiskResult): string[] {
  const lines: string[] = [];
  if (r.wal) lines.push(latencyRow('segment cut', r.wal.cut));
  if (r.commit) {
    lines.push(latencyRow('commit', r.commit.latency.op));
    lines.push(latencyRow('  its pwrites', r.commit.latency.write));
    lines.push(latencyRow('  its 2 syncs', r.commit.latency.sync));
  }
  return lines;
}

function facts(r: DiskResult): string[] {
  const lines: string[] = [];
  if (r.wal)
    lines.push(
      `wal:      ${r.wal.records} records, ${r.wal.segments} segments, ${r.wal.cuts} cuts, ${r.wal.dirFsyncs} ` +
        `directory fsyncs, ${r.wal.purged} purged`,
    );
  if (r.commit)
    lines.push(
      `commits:  ${r.commit.commits} of ${r.commit.expectedCommits} ticks ` +
        `(${formatDuration(r.workload.commit!.intervalNs)} apart)`,
    );
  if (r.neighbours)
    lines.push(
      `neighbours: ${r.neighbours.count} wrote ${(r.neighbours.bytes / 1048576).toFixed(1)} MiB at ` +
        `${(r.neighbours.bytesPerSec / 1048576).toFixed(1)} MiB/s in all`,
    );
  const s = r.stepChange;
  if (s.judged)
    lines.push(
      `over time: baseline p99 ${ms(s.baselineP99Ns)} ms (the lowest ${s.baselineSeconds} s stretch, from second ` +
        `${s.baselineStartSecond}); ` +
        (s.findings.length === 0
          ? 'no step change'
          : s.findings
              .map(
                (f) => `${f.kind} from second ${f.startSecond} for ${f.seconds} s (median p99 ${ms(f.medianP99Ns)} ms)`,
              )
              .join('; ')),
    );
  return lines;
}

/** The device stack and mount behind the target, in one line; null without a mount. */
export function deviceLine(t: Pick<DiskResult['target'], 'mount' | 'device'>): string | null {
  const m = t.mount;
  const d = t.device;
  if (!m) return null;
  const mount = `mount ${m.mountPoint} (${m.fsType} ${m.source}, ${m.options}; ${m.superOptions})`;
  if (!d) return `device:   none (${m.fsType} has no block device); ${mount}`;
  // The disk's name is said once: a stack that is the disk itself (vda) does not name it again inside.
  const named = !(d.physical.length === 1 && d.physical[0]?.name === d.stack[d.stack.length - 1]);
  const phys = d.physical.map((p) => {
    const size = p.sizeBytes === null ? '?' : `${(p.sizeBytes / 1024 ** 3).toFixed(0)} GiB`;
    return (
      `${named ? `${p.name}: ` : ''}${p.interface}${p.model ? ` ${p.model}` : ''}, ${size}, ` +
      `${p.rotational === null ? 'rotation unknown' : p.rotational ? 'reports rotational' : 'non-rotational'}, ` +
      `scheduler ${p.scheduler ?? '?'}, cache ${p.writeCache ?? '?'}, blocks ` +
      `${p.logicalBlockSize ?? '?'}/${p.physicalBlockSize ?? '?'}`
    );
  });
  return `device:   ${d.stack.join(' -> ')} (${phys.join('; ')}); ${mount}`;
}

/** The machine in one line. */
export function hostLine(h: DiskResult['host']): string {
  return (
    `host:     ${h.hostname}, ${h.os}, kernel ${h.kernel}, ${h.cpu.cores} x ${h.cpu.model}, ` +
    `${(h.memoryBytes / 1024 ** 3).toFixed(0)} GiB${h.virtualization.hypervisorCpuFlag ? ', under a hypervisor' : ''}`
  );
}

/** The summary printed on stderr after a disk run. */
export function renderDiskText(r: DiskResult): string {
  const lines: string[] = [];
  lines.push(
    `etcd-disk-bench disk: ${r.target.dir} (${r.target.fsType}), engine ` +
      `${r.engine}${r.profile ? `, profile ${r.profile.name}` : ''}`,
  );
  const dev = deviceLine(r.target);
  if (dev) lines.push(dev);
  lines.push(hostLine(r.host));
  if (r.methods) {
    lines.push(renderMethods(r));
  } else {
    lines.push(workloadLine(r.workload));
    const t = r.totals;
    const what = r.workload.mode === 'wal' ? 'batches' : 'writes';
    lines.push(
      `result:   ${t.ops} ${what}, ${t.syncs} syncs in ${(t.elapsedNs / 1e9).toFixed(2)} s: ${t.iops} IOPS, ` +
        `${(t.bytesPerSec / 1048576).toFixed(2)} MiB/s`,
    );
    for (const l of [deviceIoLine(r.deviceIo), burstLine(r.burst)]) if (l) lines.push(l);
    lines.push(...facts(r), '', latencyHeader());
    lines.push(latencyRow('write()', r.latency.write));
    if (r.latency.sync.count > 0) lines.push(latencyRow(r.workload.syncMethod, r.latency.sync));
    lines.push(latencyRow(r.workload.mode === 'wal' ? 'batch total' : 'write+sync', r.latency.op));
    if (r.latency.response.count > 0) lines.push(latencyRow('response', r.latency.response));
    lines.push(...sideStreams(r));
  }
  lines.push('');
  if (attributionShown(r.attribution?.writer, r.checks))
    lines.push(`attribution: ${r.attribution.writer.cause}: ${r.attribution.writer.why}`);
  if (
    attributionShown(
      r.attribution?.commit,
      r.checks.filter((c) => c.id === 'commit-p99'),
    )
  )
    lines.push(`attribution (commit): ${r.attribution.commit!.cause}: ${r.attribution.commit!.why}`);
  const sourcesSaid = new Set<string>();
  for (const c of r.checks) lines.push(checkLine(c, sourcesSaid));
  lines.push(`GRADE ${r.grade.letter ?? '-'}: ${r.grade.reason}`);
  lines.push(...liveEtcdGuardLines(r.liveEtcdGuard), ...liveEtcdLines(r.liveEtcd));
  for (const m of r.warnings) lines.push(`warning: ${m}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}

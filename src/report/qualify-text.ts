// The readable summary of a qualify report (printed after the run and by
// `report show`): a pure function of the report.
import { liveEtcdGuardLines, liveEtcdLines } from './live-etcd-text.js';
import type { DiskResult } from '../disk/disk-result.js';
import type { LoadResult } from '../load/load-result.js';
import type { Phase, QualifyReport } from '../qualify/report.js';
import { deviceLine, hostLine, latencyHeader, latencyRow } from './disk-text.js';
import { attributionShown, checkLine } from './format.js';
import { burstLine, deviceIoLine } from './device-io-text.js';
import { likeLines } from './like-text.js';

function phaseHead(n: number, name: string, p: Phase<unknown>): string {
  const why = [p.reason, p.hint].filter(Boolean).join('; ');
  const state = p.status === 'done' ? '' : ` [${p.status.toUpperCase()}${why ? `: ${why}` : ''}]`;
  return `phase ${n} ${name}: ${p.title}${state}`;
}

function diskLines(r: DiskResult | null, wal: boolean): string[] {
  if (!r) return [];
  const t = r.totals;
  const lines = [`  ${t.ops} ${wal ? 'batches' : 'writes'} in ${(t.elapsedNs / 1e9).toFixed(1)} s: ${t.iops} IOPS`];
  lines.push(`  ${latencyRow('fdatasync', r.latency.sync)}`);
  if (wal && r.commit) lines.push(`  ${latencyRow('commit', r.commit.latency.op)}`);
  if (wal && r.wal) lines.push(`  ${latencyRow('segment cut', r.wal.cut)}`);
  if (wal && r.wal) lines.push(`  ${latencyRow('fsync as etcd', r.wal.etcdFsync)}`);
  const io = deviceIoLine(r.deviceIo);
  if (io) lines.push(`  ${io}`);
  if (attributionShown(r.attribution?.writer, r.checks))
    lines.push(`  attribution: ${r.attribution.writer.cause}: ${r.attribution.writer.why}`);
  return lines;
}

function etcdLines(r: LoadResult | null): string[] {
  if (!r) return [];
  const t = r.totals;
  const lines = [
    `  etcd ${r.target.local?.version ?? '?'}, ${r.target.local?.members ?? '?'} member(s): ${t.answered} requests ` +
      `answered in ${(t.elapsedNs / 1e9).toFixed(1)} s (${t.achievedPerSec}/s), ${t.failed} failed`,
    `  sent by the ${r.workload.transport ?? 'grpc-js'} transport${pacedBy(r.workload.pacing)}: our client's CPU ` +
      `${(r.client.cpuPerRequestNs / 1e3).toFixed(0)} us per request`,
    `  ${latencyRow('request', r.latency.response)}`,
  ];
  if (r.latency.failed && r.latency.failed.count > 0) lines.push(`  ${latencyRow('failed', r.latency.failed)}`);
  if (r.latency.lateness && r.workload.loop === 'open') {
    // When all the lateness was the generator's own (no request waited on etcd for a free client), one row says it.
    const same = JSON.stringify(r.latency.lateness) === JSON.stringify(r.latency.generatorDelay);
    lines.push(`  ${latencyRow(same ? 'sent late (ours)' : 'sent late by', r.latency.lateness)}`);
    if (!same) lines.push(`  ${latencyRow('generator late', r.latency.generatorDelay)}`);
  }
  if (t.notSent > 0)
    lines.push(`  ${t.scheduled} scheduled, ${t.sent} sent, ${t.notSent} due but never sent (counted as failed)`);
  for (const m of r.server) {
    lines.push(
      `  ${m.url}: WAL fsync p99 ${m.walFsync?.p99?.text ?? '-'}, backend commit p99 ` +
        `${m.backendCommit?.p99?.text ?? '-'}, ` +
        `leader changes ${m.leaderChanges ?? '-'}, failed proposals ${m.proposalsFailed ?? '-'}, heartbeat send ` +
        `failures ${m.heartbeatSendFailures ?? '-'}` +
        (m.cpuCores ? `, CPU ${m.cpuCores.mean} cores` : '') +
        (m.residentBytes
          ? `, memory ${Math.round(m.residentBytes.first / 1e6)} -> ${Math.round(m.residentBytes.last / 1e6)} MB`
          : '') +
        (m.baselineNote ? ` (${m.baselineNote})` : '') +
        (m.counterResets > 0 ? ` (${m.counterResets} counter resets)` : ''),
    );
  }
  const io = deviceIoLine(r.deviceIo, r.deviceWritesPerRequest);
  if (io) lines.push(`  ${io}`);
  if (r.compaction)
    lines.push(
      `  compaction every ${r.compaction.intervalNs / 1e9} s: ${r.compaction.done.length} ` +
        `done${r.compaction.errors.length ? `, ${r.compaction.errors.length} failed` : ''}`,
    );
  if (attributionShown(r.attribution, r.checks))
    lines.push(`  attribution: ${r.attribution.cause}: ${r.attribution.why}`);
  return lines;
}

/** The summary of a qualify report. */
export function renderQualifyText(r: QualifyReport): string {
  const lines = [
    `etcd-disk-bench qualify: ${r.target.dir} ` +
      `(${r.target.fsType})${r.profile ? `, profile ${r.profile.name}` : ''}, run ${r.runId}`,
  ];
  const dev = deviceLine(r.target);
  if (dev) lines.push(dev);
  lines.push(hostLine(r.host));
  const volume = burstLine(r.burst);
  if (volume) lines.push(volume);
  lines.push(...likeLines(r.like));
  lines.push(
    `etcd:     ${r.etcd ? `${r.etcd.version} (${r.etcd.source ?? r.etcd.bin})` : 'none found'}; tool ${r.tool.name} ` +
      r.tool.version,
  );
  lines.push('', `  ${latencyHeader('latency (ms)')}`);
  // The phases go by the names the progress lines and errors use (fio, wal, etcd); their titles say the rest.
  lines.push(phaseHead(1, 'fio', r.phases.fio), ...diskLines(r.phases.fio.result, false));
  lines.push(phaseHead(2, 'wal', r.phases.wal), ...diskLines(r.phases.wal.result, true));
  lines.push(phaseHead(3, 'etcd', r.phases.etcd), ...etcdLines(r.phases.etcd.result), '');
  const sourcesSaid = new Set<string>();
  for (const c of r.checks) lines.push(checkLine(c, sourcesSaid));
  // The verdict quotes the grade's reason: the GRADE line then says only the letter.
  const gradeLine = r.verdict.text.includes(r.grade.reason)
    ? `GRADE ${r.grade.letter ?? '-'}`
    : `GRADE ${r.grade.letter ?? '-'}: ${r.grade.reason}`;
  lines.push('', gradeLine, r.verdict.text);
  lines.push(...liveEtcdGuardLines(r.liveEtcdGuard), ...liveEtcdLines(r.liveEtcd));
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}

/** ", timed by the native pacer" / ", timed by the event loop" (nothing for results from before --pacing). */
function pacedBy(pacing: 'native' | 'event-loop' | undefined): string {
  return pacing === undefined ? '' : pacing === 'native' ? ', timed by the native pacer' : ', timed by the event loop';
}

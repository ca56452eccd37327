// The --sync-methods comparison, side by side: one row per method.
import type { DiskResult } from '../disk/disk-result.js';
import { formatSize } from '../options/units.js';
import { ms } from './format.js';

/** The table and the notes for each method. */
export function renderMethods(r: DiskResult): string {
  const methods = r.methods ?? [];
  const lines = [
    `sync methods compared: ${formatSize(r.workload.blockSize ?? 0)} writes, file ` +
      `${formatSize(r.workload.fileSize)} each, one after the other`,
    '',
    [
      'method'.padEnd(18),
      'ops'.padStart(8),
      'IOPS'.padStart(10),
      ...['write p50', 'durable p50', 'durable p99', 'op p99'].map((h) => h.padStart(13)),
    ].join(''),
  ];
  for (const m of methods) {
    lines.push(
      [
        m.method.padEnd(18),
        String(m.ops).padStart(8),
        String(m.iops).padStart(10),
        ...[m.latency.write.p50Ns, m.durableP50Ns, m.durableP99Ns, m.latency.op.p99Ns].map((v) => ms(v).padStart(13)),
      ].join(''),
    );
  }
  lines.push('(ms; "durable" is the sync call, or write() itself under O_DSYNC/O_SYNC)');
  for (const m of methods) if (m.note) lines.push(`${m.method}: ${m.note}`);
  return lines.join('\n');
}

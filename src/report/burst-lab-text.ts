// The readable account of a `lab burst-credits` run: the bucket, the forecast
// against the drain, etcd before and after, and a line per second.
import type { BurstLabResult } from '../lab/burst-lab-result.js';
import { renderLoadText } from './load-text.js';

const ms = (v: number | null) => (v === null ? '-' : `${v.toFixed(2)} ms`);

export function renderBurstLabText(r: BurstLabResult): string {
  const b = r.bucket;
  const lines = [
    `etcd-disk-bench lab burst-credits: each member on a volume of ${b.creditsFull} credits refilled at ` +
      `${b.baselineIops}/s${b.burstIops ? `, at most ${b.burstIops}/s` : ''}; etcd ${r.etcdVersion} on ` +
      `${r.target.dir} (${r.target.fsType})`,
  ];
  if (r.load) lines.push('', renderLoadText(r.load).trimEnd());
  lines.push('', 'second  credits taken  credits left  WAL fsync p99 (worst member)');
  const pad = (v: number, n: number) => String(Math.round(v)).padStart(n);
  for (const t of r.timeline)
    lines.push(`${pad(t.second, 6)}  ${pad(t.credits, 13)}  ${pad(t.creditsLeft, 12)}  ${ms(t.walFsyncP99Ms)}`);
  lines.push(
    '',
    `FORECAST: ${
      b.demandIops === null
        ? 'none (the load ran less than the seconds the forecast reads)'
        : b.forecastEmptySecond === null
          ? `demand ${b.demandIops} credits/s, within the baseline: the bucket does not empty`
          : `demand ${b.demandIops} credits/s in the first seconds: the first bucket empties at second ` +
            `${b.forecastEmptySecond}`
    }`,
    `WHAT HAPPENED: ${
      b.emptiedAtSecond === null ? 'no bucket emptied' : `the first bucket emptied at second ${b.emptiedAtSecond}`
    }; etcd's WAL fsync p99 ${ms(b.walFsyncP99BeforeMs)} before, ${ms(b.walFsyncP99AfterMs)} after; ` +
      `${r.elections.leaderChanges} leader changes, ${r.elections.inLogs} elections in the logs.`,
  );
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  if (!r.complete) lines.push(`INCOMPLETE: ${r.incompleteReason}`);
  return `${lines.join('\n')}\n`;
}

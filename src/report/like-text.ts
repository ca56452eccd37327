// qualify --like in words: the line that says what the etcd phase was sized
// from, and, for a ticket, every figure with the query it came from.
import type { LikeFigure } from '../like/cluster-figures.js';
import type { LikeSection } from '../like/size-load.js';
import { formatSize } from '../options/units.js';

function shown(f: LikeFigure): string {
  if (f.value === null) return '-';
  if (f.unit === 'bytes') return formatSize(Math.round(f.value));
  if (f.unit === 'writes/s') return `${Math.round(f.value * 10) / 10} writes/s`;
  return `${Math.round(f.value)} ${f.unit}`;
}

/** Two lines for the text summary (none without --like). */
export function likeLines(l: LikeSection | null | undefined): string[] {
  if (!l) return [];
  const r = l.run;
  return [
    `like:     ${l.words}`,
    `          ${r.kubeObjects} objects (${r.kubePrefill} written beforehand), values ` +
      `${r.kubeValueSize.min}-${r.kubeValueSize.max} bytes, mix ${r.kubeMix}`,
  ];
}

/** The Markdown section: the sizing, then each figure with its metric and query, then the notes. */
export function likeMarkdown(l: LikeSection | null | undefined, cell: (s: string) => string): string[] {
  if (!l) return [];
  const src = l.source.kind === 'prometheus' ? `Prometheus at ${l.source.url}` : `observe report ${l.source.path}`;
  return [
    '',
    '### Sized from the cluster (--like)',
    '',
    `${cell(l.words)}, from ${cell(src)}: ${l.ratePoints} one-minute rates, every ${l.window.resolutionSeconds} s, ` +
      `${l.members} member${l.members === 1 ? '' : 's'} seen.`,
    '',
    '| figure | value | metric | query |',
    '|---|---|---|---|',
    ...l.figures.map((f) => `| ${f.id} | ${shown(f)} | ${f.metric} | \`${cell(f.query)}\` |`),
    '',
    ...l.notes.map((n) => `- ${cell(n)}`),
  ];
}

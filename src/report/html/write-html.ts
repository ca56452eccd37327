// Which page a report gets, and writing it: never over an existing file.
import { writeFileSync } from 'node:fs';
import { checkOutPath } from '../../qualify/report-file.js';
import type { AnyReport } from '../read-report.js';
import { renderBurstLabHtml } from './burst-lab-html.js';
import { renderDiskHtml } from './disk-html.js';
import { renderFleetHtml } from './fleet-html.js';
import { renderLoadHtml } from './load-html.js';
import { renderObserveHtml } from './observe-html.js';
import { renderQualifyHtml } from './qualify-html.js';

/** The page for any kind of report. */
export function renderReportHtml(r: AnyReport): string {
  switch (r.kind) {
    case 'qualify':
      return renderQualifyHtml(r.report);
    case 'observe':
      return renderObserveHtml(r.report);
    case 'disk':
      return renderDiskHtml(r.report);
    case 'load':
      return renderLoadHtml(r.report);
    case 'fleet':
      return renderFleetHtml(r.report);
    case 'burst-lab':
      return renderBurstLabHtml(r.report);
  }
}

/** Writes the page where no file is yet (exit 2 names --out otherwise), and says where and how big. */
export function writeHtml(
  path: string,
  page: string,
  flag = '--out',
  say: (s: string) => void = (s) => void process.stderr.write(s),
): string {
  const target = checkOutPath(path, flag);
  writeFileSync(target, page, { flag: 'wx' });
  say(`html: ${target} (${Math.round(page.length / 1024)} KiB)\n`);
  return target;
}

// Writing a graded run's report where the user asked (or results/), saying
// where on stderr; a report that cannot be written is an environment error.
import { writeReport } from '../qualify/report-file.js';
import { writeHtml } from '../report/html/write-html.js';

/** Writes `report` to `path`; false (with the error on stderr) when it could not. */
export function saveReport(path: string, report: unknown, stderr: (s: string) => void): boolean {
  try {
    writeReport(path, report);
    stderr(`report: ${path}\n`);
    return true;
  } catch (e) {
    stderr(`etcd-disk-bench: error: ${(e as Error).message}\n`);
    return false;
  }
}

/** The HTML page beside a report: the same name, .html. */
export function htmlPathOf(reportPath: string): string {
  return reportPath.replace(/(\.json)?$/, '.html');
}

/** --html: the page beside the report; false (with the error on stderr) when it could not be written. */
export function saveHtml(path: string, page: string, stderr: (s: string) => void): boolean {
  try {
    writeHtml(path, page, '--html', stderr);
    return true;
  } catch (e) {
    stderr(`etcd-disk-bench: error: ${(e as Error).message}\n`);
    return false;
  }
}

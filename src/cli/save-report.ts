// Writing a graded run's report where the user asked (or results/), saying
// where on stderr; a report that cannot be written is an environment error.
import { writeReport } from '../qualify/report-file.js';

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

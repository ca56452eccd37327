// Where a qualify report is written and how: results/HOST-UTCTIME-PROFILE.json
// in the package directory by default, or --out. --out is checked before the
// run (an existing file is never overwritten); the file is written whole or
// not at all (a temporary name, then rename).
import { existsSync, renameSync, statSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { EnvironmentError, UsageError } from '../core/errors.js';
import { PACKAGE_ROOT } from '../core/paths.js';

/** Where reports go by default: ETCD_DISK_BENCH_RESULTS (the image sets /results), else results/ in the package. */
export const RESULTS_DIR = process.env.ETCD_DISK_BENCH_RESULTS || join(PACKAGE_ROOT, 'results');

function safe(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'unnamed';
}

/** results/HOST-20261129T061500Z-PROFILE.json */
export function defaultReportPath(hostName: string, startedAt: string, profile: string): string {
  const stamp = startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(RESULTS_DIR, `${safe(hostName)}-${stamp}-${safe(profile)}.json`);
}

/** Checks --out before anything runs: its directory exists and the file does not. */
export function checkOutPath(out: string, flag = '--out', option = 'out'): string {
  const path = resolve(out);
  if (existsSync(path))
    throw new UsageError(
      `${flag}: ${path} already exists; give a new file name (reports are never overwritten)`,
      option,
    );
  const dir = dirname(path);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir)
    throw new UsageError(`${flag}: ${dir} is not an existing directory; give a file in an existing directory`, option);
  return path;
}

/** Writes `report` to `path` whole (temporary file, then rename). */
export function writeReport(path: string, report: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, `${JSON.stringify(report, null, 2)}\n`, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new EnvironmentError(`cannot write the report to ${path}: ${(e as Error).message}`);
  }
}

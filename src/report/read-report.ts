// Reads a report file for `etcd-disk-bench report`: a qualify report (checked
// against schema/qualify-report.schema.json) or a disk/load result printed
// with --json. Anything else is refused with what the file is missing.
import { FLEET_SCHEMA, type Fleet, type FleetInput } from './merge.js';
import { readFileSync } from 'node:fs';
import { FileLimitError, readTextBounded } from '../core/read-bounded.js';
import { join } from 'node:path';
import { DISK_RESULT_SCHEMA, OLDER_DISK_SCHEMAS, type DiskResult } from '../disk/disk-result.js';
import { LOAD_RESULT_SCHEMA, OLDER_LOAD_SCHEMAS, type LoadResult } from '../load/load-result.js';
import { UsageError } from '../core/errors.js';
import { OBSERVE_REPORT_SCHEMA, type ObserveReport } from '../observe/observe-report.js';
import { PACKAGE_ROOT } from '../core/paths.js';
import { OLDER_QUALIFY_SCHEMAS, QUALIFY_REPORT_SCHEMA, type QualifyReport } from '../qualify/report.js';
import { validate, type Schema } from './json-schema.js';
import { jsonObjectsIn } from './merge.js';
import { BURST_LAB_SCHEMA, type BurstLabResult } from '../lab/burst-lab-result.js';

export const QUALIFY_SCHEMA_FILE = join(PACKAGE_ROOT, 'schema', 'qualify-report.schema.json');

export type AnyReport =
  | { kind: 'qualify'; report: QualifyReport }
  | { kind: 'observe'; report: ObserveReport }
  | { kind: 'disk'; report: DiskResult }
  | { kind: 'load'; report: LoadResult }
  | { kind: 'fleet'; report: Fleet }
  | { kind: 'burst-lab'; report: BurstLabResult };

export const OBSERVE_SCHEMA_FILE = join(PACKAGE_ROOT, 'schema', 'observe-report.schema.json');

let schema: Schema | undefined;
let observeSchema: Schema | undefined;

/** Problems of `value` as an observe report; none when it is one. */
export function observeReportProblems(value: unknown): string[] {
  observeSchema ??= JSON.parse(readFileSync(OBSERVE_SCHEMA_FILE, 'utf8')) as Schema;
  return validate(value, observeSchema);
}

/** The qualify report schema (read once). */
export function qualifySchema(): Schema {
  schema ??= JSON.parse(readFileSync(QUALIFY_SCHEMA_FILE, 'utf8')) as Schema;
  return schema;
}

/** Problems of `value` as a qualify report; none when it is one. */
export function qualifyReportProblems(value: unknown): string[] {
  return validate(value, qualifySchema());
}

/** Reads and checks a report; `what` names the argument in errors (FILE, BEFORE, AFTER). */
export function readReport(file: string, what = 'FILE'): AnyReport {
  let text: string;
  try {
    text = readTextBounded(file, `${what}: ${file}`);
  } catch (e) {
    if (e instanceof FileLimitError) throw e;
    throw new UsageError(`${what}: cannot read ${file}: ${(e as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${what}: ${file} is not JSON: ${(e as Error).message}`);
  }
  const name = (value as { schema?: unknown } | null)?.schema;
  if (name === QUALIFY_REPORT_SCHEMA || OLDER_QUALIFY_SCHEMAS.includes(name as string)) {
    const problems = qualifyReportProblems(value);
    if (problems.length > 0)
      throw new UsageError(
        `${what}: ${file} is not a valid ${QUALIFY_REPORT_SCHEMA} report (${problems.length} problems): ` +
          `${problems.slice(0, 5).join('; ')}`,
      );
    return { kind: 'qualify', report: value as QualifyReport };
  }
  if (name === OBSERVE_REPORT_SCHEMA) {
    const problems = observeReportProblems(value);
    if (problems.length > 0)
      throw new UsageError(
        `${what}: ${file} is not a valid ${OBSERVE_REPORT_SCHEMA} report (${problems.length} problems): ` +
          `${problems.slice(0, 5).join('; ')}`,
      );
    return { kind: 'observe', report: value as ObserveReport };
  }
  if (name === DISK_RESULT_SCHEMA || OLDER_DISK_SCHEMAS.includes(name as string))
    return { kind: 'disk', report: value as DiskResult };
  if (name === LOAD_RESULT_SCHEMA || OLDER_LOAD_SCHEMAS.includes(name as string))
    return { kind: 'load', report: value as LoadResult };
  if (name === FLEET_SCHEMA) {
    const rows = (value as { rows?: unknown }).rows;
    if (!Array.isArray(rows)) throw new UsageError(`${what}: ${file} is a ${FLEET_SCHEMA} without its rows`);
    return { kind: 'fleet', report: value as Fleet };
  }
  if (name === BURST_LAB_SCHEMA) {
    const timeline = (value as { timeline?: unknown }).timeline;
    if (!Array.isArray(timeline))
      throw new UsageError(`${what}: ${file} is a ${BURST_LAB_SCHEMA} without its timeline`);
    return { kind: 'burst-lab', report: value as BurstLabResult };
  }
  throw new UsageError(
    `${what}: ${file} is not an etcd-disk-bench report: its "schema" is ${JSON.stringify(name)}; expected ` +
      `${QUALIFY_REPORT_SCHEMA}, ${OBSERVE_REPORT_SCHEMA}, ${DISK_RESULT_SCHEMA}, ${LOAD_RESULT_SCHEMA}, ` +
      `${FLEET_SCHEMA} or ${BURST_LAB_SCHEMA}`,
  );
}

/** Reads a qualify report, refusing other kinds. */
export function readQualifyReport(file: string, what = 'FILE'): QualifyReport {
  const r = readReport(file, what);
  if (r.kind !== 'qualify')
    throw new UsageError(
      `${what}: ${file} is a ${r.kind} result; this needs a qualify report (${QUALIFY_REPORT_SCHEMA})`,
    );
  return r.report;
}

/** Reads a qualify or an observe report (what markdown and compare take). */
export function readGradedReport(
  file: string,
  what = 'FILE',
): { kind: 'qualify'; report: QualifyReport } | { kind: 'observe'; report: ObserveReport } {
  const r = readReport(file, what);
  if (r.kind !== 'qualify' && r.kind !== 'observe')
    throw new UsageError(
      `${what}: ${file} is a ${r.kind} result; this needs a qualify report (${QUALIFY_REPORT_SCHEMA}) or an observe ` +
        `report (${OBSERVE_REPORT_SCHEMA})`,
    );
  return r;
}

/**
 * The reports of `report merge`: qualify reports and disk results, each FILE whole, "-" the concatenated reports on
 * stdin (progress lines between them are skipped). Anything else is refused, naming where it came from.
 */
export function readFleet(files: string[], stdin: () => string): FleetInput[] {
  const out: FleetInput[] = [];
  const kinds = `a qualify report (${QUALIFY_REPORT_SCHEMA}) or a disk result (${DISK_RESULT_SCHEMA})`;
  for (const file of files) {
    if (file !== '-') {
      const r = readReport(file);
      if (r.kind === 'qualify' || r.kind === 'disk') out.push({ report: r.report, from: file } as FleetInput);
      else throw new UsageError(`FILE: ${file} is a ${r.kind} result; report merge needs ${kinds}`);
      continue;
    }
    const objects = jsonObjectsIn(stdin());
    if (objects.length === 0) throw new UsageError('-: no JSON report on stdin');
    objects.forEach((value, i) => {
      const from = `stdin #${i + 1}`;
      const name = (value as { schema?: unknown }).schema;
      if (name === DISK_RESULT_SCHEMA || OLDER_DISK_SCHEMAS.includes(name as string)) {
        out.push({ report: value as DiskResult, from });
        return;
      }
      const problems = qualifyReportProblems(value);
      if (problems.length > 0)
        throw new UsageError(`-: report ${i + 1} on stdin is not ${kinds}: ${problems.slice(0, 3).join('; ')}`);
      out.push({ report: value as QualifyReport, from });
    });
  }
  return out;
}

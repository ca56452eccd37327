// `report merge`: many qualify reports or disk results, mixed as they come
// (files, or the concatenated output of `kubectl logs` across a fleet's Jobs),
// as one table: a row per node with its device, the fio recipe's and the WAL's
// fdatasync p99, the commit p99, IOPS, the letter and whether the run
// completed; each row has what its kind measured (a disk run of fio's recipe
// has no WAL figure). The worst node is named, and outliers flagged: a node
// whose p99 is more than twice the median of the others' same figure (WAL
// against WAL, fio's recipe against fio's recipe), even when every node passes.
import type { DiskResult } from '../disk/disk-result.js';
import type { QualifyReport } from '../qualify/report.js';

export interface FleetRow {
  node: string;
  /** What the row was read from: a qualify report, or one disk run (absent in fleets saved before disk rows). */
  kind?: 'qualify' | 'disk';
  /** "vda (virtio, Samsung ...)": the physical disks under the tested directory. */
  device: string;
  fioP99Ns: number | null;
  walP99Ns: number | null;
  commitP99Ns: number | null;
  iops: number | null;
  letter: string | null;
  complete: boolean;
  passed: boolean;
  /** Why the row stands out (null: it does not). */
  outlier: string | null;
  /** Where the report came from (a file name, or "stdin #2"). */
  from: string;
}

export const FLEET_SCHEMA = 'etcd-disk-bench/fleet@1';

export interface Fleet {
  /** So `report html` knows a saved `report merge --json` (absent in fleets saved before it). */
  schema?: typeof FLEET_SCHEMA;
  rows: FleetRow[];
  /** The node with the lowest letter (then the highest WAL p99, or fio recipe's without one); null with no rows. */
  worst: string | null;
  failed: number;
}

const LETTERS = ['A', 'B', 'C', 'D', 'F'];

/** One node's report as `report merge` reads it. */
export type FleetInput = { report: QualifyReport; from: string } | { report: DiskResult; from: string };

/** Whether a fleet input is a qualify report (else one disk run). */
export const isQualify = (r: QualifyReport | DiskResult): r is QualifyReport => 'phases' in r;

function deviceOf(r: QualifyReport | DiskResult): string {
  const d = r.target.device;
  if (!d) return r.target.fsType;
  return (
    d.physical.map((p) => `${p.name} (${[p.interface, p.model].filter(Boolean).join(', ')})`).join(' + ') || d.name
  );
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** A row's figures from a qualify report: its fio phase, its WAL phase. */
function qualifyRow(r: QualifyReport): Pick<FleetRow, 'fioP99Ns' | 'walP99Ns' | 'commitP99Ns' | 'iops'> {
  return {
    fioP99Ns: r.phases.fio.result?.latency.sync.p99Ns ?? null,
    walP99Ns: r.phases.wal.result?.latency.sync.p99Ns ?? null,
    commitP99Ns: r.phases.wal.result?.commit?.latency.op.p99Ns ?? null,
    iops: r.phases.fio.result?.totals.iops ?? null,
  };
}

/** A row's figures from one disk run: a WAL run's fdatasync and commit, or a recipe's fdatasync and IOPS. */
function diskRow(r: DiskResult): Pick<FleetRow, 'fioP99Ns' | 'walP99Ns' | 'commitP99Ns' | 'iops'> {
  const p99 = r.latency.sync.p99Ns;
  return r.wal
    ? { fioP99Ns: null, walP99Ns: p99, commitP99Ns: r.commit?.latency.op.p99Ns ?? null, iops: null }
    : { fioP99Ns: p99, walP99Ns: null, commitP99Ns: null, iops: r.totals.iops };
}

/** The figure a row is ranked and compared by: its WAL p99, else its fio recipe's. */
export const rankedP99 = (r: FleetRow) => r.walP99Ns ?? r.fioP99Ns;

/** Flags a row whose p99 is over twice the median of the others' same figure. */
function flagOutliers(rows: FleetRow[], which: 'walP99Ns' | 'fioP99Ns', name: string): void {
  for (const row of rows) {
    const own = row[which];
    if (own === null || row.outlier !== null) continue;
    const m = median(rows.filter((o) => o !== row && o[which] !== null).map((o) => o[which]!));
    if (m !== null && m > 0 && own > 2 * m)
      row.outlier = `${name} p99 ${(own / m).toFixed(1)}x the median of the others (${(m / 1e6).toFixed(3)} ms)`;
  }
}

/** The fleet table of `reports` (each with where it came from). */
export function mergeReports(reports: FleetInput[]): Fleet {
  const rows: FleetRow[] = reports.map(({ report: r, from }) => {
    const q = isQualify(r);
    return {
      node: r.node ?? r.host.hostname,
      kind: q ? 'qualify' : 'disk',
      device: deviceOf(r),
      ...(q ? qualifyRow(r) : diskRow(r)),
      letter: r.grade.letter,
      complete: r.complete,
      passed: q ? r.verdict.passed : r.passed,
      outlier: null,
      from,
    };
  });
  flagOutliers(rows, 'walP99Ns', 'WAL');
  flagOutliers(rows, 'fioP99Ns', "fio's recipe");
  const rank = (x: FleetRow) => (x.letter === null ? LETTERS.length : LETTERS.indexOf(x.letter));
  const worst = [...rows].sort((a, b) => rank(b) - rank(a) || (rankedP99(b) ?? 0) - (rankedP99(a) ?? 0))[0];
  return { schema: FLEET_SCHEMA, rows, worst: worst?.node ?? null, failed: rows.filter((x) => !x.passed).length };
}

/**
 * The JSON objects in a text: whole files, or `kubectl logs` output where each report is printed among progress lines.
 * A top-level object starts at the beginning of a line and ends at its matching brace (strings and escapes
 * respected); other text is skipped.
 */
export function jsonObjectsIn(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (depth > 0 && inString) {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"' && depth > 0) inString = true;
    else if (c === '{' && (depth > 0 || i === 0 || text[i - 1] === '\n')) {
      // a report starts a line (JSON.stringify's layout); a brace inside a progress line does not open one
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        try {
          out.push(JSON.parse(text.slice(start, i + 1)));
        } catch {
          // braces in a progress line, not a report
        }
      }
    }
  }
  return out;
}

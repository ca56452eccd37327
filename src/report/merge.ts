// `report merge`: many qualify reports (files, or the concatenated output of
// `kubectl logs` across a fleet's Jobs) as one table: a row per node with
// its device, the fio recipe's and the WAL's fdatasync p99, the commit p99,
// IOPS, the letter and whether the run completed; the worst node named, and
// outliers flagged: a node whose WAL p99 is more than twice the median of the
// others, even when every node passes.
import type { QualifyReport } from '../qualify/report.js';

export interface FleetRow {
  node: string;
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
  /** The node with the lowest letter (then the highest WAL p99); null with no rows. */
  worst: string | null;
  failed: number;
}

const LETTERS = ['A', 'B', 'C', 'D', 'F'];

function deviceOf(r: QualifyReport): string {
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

/** The fleet table of `reports` (each with where it came from). */
export function mergeReports(reports: { report: QualifyReport; from: string }[]): Fleet {
  const rows: FleetRow[] = reports.map(({ report: r, from }) => ({
    node: r.node ?? r.host.hostname,
    device: deviceOf(r),
    fioP99Ns: r.phases.fio.result?.latency.sync.p99Ns ?? null,
    walP99Ns: r.phases.wal.result?.latency.sync.p99Ns ?? null,
    commitP99Ns: r.phases.wal.result?.commit?.latency.op.p99Ns ?? null,
    iops: r.phases.fio.result?.totals.iops ?? null,
    letter: r.grade.letter,
    complete: r.complete,
    passed: r.verdict.passed,
    outlier: null,
    from,
  }));
  for (const row of rows) {
    if (row.walP99Ns === null) continue;
    const others = rows.filter((o) => o !== row && o.walP99Ns !== null).map((o) => o.walP99Ns!);
    const m = median(others);
    if (m !== null && m > 0 && row.walP99Ns > 2 * m)
      row.outlier = `WAL p99 ${(row.walP99Ns / m).toFixed(1)}x the median of the others (${(m / 1e6).toFixed(3)} ms)`;
  }
  const rank = (x: FleetRow) => (x.letter === null ? LETTERS.length : LETTERS.indexOf(x.letter));
  const worst = [...rows].sort((a, b) => rank(b) - rank(a) || (b.walP99Ns ?? 0) - (a.walP99Ns ?? 0))[0];
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

// --prom-out FILE: a run's key figures in Prometheus' text exposition format,
// for node_exporter's textfile collector. Gauges in base units (seconds,
// bytes), labelled with the device and the profile (and the member, for
// observe); the grade as a number (A=1 ... F=5, 0 none) with the letter as a
// label; the run's end as a timestamp. Written whole or not at all: a
// temporary file in the same directory, then rename.
import type { Letter } from '../verdict/check.js';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import type { DiskResult } from '../disk/disk-result.js';
import type { LoadResult } from '../load/load-result.js';
import { EnvironmentError } from '../core/errors.js';
import type { ObserveReport } from '../observe/observe-report.js';
import type { QualifyReport } from '../qualify/report.js';

export const PREFIX = 'etcd_disk_bench_';

export interface Gauge {
  name: string;
  help: string;
  samples: { labels: Record<string, string>; value: number | null }[];
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

/** The exposition text of some gauges (samples without a value are left out). */
export function exposition(gauges: Gauge[]): string {
  const lines: string[] = [];
  for (const g of gauges) {
    const samples = g.samples.filter((s) => s.value !== null && Number.isFinite(s.value));
    if (samples.length === 0) continue;
    lines.push(`# HELP ${PREFIX}${g.name} ${g.help}`, `# TYPE ${PREFIX}${g.name} gauge`);
    for (const s of samples) {
      const labels = Object.entries(s.labels)
        .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
        .join(',');
      lines.push(`${PREFIX}${g.name}${labels ? `{${labels}}` : ''} ${s.value}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

const letterNumber = (l: Letter | null) => (l === null ? 0 : ['A', 'B', 'C', 'D', 'F'].indexOf(l) + 1);
const sec = (ns: number | null | undefined) => (ns === null || ns === undefined ? null : ns / 1e9);

function common(
  command: string,
  base: Record<string, string>,
  r: { finishedAt: string; complete: boolean },
  grade: { letter: Letter | null } | null,
  passed: boolean,
): Gauge[] {
  const labels = { command, ...base };
  return [
    ...(grade
      ? [
          {
            name: 'grade',
            help: 'the letter as a number: A=1, B=2, C=3, D=4, F=5; 0 when there is none (the letter is a label)',
            samples: [{ labels: { ...labels, grade: grade.letter ?? 'none' }, value: letterNumber(grade.letter) }],
          },
        ]
      : []),
    { name: 'passed', help: '1 when the run passed', samples: [{ labels, value: passed ? 1 : 0 }] },
    { name: 'complete', help: '1 when the run completed', samples: [{ labels, value: r.complete ? 1 : 0 }] },
    {
      name: 'run_timestamp_seconds',
      help: 'when the run ended, in seconds since the epoch',
      samples: [{ labels, value: Date.parse(r.finishedAt) / 1000 }],
    },
  ];
}

const deviceOf = (t: { device: { name: string } | null; fsType: string }) => t.device?.name ?? t.fsType;
const profileOf = (p: { name: string } | null) => p?.name ?? 'none';

/** A qualify report's figures. */
export function qualifyGauges(r: QualifyReport): Gauge[] {
  const labels = { device: deviceOf(r.target), profile: profileOf(r.profile), node: r.node ?? r.host.hostname };
  const wal = r.phases.wal.result;
  const fio = r.phases.fio.result;
  const etcd = r.phases.etcd.result;
  const g = (name: string, help: string, value: number | null): Gauge => ({ name, help, samples: [{ labels, value }] });
  return [
    g('wal_fdatasync_p99_seconds', "WAL fdatasync p99 in etcd's write shape", sec(wal?.latency.sync.p99Ns)),
    g('fio_fdatasync_p99_seconds', "fdatasync p99 of fio's etcd recipe", sec(fio?.latency.sync.p99Ns)),
    g('backend_commit_p99_seconds', "backend commit p99 in bbolt's shape", sec(wal?.commit?.latency.op.p99Ns)),
    g('fio_iops', "write+fdatasync operations per second of fio's etcd recipe", fio?.totals.iops ?? null),
    g(
      'etcd_request_p99_seconds',
      'request p99 of the local etcd under the kube load',
      sec(etcd?.latency.response.p99Ns),
    ),
    ...common('qualify', labels, r, r.grade, r.verdict.passed),
  ];
}

/** A disk result's figures. */
export function diskGauges(r: DiskResult): Gauge[] {
  const labels = { device: deviceOf(r.target), profile: profileOf(r.profile) };
  const g = (name: string, help: string, value: number | null): Gauge => ({ name, help, samples: [{ labels, value }] });
  return [
    g('sync_p99_seconds', 'p99 of the sync that makes each write durable', sec(r.latency.sync.p99Ns)),
    g('write_p99_seconds', 'p99 of write()', sec(r.latency.write.p99Ns)),
    g('iops', 'operations per second', r.totals.iops),
    g('write_bytes_per_second', 'bytes written per second', r.totals.bytesPerSec),
    g('commit_p99_seconds', 'backend commit p99 (with --commit)', sec(r.commit?.latency.op.p99Ns)),
    ...common('disk', labels, r, r.grade, r.passed),
  ];
}

/** A load result's figures. */
export function loadGauges(r: LoadResult): Gauge[] {
  const labels = { workload: r.workload.name, profile: profileOf(r.profile) };
  const g = (name: string, help: string, value: number | null): Gauge => ({ name, help, samples: [{ labels, value }] });
  return [
    g('request_p99_seconds', 'request p99 from each intended start (response time)', sec(r.latency.response.p99Ns)),
    g('requests_per_second', 'requests answered per second', r.totals.achievedPerSec),
    g('requests_failed', 'requests that failed or were never sent', r.totals.failed),
    ...common('load', labels, r, null, r.passed),
  ];
}

/** An observe report's figures, one sample per member. */
export function observeGauges(r: ObserveReport): Gauge[] {
  const per = (name: string, help: string, pick: (m: ObserveReport['members'][number]) => number | null): Gauge => ({
    name,
    help,
    samples: r.members.map((m) => ({ labels: { member: m.name, profile: profileOf(r.profile) }, value: pick(m) })),
  });
  return [
    per('member_wal_fsync_p99_seconds', "a member's own WAL fsync p99 (estimate inside etcd's bucket)", (m) =>
      sec(m.metrics.walFsync?.p99?.estimateNs),
    ),
    per('member_backend_commit_p99_seconds', "a member's own backend commit p99 (estimate)", (m) =>
      sec(m.metrics.backendCommit?.p99?.estimateNs),
    ),
    per('member_peer_rtt_p99_seconds', "a member's worst peer round-trip p99 (estimate)", (m) =>
      sec(m.checks.find((c) => c.id === 'peer-rtt-p99')?.measured),
    ),
    per('member_leader_changes', 'leader changes a member saw in the window', (m) => m.metrics.leaderChanges),
    per('member_db_size_bytes', "a member's database file size at the end of the window", (m) => m.metrics.dbSizeBytes),
    per(
      'member_db_in_use_bytes',
      'of it, the part in use (the rest is free pages: fragmentation)',
      (m) => m.metrics.dbInUseBytes,
    ),
    per('member_grade', "a member's letter as a number: A=1 ... F=5, 0 none", (m) => letterNumber(m.grade.letter)),
    ...common('observe', { profile: profileOf(r.profile) }, r, r.grade, r.verdict.passed),
  ];
}

/** Writes `text` to `path` whole: a temporary file beside it, then rename (the collector never reads half a file). */
export function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new EnvironmentError(`--prom-out: cannot write ${path}: ${(e as Error).message}`);
  }
}

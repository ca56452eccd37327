// What `lab replay-disk --from REPORT` replays: the durable stream's HDR
// histogram of one disk phase of a report (a qualify report's WAL or fio
// phase, or a disk result printed with --json): the fdatasync of each batch,
// or write() where O_DSYNC/O_SYNC made it pay. A report that holds none (an
// older schema, a phase that did not run, a run without syncs) is refused
// before anything is made, naming what is missing.
import { UsageError } from '../core/errors.js';
import type { DiskResult } from '../disk/disk-result.js';
import { distFigures, recordedValues } from '../lab/replay-dist.js';
import type { ReplayPhase, ReplaySource } from '../lab/replay-lab-result.js';
import { readReport } from './read-report.js';

const fail = (file: string, why: string) => new UsageError(`--from: ${file}: ${why}`, 'from');

/** The disk phase of a report that `phase` names, or why there is none. */
function phaseResult(
  file: string,
  phase: ReplayPhase,
  phaseGiven: boolean,
): { r: DiskResult; schema: string; node: string | null; startedAt: string } {
  const any = readReport(file, '--from');
  if (any.kind === 'qualify') {
    const q = any.report;
    const p = q.phases[phase];
    if (p.status === 'not-run' || !p.result)
      throw fail(
        file,
        `its ${phase} phase ${p.status === 'not-run' ? 'did not run' : 'gave no result'}` +
          `${p.reason ? ` (${p.reason})` : ''}: there is no fdatasync distribution to replay` +
          (phase === 'wal' ? '; try --phase fio' : ''),
      );
    return { r: p.result, schema: q.schema, node: q.node ?? q.host?.hostname ?? null, startedAt: q.startedAt };
  }
  if (any.kind === 'disk') {
    const r = any.report;
    const its: ReplayPhase = r.workload.mode === 'wal' ? 'wal' : 'fio';
    if (phaseGiven && its !== phase)
      throw fail(file, `a disk result of the ${r.workload.mode} shape has no ${phase} phase; leave --phase out`);
    return { r, schema: r.schema, node: r.node ?? r.host?.hostname ?? null, startedAt: r.startedAt };
  }
  throw fail(
    file,
    `a ${any.kind} report has no disk's fdatasync distribution; give a qualify report (--out) or a disk result ` +
      '(--json)',
  );
}

/** Reads the distribution `lab replay-disk` replays; bad or empty input is a UsageError (exit 2). */
export function readReplaySource(file: string, phase: ReplayPhase, phaseGiven: boolean): ReplaySource {
  const { r, schema, node, startedAt } = phaseResult(file, phase, phaseGiven);
  const its: ReplayPhase = r.workload?.mode === 'wal' ? 'wal' : 'fio';
  const stream = r.durableStream;
  if (stream === null || stream === undefined)
    throw fail(file, `its ${its} phase ran without syncs (--sync-method none): nothing paid for durability`);
  const encoded = r.histograms?.[stream];
  if (typeof encoded !== 'string' || encoded === '')
    throw fail(file, `its ${its} phase holds no ${stream} histogram (schema ${schema}): nothing to replay`);
  let values: [number, number][];
  try {
    values = recordedValues(encoded);
  } catch (e) {
    throw fail(file, `its ${stream} histogram cannot be decoded: ${(e as Error).message}`);
  }
  if (values.length === 0) throw fail(file, `its ${its} phase recorded no ${stream} operations: nothing to replay`);
  return { file, schema, node, startedAt, phase: its, stream, values, encoded, figures: distFigures(values) };
}

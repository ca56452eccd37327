// What a disk run asks of its grader, which its caller hands in: the runner
// measures, the grader (src/grade/grade-disk.ts) turns the figures into checks,
// attribution and a letter. The disk folder imports no grading code.
import type { Check, Grade, Letter } from '../verdict/check.js';
import type { HostEvidence } from '../host/host-sampler.js';
import type { DiskStats } from '../stats/disk-recorder.js';
import type { StepReport } from '../stats/step-detector.js';
import type { DiskOptions } from './disk-option-values.js';
import type { CommitFacts, DiskResult, DiskWorkload } from './disk-result.js';
import type { PhaseSnapshot } from './run-phase.js';
import type { DeviceIo } from '../host/device-io.js';
import type { SlowOp } from './slow-ops.js';

/** What a finished disk phase measured, as the grader needs it. */
export interface DiskMeasured {
  o: DiskOptions;
  workload: DiskWorkload;
  stats: DiskStats;
  /** The WAL segment cuts' own fsyncs (WAL mode), judged with the stalls. */
  cutSyncs: DiskStats | null;
  /** The WAL segment cuts, each whole (WAL mode): what Raft waited for beside the batch. */
  cuts: DiskStats | null;
  commit: CommitFacts | null;
  stepChange: StepReport;
  hostEvidence: HostEvidence;
  deviceIo: DeviceIo;
  prepareNs: number;
  /** The measured writer's operations of 50 ms or more, with the CPU wait measured inside each. */
  slowOps: SlowOp[];
  /** The target is held in memory (tmpfs, ramfs: target-dir.ts): no disk verdict. */
  memory: string | null;
  incompleteReason: string | undefined;
}

export interface DiskGrading {
  /** The checks of a running phase as they stand each second, and the letter they head to. */
  tick(s: PhaseSnapshot, o: DiskOptions, workload: DiskWorkload): { checks: Check[]; letter: Letter | null };
  /** The finished phase's checks, what a miss belongs to, the letter and whether it passed. */
  result(m: DiskMeasured): Pick<DiskResult, 'checks' | 'attribution' | 'grade' | 'passed' | 'burst'> & { grade: Grade };
}

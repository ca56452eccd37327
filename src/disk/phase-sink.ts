// Where a disk phase's batches go: each stream to its recorder, the writer's
// slow operations to a list. One method for every batch of every run (see
// warm-up.ts): it branches on the stream rather than looking it up, so the
// same optimised code serves the seq and the WAL modes.
import type { DiskRecorder } from '../stats/disk-recorder.js';
import type { StreamName } from './native-engine.js';
import type { SampleSink } from './run-workloads.js';
import { slowOpsOf, type SlowOp } from './slow-ops.js';

export class PhaseSink implements SampleSink {
  readonly slowOps: SlowOp[] = [];

  constructor(
    readonly main: DiskRecorder,
    readonly cut: DiskRecorder | null,
    readonly cutSyncs: DiskRecorder | null,
    readonly commit: DiskRecorder | null,
  ) {}

  take(batch: Float64Array, stream: StreamName): void {
    if (stream === 'seq' || stream === 'wal') this.main.add(batch);
    else if (stream === 'slowop') this.slowOps.push(...slowOpsOf(batch));
    else if (stream === 'cut') this.cut?.add(batch);
    else if (stream === 'cutsync') this.cutSyncs?.add(batch);
    else this.commit?.add(batch);
  }

  takeFolded(chunk: Float64Array, stream: StreamName): void {
    if (stream === 'seq' || stream === 'wal') this.main.addFolded(chunk);
    else throw new Error(`a folded chunk of stream ${stream}: only the measured stream is folded`);
  }
}

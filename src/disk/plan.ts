// Turns disk options into the workloads to start: the measured writer (fio's
// sequential shape or etcd's WAL), the backend-commit stream and neighbours,
// each with its file inside the run directory, plus the space they need.
import { join } from 'node:path';
import type { DiskOptions } from './disk-option-values.js';
import type { WriterConfig } from './engine.js';
import type { CommitConfig, NeighbourConfig, WalConfig } from './workload-configs.js';

/** The commit stream's db stops growing here and reuses pages instead. */
export const COMMIT_DB_MAX_BYTES = 256 * 1024 * 1024;
export const COMMIT_GROW_BYTES = 16 * 1024 * 1024;

export type MainWorkload = { kind: 'seq'; config: WriterConfig } | { kind: 'wal'; config: WalConfig };

export interface DiskPlan {
  main: MainWorkload;
  commit: CommitConfig | null;
  neighbours: NeighbourConfig[];
  /** Directories to create inside the run directory before starting. */
  dirs: string[];
  /** The most the run may occupy on the disk. */
  bytesNeeded: number;
}

function mainWorkload(o: DiskOptions, runDir: string): MainWorkload {
  if (o.mode === 'wal') {
    return {
      kind: 'wal',
      config: {
        dir: join(runDir, 'wal'),
        segmentBytes: o.walSegmentSize,
        recordMin: o.walRecordSize.min,
        recordMax: o.walRecordSize.max,
        batchMin: o.walBatch.min,
        batchMax: o.walBatch.max,
        durationNs: o.runtime,
        totalBytes: o.runtime > 0 ? 0 : o.size,
        rateOpsPerSec: o.rate,
        keepSegments: o.walKeep,
      },
    };
  }
  return {
    kind: 'seq',
    config: {
      path: join(runDir, 'seq.dat'),
      blockSize: o.blockSize,
      fileSize: o.size,
      timeBased: o.timeBased,
      durationNs: o.runtime,
      syncMethod: o.syncMethod,
      syncEvery: o.syncEvery,
      direct: o.direct,
      prepare: o.prepare,
      fallocate: o.fallocate === '0' ? 'none' : o.fallocate === '1' ? 'posix' : o.fallocate,
      invalidate: o.invalidate,
      endFsync: o.endFsync,
      rateOpsPerSec: o.rate,
    },
  };
}

/** Plans a disk run in `runDir` (which need not exist yet). */
export function planDisk(o: DiskOptions, runDir: string): DiskPlan {
  const main = mainWorkload(o, runDir);
  const commit: CommitConfig | null = o.commit
    ? {
        path: join(runDir, 'backend.db'),
        intervalNs: o.commitInterval,
        pagesMin: o.commitPages.min,
        pagesMax: o.commitPages.max,
        growBytes: COMMIT_GROW_BYTES,
        maxBytes: COMMIT_DB_MAX_BYTES,
      }
    : null;
  const neighbours: NeighbourConfig[] = Array.from({ length: o.neighbours }, (_, i) => ({
    path: join(runDir, `neighbour-${i}.dat`),
    blockBytes: o.neighbourBlockSize,
    fileBytes: o.neighbourFileSize,
    bytesPerSec: o.neighbourRate,
    direct: o.neighbourDirect,
  }));
  // WAL: the kept segments, the one being written and the preallocated next one.
  const mainBytes = main.kind === 'wal' ? (o.walKeep + 2) * o.walSegmentSize : o.size;
  const bytesNeeded =
    mainBytes + (commit ? COMMIT_DB_MAX_BYTES + COMMIT_GROW_BYTES : 0) + o.neighbours * o.neighbourFileSize;
  return { main, commit, neighbours, dirs: main.kind === 'wal' ? [main.config.dir] : [], bytesNeeded };
}

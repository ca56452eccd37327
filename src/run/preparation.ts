// What a run establishes before it writes anything: the target directory
// checked, the facts of the storage under it, the etcd binary chosen. Each is
// done once per run however many phases need it, and recorded here, so a
// test (and a reader) can see that qualify's phases share one check.
import { type StorageFacts, storageFacts } from '../host/storage-facts.js';
import { checkTargetDir, type TargetDir } from './target-dir.js';

export class Preparation {
  /** What was established, in order ("target-dir", "storage-facts", "etcd-binary", ...). */
  readonly ran: string[] = [];

  /** Does `work` and records that `what` was established. */
  record<T>(what: string, work: () => T): T {
    const out = work();
    this.ran.push(what);
    return out;
  }
}

/** The target directory checked and the storage under it: what every phase writing under --dir needs. */
export interface PreparedTarget {
  target: TargetDir;
  storage: StorageFacts;
}

/**
 * Checks the target and reads the storage facts under it, once. The room a phase needs is checked as that phase
 * starts (checkFreeSpace): free space is the environment's, and a phase short of it fails with a report saying so.
 */
export function prepareTarget(
  prep: Preparation,
  dir: string,
  opts: Parameters<typeof checkTargetDir>[1],
): PreparedTarget {
  const target = prep.record('target-dir', () => checkTargetDir(dir, opts));
  const storage = prep.record('storage-facts', () => storageFacts(target.dir));
  return { target, storage };
}

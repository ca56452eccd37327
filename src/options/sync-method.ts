// How a write is made durable (--sync-method), and which of a run's streams
// pays for it: the sync call after writes, or the write itself when the file
// is opened O_DSYNC/O_SYNC. The writer, the checks and the method comparison
// all read it from here.

export const SYNC_METHODS = ['fdatasync', 'fsync', 'dsync', 'sync', 'none'] as const;
export type SyncMethod = (typeof SYNC_METHODS)[number];

/** Which stream pays for durability under a sync method (null: nothing is made durable). */
export function durableStream(syncMethod: SyncMethod): 'sync' | 'write' | null {
  if (syncMethod === 'fdatasync' || syncMethod === 'fsync') return 'sync';
  if (syncMethod === 'dsync' || syncMethod === 'sync') return 'write';
  return null;
}

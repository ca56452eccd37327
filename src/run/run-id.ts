// Run ids: sortable UTC time plus a random suffix, safe in file names.
import { randomBytes } from 'node:crypto';

/** e.g. 20261129T033015Z-9f3a */
export function newRunId(now = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

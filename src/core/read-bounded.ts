// Reads a file (or standard input) that came from elsewhere, a report from
// another node or a fleet's merged output, with a size limit: a file of
// gigabytes, or a stream that never ends, is refused before it fills memory.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { EnvironmentError } from './errors.js';

/** The largest report file read: a thorough qualify report is a few MB. */
export const REPORT_MAX_BYTES = 256 * 1024 * 1024;

/** A file or stdin past its size limit (exit 3): named, with the limit. */
export class FileLimitError extends EnvironmentError {
  constructor(what: string, limitBytes: number) {
    super(`${what} is over ${limitBytes} bytes, more than any report of this tool; refused unread`, 'READ_LIMIT');
  }
}

/** The whole of `file` (a path, or 0 for standard input) as UTF-8, at most `limit` bytes. */
export function readTextBounded(file: string | 0, what: string, limit = REPORT_MAX_BYTES): string {
  const fd = file === 0 ? 0 : openSync(file, 'r');
  try {
    const st = fstatSync(fd);
    if (st.isFile() && st.size > limit) throw new FileLimitError(what, limit);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(1024 * 1024);
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        // A non-blocking stdin with nothing yet: wait a little and read again.
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') {
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
          continue;
        }
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      total += n;
      if (total > limit) throw new FileLimitError(what, limit);
      chunks.push(buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    if (file !== 0) closeSync(fd);
  }
}

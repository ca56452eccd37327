// File layout for the JS engine, matching the native writer's modes. Node has
// no fallocate(), so that mode uses util-linux's fallocate(1).
import { spawnSync } from 'node:child_process';
import { closeSync, fdatasyncSync, ftruncateSync, openSync, writeSync } from 'node:fs';
import type { WriterConfig } from './engine.js';

function fallocateError(path: string, why: string): Error {
  return Object.assign(
    new Error(`EOPNOTSUPP: fallocate failed, fallocate '${path}' (${why}; use --engine native or --prepare truncate)`),
    {
      code: 'EOPNOTSUPP',
      errno: -95,
      syscall: 'fallocate',
      path,
    },
  );
}

/** Creates config.path (never an existing file) and lays it out; returns nanoseconds spent. */
export function prepareFileJs(config: WriterConfig): number {
  const t0 = process.hrtime.bigint();
  const fd = openSync(config.path, 'wx', 0o644);
  try {
    if (config.prepare === 'truncate') ftruncateSync(fd, config.fileSize);
    if (config.prepare === 'overwrite') {
      const chunk = Buffer.alloc(1 << 20, 0xa5);
      for (let done = 0; done < config.fileSize; ) {
        done += writeSync(fd, chunk, 0, Math.min(chunk.length, config.fileSize - done), done);
      }
      fdatasyncSync(fd);
    }
  } finally {
    closeSync(fd);
  }
  if (config.prepare === 'fallocate') {
    const r = spawnSync('fallocate', ['-l', String(config.fileSize), config.path], { encoding: 'utf8' });
    if (r.status !== 0) throw fallocateError(config.path, r.error ? r.error.message : r.stderr.trim());
  }
  return Number(process.hrtime.bigint() - t0);
}

// The run directory, DIR/etcd-disk-bench-RUNID/: the only place a run writes.
// It holds a marker naming the process that owns it. A run killed with SIGKILL
// cannot remove its directory; the next run in the same DIR removes it, once
// the marker shows that its owner is gone (same host, and another boot, or no
// such process any more). A directory without our marker, or owned by another
// host or by a process still running, is left alone.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, isSystemError } from '../core/errors.js';

export const RUN_DIR_PREFIX = 'etcd-disk-bench-';
export const OWNER_MARKER = '.etcd-disk-bench-owner.json';

export interface RunDirOwner {
  runId: string;
  host: string;
  bootId: string;
  pid: number;
  /** The process's start time in clock ticks since boot (/proc/PID/stat field 22): tells a reused pid apart. */
  startTicks: string;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Field 22 of /proc/PID/stat; null when there is no such process. */
export function processStartTicks(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // the command name (field 2) may hold spaces and parentheses: count from the last ')'
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
}

export function currentOwner(runId: string): RunDirOwner {
  return {
    runId,
    host: hostname(),
    bootId: readText('/proc/sys/kernel/random/boot_id') ?? '',
    pid: process.pid,
    startTicks: processStartTicks(process.pid) ?? '',
  };
}

/** Why the owner of a run directory is gone, or null when it may still be running (or we cannot tell). */
export function ownerGone(owner: RunDirOwner, now: RunDirOwner): string | null {
  if (owner.host !== now.host) return null;
  if (owner.bootId !== '' && now.bootId !== '' && owner.bootId !== now.bootId) return 'the machine has rebooted since';
  const ticks = processStartTicks(owner.pid);
  if (ticks === null) return `process ${owner.pid} is no longer running`;
  if (owner.startTicks !== '' && ticks !== owner.startTicks)
    return `process ${owner.pid} is no longer running (its pid now belongs to another process)`;
  return null;
}

function readOwner(dir: string): RunDirOwner | null {
  const text = readText(join(dir, OWNER_MARKER));
  if (text === null) return null;
  try {
    const o = JSON.parse(text) as Partial<RunDirOwner>;
    if (
      typeof o.runId !== 'string' ||
      typeof o.host !== 'string' ||
      typeof o.bootId !== 'string' ||
      typeof o.pid !== 'number' ||
      typeof o.startTicks !== 'string'
    )
      return null;
    return o as RunDirOwner;
  } catch {
    return null;
  }
}

/** Removes the run directories in `targetDir` whose owner is gone; one message per directory, removed or not. */
export function removeLeftoverRunDirs(targetDir: string): string[] {
  const now = currentOwner('');
  const messages: string[] = [];
  let names: string[];
  try {
    names = readdirSync(targetDir).filter((n) => n.startsWith(RUN_DIR_PREFIX));
  } catch {
    return messages;
  }
  for (const name of names) {
    const dir = join(targetDir, name);
    const owner = readOwner(dir);
    const gone = owner ? ownerGone(owner, now) : null;
    if (!owner || !gone) continue;
    try {
      rmSync(dir, { recursive: true, force: true });
      messages.push(`removed ${dir}, left by run ${owner.runId}: ${gone} (killed before it could clean up)`);
    } catch (e) {
      messages.push(
        `${dir} was left by run ${owner.runId} (${gone}) and could not be removed: ${(e as Error).message}; remove ` +
          `it by hand`,
      );
    }
  }
  return messages;
}

/**
 * Makes DIR/etcd-disk-bench-RUNID/ (mode 0700) with its owner marker. checkTargetDir() has removed what killed runs
 * left.
 */
export function createRunDir(targetDir: string, runId: string): string {
  const runDir = join(targetDir, `${RUN_DIR_PREFIX}${runId}`);
  const fail = (e: unknown) =>
    new EnvironmentError(
      `cannot create the run directory ${runDir}: ${(e as Error).message}`,
      isSystemError(e) ? e.code : undefined,
    );
  try {
    mkdirSync(runDir, { mode: 0o700 });
  } catch (e) {
    throw fail(e);
  }
  try {
    writeFileSync(join(runDir, OWNER_MARKER), `${JSON.stringify(currentOwner(runId))}\n`);
  } catch (e) {
    rmSync(runDir, { recursive: true, force: true });
    throw fail(e);
  }
  return runDir;
}

// What bench:etcd and bench:client share: a child's CPU read from bash's
// `times` (everything it did from start to exit, all its threads), and a
// fresh single-member etcd on the bench directory for one run.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CleanupRegistry } from '../src/run/cleanup.js';
import { startLocalEtcd } from '../src/etcd/local-etcd.js';

/**
 * Runs `cmd` under bash: its output (stderr with it when `stderr` is 'merge', else dropped) and its CPU, user plus
 * system, from bash's `times`.
 */
export async function withChildCpu(
  cmd: string[],
  o: { env?: Record<string, string>; stderr?: 'merge' | 'drop' } = {},
): Promise<{ out: string; cpuSec: number }> {
  const quoted = cmd.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const redirect = o.stderr === 'merge' ? '2>&1' : '2>/dev/null';
  let out: string;
  try {
    out = (
      await promisify(execFile)('bash', ['-c', `${quoted} ${redirect}; times`], {
        env: { ...process.env, ...o.env },
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      })
    ).stdout;
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? '');
  }
  const lines = out.trim().split('\n');
  const children = lines[lines.length - 1]!.split(/\s+/).map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
  });
  return { out: lines.slice(0, -2).join('\n'), cpuSec: (children[0] ?? 0) + (children[1] ?? 0) };
}

/** A fresh single-member etcd (8 GiB quota) under `base` for `f`, with its client URL and pid; removed after. */
export async function onFreshEtcd<T>(base: string, f: (endpoint: string, pid: number) => Promise<T>): Promise<T> {
  const root = mkdtempSync(join(base, 'edb-bench-etcd-'));
  const cleanup = new CleanupRegistry();
  try {
    const c = await startLocalEtcd({
      bin: 'etcd',
      root,
      members: 1,
      cleanup,
      token: 'bench',
      extraArgs: ['--quota-backend-bytes', String(8 * 1024 ** 3)],
    });
    return await f(c.endpoints[0]!, c.members[0]!.process.pid!);
  } finally {
    await cleanup.drain();
    rmSync(root, { recursive: true, force: true });
  }
}

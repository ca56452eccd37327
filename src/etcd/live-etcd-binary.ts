// `--etcd-bin live`: the binary of the etcd that runs on this node, so the
// throwaway etcd is exactly the version production runs. On a control-plane
// node etcd runs from an image (kubeadm's static pod): the node's PATH has no
// etcd, but with the host's PID namespace (the Job's hostPID) its
// /proc/PID/exe is that very binary, and exec through it works while it runs.
// Reading another user's /proc/PID/exe needs root or CAP_SYS_PTRACE: without
// it we say so, and where the image's files lie on the node (its own mount
// table, readable by anyone), never falling back silently to another etcd.
import { execFileSync } from 'node:child_process';
import { accessSync, constants, readlinkSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { etcdProcesses } from '../host/etcd-processes.js';
import { parseMountinfo } from '../host/mountinfo.js';

export interface LiveEtcdBinary {
  /** What to exec: /proc/PID/exe (valid while that etcd runs). */
  bin: string;
  version: string;
  /** Where it came from, in words: "the live etcd, pid 812 (/usr/local/bin/etcd)". */
  words: string;
}

const HOW =
  "run as root, or give the Job CAP_SYS_PTRACE (it reads another user's /proc/PID/exe), or pass --etcd-bin with " +
  "the path of the etcd image's files on the node";

/** Where an etcd's root filesystem lies on the node: an overlay's layers, from its mount table. */
function imageRootWords(mountinfo: string | null): string {
  if (!mountinfo) return '';
  const root = parseMountinfo(mountinfo).find((m) => m.mountPoint === '/');
  if (!root) return '';
  const opt = (k: string) =>
    root.superOptions
      .split(',')
      .find((o) => o.startsWith(`${k}=`))
      ?.slice(k.length + 1);
  const lower = opt('lowerdir')?.split(':')[0];
  if (root.fsType !== 'overlay' || !lower) return '';
  return (
    `; its root is an overlay whose image layer is at ${lower} on the node ` +
    `(e.g. --etcd-bin ${lower}/usr/local/bin/etcd)`
  );
}

/** No live etcd runs here: the one failure `--etcd-bin live,PATH` falls back on. */
export class NoLiveEtcdError extends UsageError {}

/** The live etcd's binary; exit 2 when there is none, several disagree, or it cannot be read. */
export function liveEtcdBinary(proc = '/proc'): LiveEtcdBinary {
  const live = etcdProcesses(proc).filter((p) => p.ourRun === null);
  if (live.length === 0)
    throw new NoLiveEtcdError(
      '--etcd-bin live: no live etcd runs on this host (no etcd among its processes; in a Kubernetes Job give it ' +
        "the host's PID namespace, hostPID: true)",
      'etcdBin',
    );
  const found: { pid: number; exe: string; version: string }[] = [];
  const refused: string[] = [];
  for (const p of live) {
    const link = `${proc}/${p.pid}/exe`;
    try {
      const exe = readlinkSync(link);
      accessSync(link, constants.X_OK);
      const out = execFileSync(link, ['--version'], { encoding: 'utf8', timeout: 10_000 });
      found.push({ pid: p.pid, exe, version: /etcd Version: (\S+)/.exec(out)?.[1] ?? 'unknown' });
    } catch (e) {
      refused.push(
        `pid ${p.pid}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}${imageRootWords(p.mountinfo)}`,
      );
    }
  }
  if (found.length === 0)
    throw new UsageError(
      `--etcd-bin live: the live etcd's binary cannot be read here (${refused.join('; ')}); ${HOW}`,
      'etcdBin',
    );
  const versions = [...new Set(found.map((f) => f.version))];
  if (versions.length > 1)
    throw new UsageError(
      `--etcd-bin live: the live etcds run different versions ` +
        `(${found.map((f) => `pid ${f.pid}: ${f.version}`).join(', ')}); pass --etcd-bin with the one to measure`,
      'etcdBin',
    );
  const first = found[0]!;
  return {
    bin: `${proc}/${first.pid}/exe`,
    version: first.version,
    words: `the live etcd, pid ${first.pid} (${first.exe})`,
  };
}

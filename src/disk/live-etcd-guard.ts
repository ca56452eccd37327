// Before a run writes anything: is a live etcd on this disk? A directory
// inside an etcd's data or WAL directory is refused outright. An etcd whose
// data shares the filesystem or the physical disk with --dir is refused
// unless --allow-live-etcd: our fsyncs would compete with its WAL's, which is
// how a disk test causes leader elections. Our own throwaway members (another
// run of ours) are named in a warning only.
import { realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../errors.js';
import { deviceFacts, majMinOf } from '../host/block-device.js';
import { etcdProcesses, type EtcdProcess } from '../host/etcd-processes.js';

/** A live etcd whose data shares the disk with the run. */
export interface SharedEtcd {
  pid: number;
  dataDir: string;
  walDir: string | null;
  /** Where its data dir was read from (--data-dir, ETCD_DATA_DIR, config file, default). */
  from: string;
  metricsUrl: string | null;
  /** filesystem: the same mounted filesystem as --dir; device: another filesystem on the same physical disk. */
  shares: 'filesystem' | 'device';
}

export interface LiveEtcdFindings {
  /** Live etcds (not ours) sharing the disk: only when --allow-live-etcd let the run go on. */
  shared: SharedEtcd[];
  warnings: string[];
}

type Id = { dev: bigint; ino: bigint };

function idOf(path: string): Id | null {
  try {
    const s = statSync(path, { bigint: true });
    return { dev: s.dev, ino: s.ino };
  } catch {
    return null;
  }
}

/** The physical disks under a device number (empty when it is not a block device). */
function disksOf(dev: bigint): string[] {
  try {
    return deviceFacts(majMinOf(dev))?.physical.map((p) => p.name) ?? [];
  } catch {
    return [];
  }
}

/** `dir` and each directory above it, as (dev, ino). */
function ancestry(dir: string): Id[] {
  const out: Id[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const id = idOf(d);
    if (id) out.push(id);
    if (d === dirname(d)) return out;
  }
}

function describe(p: EtcdProcess): string {
  return `etcd pid ${p.pid} (data ${p.dataDir}${p.walDir ? `, WAL ${p.walDir}` : ''}; from ${p.from})`;
}

/** Checks --dir against the etcds running here; throws UsageError (exit 2) for a refusal. */
export function guardLiveEtcd(dirArg: string, allow: boolean, processes = etcdProcesses()): LiveEtcdFindings {
  const dir = realpathSync(dirArg);
  const here = ancestry(dir);
  const dev = here[0]!.dev;
  const ourDisks = disksOf(dev);
  const shared: SharedEtcd[] = [];
  const warnings: string[] = [];
  const refused: string[] = [];
  for (const p of processes) {
    const places = [p.dataDir, p.walDir].filter((x): x is string => x !== null);
    const ids = places.map((x) => idOf(join(p.root, x)));
    ids.forEach((id, i) => {
      if (id && here.some((a) => a.dev === id.dev && a.ino === id.ino))
        throw new UsageError(
          `--dir: ${dir} is inside ${places[i]}, the ${i === 0 ? 'data' : 'WAL'} directory of the running ` +
            `${describe(p)}; refusing to write there. Point --dir at a directory of its own on the same disk`,
          'dir',
        );
    });
    const found = ids.filter((x): x is Id => x !== null);
    if (found.length === 0) {
      warnings.push(
        `${describe(p)}: its data directory cannot be read here (through /proc/${p.pid}/root), so whether it ` +
          `shares the disk with ${dir} was not checked`,
      );
      continue;
    }
    const sameFs = found.some((id) => id.dev === dev);
    const sameDisk = !sameFs && found.some((id) => disksOf(id.dev).some((d) => ourDisks.includes(d)));
    if (!sameFs && !sameDisk) continue;
    const how = sameFs ? 'the same filesystem' : `the same disk (${ourDisks.join(', ')})`;
    if (p.ourRun) {
      warnings.push(
        `a throwaway etcd of another etcd-disk-bench run (${p.ourRun}, pid ${p.pid}) keeps its data on ${how} as ` +
          `${dir}: its writes compete with this run's`,
      );
      continue;
    }
    if (!allow) {
      refused.push(`${describe(p)} on ${how}`);
      continue;
    }
    shared.push({
      pid: p.pid,
      dataDir: p.dataDir,
      walDir: p.walDir,
      from: p.from,
      metricsUrl: p.metricsUrl,
      shares: sameFs ? 'filesystem' : 'device',
    });
    warnings.push(
      `--allow-live-etcd: ${describe(p)} shares ${how} with ${dir}; its own WAL fsync during this run is ` +
        'reported beside ours',
    );
  }
  if (refused.length > 0)
    throw new UsageError(
      `--dir: a live etcd keeps its data on this disk: ${refused.join('; ')}. This run's fsyncs would compete ` +
        "with that etcd's WAL fsyncs and can delay its heartbeats into leader elections: disk tests cause outages " +
        'this way. To proceed safely: `etcd-disk-bench observe` grades that etcd from its own metrics without ' +
        'adding load; or run in quiet hours, short (e.g. --profile quick), with --allow-live-etcd',
      'allowLiveEtcd',
    );
  return { shared, warnings };
}

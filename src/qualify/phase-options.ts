// qualify's phases are the fio-etcd and wal disk profiles and the kube load
// profile, run as they are, with qualify's own values laid over them: where
// (dir, engine, etcd binary, members), how long (one runtime per phase) and
// any limit the user or the qualify profile set. Each value keeps its source.
import type { ResolvedDiskOptions } from '../disk/disk-option-values.js';
import type { ResolvedLoadOptions } from '../load/load-option-values.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve.js';
import { DISK_OPTION_KEYS, LOAD_OPTION_KEYS, QUALIFY_OPTION_KEYS, type OptionKey } from '../options/table.js';

export type QualifyOptionKey = (typeof QUALIFY_OPTION_KEYS)[number];
export type ResolvedQualifyOptions = ResolvedOptions<QualifyOptionKey>;

/** The disk profile each disk phase runs, and the etcd phase's load profile. */
export const PHASE_PROFILES = { fio: 'fio-etcd', wal: 'wal', etcd: 'kube' } as const;

/** Always taken from qualify: where and with what the phase runs. */
const ALWAYS = ['dir', 'etcdBin', 'members'] as const;

function overlay<K extends OptionKey>(
  target: ResolvedOptions<K>,
  q: ResolvedQualifyOptions,
  runtimeFrom: QualifyOptionKey,
): void {
  const values = target.values as Record<string, unknown>;
  const sources = target.sources as Record<string, string>;
  const qv = q.values as Record<string, unknown>;
  const qs = q.sources as Record<string, string>;
  for (const key of QUALIFY_OPTION_KEYS) {
    // --volume is forecast once, from the etcd phase's device writes, not from each disk phase's flood.
    if (!(key in values) || key === 'profile' || key === 'json' || key === 'volume') continue;
    const always = (ALWAYS as readonly string[]).includes(key);
    if (always || qs[key] !== 'default') {
      values[key] = qv[key];
      sources[key] = qs[key]!;
    }
  }
  values.runtime = qv[runtimeFrom];
  sources.runtime = qs[runtimeFrom]!;
}

/** The fio recipe, stopped after --fio-runtime on a disk too slow to write 22 MiB in time. */
export function fioPhaseOptions(q: ResolvedQualifyOptions): ResolvedDiskOptions {
  const r = resolveOptions(DISK_OPTION_KEYS, {}, loadProfile(PHASE_PROFILES.fio, DISK_OPTION_KEYS));
  overlay(r, q, 'fioRuntime');
  return r;
}

/** etcd's WAL shape with the commit stream, for --wal-runtime. */
export function walPhaseOptions(q: ResolvedQualifyOptions): ResolvedDiskOptions {
  const r = resolveOptions(DISK_OPTION_KEYS, {}, loadProfile(PHASE_PROFILES.wal, DISK_OPTION_KEYS));
  overlay(r, q, 'walRuntime');
  return r;
}

/** The kube workload against a throwaway local etcd on --dir, for --etcd-runtime. */
export function etcdPhaseOptions(q: ResolvedQualifyOptions): ResolvedLoadOptions {
  const r = resolveOptions(LOAD_OPTION_KEYS, {}, loadProfile(PHASE_PROFILES.etcd, LOAD_OPTION_KEYS));
  overlay(r, q, 'etcdRuntime');
  return r;
}

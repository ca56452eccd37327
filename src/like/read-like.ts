// qualify --like: read the cluster's history (a Prometheus URL or an observe
// report), size the etcd phase's kube load from it and lay the sizes over the
// phase's options, each marked as coming from `like`. Runs before anything is
// written: an unreachable source is exit 3, one that cannot size a run exit 2.
import { statfsSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import type { ResolvedLoadOptions } from '../load/load-option-values.js';
import type { ValueSource } from '../options/resolve.js';
import type { ClusterFigures } from './cluster-figures.js';
import { observeReportFigures } from './observe-report-figures.js';
import { prometheusFigures } from './prometheus-figures.js';
import { type LikeSection, sizeLoad } from './size-load.js';

/** etcd's default backend quota, which the throwaway local etcd keeps (as kubeadm does). */
export const LOCAL_QUOTA_BYTES = 2 * 1024 ** 3;

/** A --like source that is a Prometheus server (else an observe report file). */
export const isPrometheusSource = (source: string): boolean => /^https?:\/\//.test(source);

/** Refuses --since and --headroom where --like does not use them, and --like without an etcd phase. */
export function checkLikeOptions(
  o: { like: string; etcdRuntime: number },
  sources: { since: ValueSource; headroom: ValueSource },
): void {
  for (const k of ['since', 'headroom'] as const)
    if (sources[k] === 'cli' && o.like === '')
      throw new UsageError(`--${k}: applies with --like (sizing the etcd phase from a cluster's history)`, k);
  if (sources.since === 'cli' && o.like !== '' && !isPrometheusSource(o.like))
    throw new UsageError('--since: applies with --like URL; an observe report covers its own window', 'since');
  if (o.like !== '' && o.etcdRuntime === 0)
    throw new UsageError('--like: sizes the etcd phase, which --etcd-runtime 0 skips', 'like');
}

/** The figures of a --like source. */
export function clusterFigures(source: string, sinceNs: number): Promise<ClusterFigures> {
  return isPrometheusSource(source)
    ? prometheusFigures(source, sinceNs)
    : Promise.resolve(observeReportFigures(source));
}

/** Reads `source`, sizes the load and sets it on `etcd` (the etcd phase's options). */
export async function applyLike(
  o: { like: string; since: number; headroom: number; dir: string },
  etcd: ResolvedLoadOptions,
): Promise<LikeSection> {
  const figures = await clusterFigures(o.like, o.since);
  const fs = statfsSync(o.dir);
  const v = etcd.values;
  const like = sizeLoad(
    figures,
    o.headroom,
    { freeBytes: fs.bavail * fs.bsize, quotaBytes: LOCAL_QUOTA_BYTES },
    { kubeMix: v.kubeMix, kubeObjects: v.kubeObjects, kubeValueSize: v.kubeValueSize },
    v.runtime / 1e9,
  );
  for (const [k, value] of Object.entries(like.run) as [keyof typeof like.run, never][]) {
    (v as Record<string, unknown>)[k] = value;
    etcd.sources[k] = 'like';
  }
  return like;
}

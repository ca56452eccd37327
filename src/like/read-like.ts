// qualify --like: read the cluster's history (a Prometheus URL or an observe
// report), size the etcd phase's kube load from it and lay the sizes over the
// phase's options, each marked as coming from `like`. Runs before anything is
// written: an unreachable source is exit 3, one that cannot size a run exit 2.
import { statfsSync } from 'node:fs';
import type { ResolvedLoadOptions } from '../load/options.js';
import type { ClusterFigures } from './cluster-figures.js';
import { observeReportFigures } from './observe-report-figures.js';
import { prometheusFigures } from './prometheus-figures.js';
import { type LikeSection, sizeLoad } from './size-load.js';

/** etcd's default backend quota, which the throwaway local etcd keeps (as kubeadm does). */
export const LOCAL_QUOTA_BYTES = 2 * 1024 ** 3;

/** The figures of a --like source. */
export function clusterFigures(source: string, sinceNs: number): Promise<ClusterFigures> {
  return /^https?:\/\//.test(source)
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

// The live source of `observe`: every member's /metrics read on an interval,
// each read added to that member's series. Adds no load: a GET of /metrics
// per member per interval is all it asks of the cluster.
import { fetchText, ReadLimitError, type TlsMaterial } from '../etcd/fetch-text.js';
import { parseMetrics, type Sample } from '../etcd/prometheus.js';
import type { ClusterInfo } from './cluster-info.js';
import type { MemberSeries } from './member-series.js';
import { ETCD_METRICS } from '../etcd/metric-names.js';

export interface ScrapeTarget {
  url: string;
  series: MemberSeries;
}

/** The member id a member's /metrics names (etcd_server_id's label), or null. */
export function serverIdOf(samples: Sample[]): string | null {
  return samples.find((s) => s.name === ETCD_METRICS.serverId.name)?.labels.server_id ?? null;
}

/**
 * One member's /metrics parsed; null when it could not be read. An answer past its size limit throws
 * (ReadLimitError): that endpoint cannot be trusted, and the observation ends.
 */
export async function scrapeMetrics(url: string, tls: TlsMaterial, timeoutMs: number): Promise<Sample[] | null> {
  try {
    return parseMetrics(await fetchText(`${url}/metrics`, tls, timeoutMs));
  } catch (e) {
    if (e instanceof ReadLimitError) throw e;
    return null;
  }
}

/**
 * Which URL serves which member: with --metrics-urls, matched by the etcd_server_id each reports (by position when
 * a member does not report it); otherwise each member's first client URL.
 */
export async function metricsUrlsOf(
  cluster: ClusterInfo,
  given: string[],
  tls: TlsMaterial,
  timeoutMs: number,
): Promise<{ urls: (string | null)[]; warnings: string[]; fatal?: string }> {
  if (given.length === 0) return { urls: cluster.members.map((m) => m.clientUrls[0] ?? null), warnings: [] };
  let fatal: string | undefined;
  const ids = await Promise.all(
    given.map(async (u) => {
      try {
        const s = await scrapeMetrics(u, tls, timeoutMs);
        return s ? serverIdOf(s) : null;
      } catch (e) {
        fatal ??= (e as Error).message;
        return null;
      }
    }),
  );
  const warnings: string[] = [];
  const urls = cluster.members.map((m, i) => {
    const k = ids.indexOf(m.id);
    if (k >= 0) return given[k]!;
    if (given[i] !== undefined && ids[i] === null) {
      warnings.push(`--metrics-urls: ${given[i]} does not name its member; taken as ${m.name} by its position`);
      return given[i]!;
    }
    warnings.push(`--metrics-urls: no URL serves member ${m.name} (${m.id}); it is not observed`);
    return null;
  });
  return { urls, warnings, ...(fatal ? { fatal } : {}) };
}

/** Reads every target once, at the same moment. */
export async function scrapeAll(targets: ScrapeTarget[], tls: TlsMaterial, timeoutMs: number): Promise<void> {
  const at = Date.now();
  const results = await Promise.all(targets.map((t) => scrapeMetrics(t.url, tls, timeoutMs)));
  results.forEach((s, i) => {
    targets[i]!.series.add(s, at);
  });
}

/** Sleeps `ms`, or less when `signal` fires. */
export function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

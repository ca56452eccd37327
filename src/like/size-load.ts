// From a cluster's figures to the etcd phase's kube load: the peak 1-minute
// write rate times the headroom, values the size the cluster's database
// holds per key, its key count as the objects, the mix of creates, updates
// and deletes the store applied, and the keys written beforehand where they
// fit the disk and the local etcd's quota. What could not be told is said.
import { UsageError } from '../core/errors.js';
import { parseMix } from '../options/kube-mix.js';
import type { Range } from '../options/spec.js';
import { formatDuration, formatSize, MiB } from '../options/units.js';
import { type ClusterFigures, figureOf, type LikeFigure, type LikeSource } from './cluster-figures.js';

/** What the etcd phase runs, sized from the cluster. */
export interface LikeRun {
  rate: number;
  kubeMix: string;
  kubeObjects: number;
  kubeValueSize: Range;
  /** Objects written before the load starts (the cluster's keys, where they fit). */
  kubePrefill: number;
}

/** The report's `like` section. */
export interface LikeSection {
  source: LikeSource;
  name: string;
  window: ClusterFigures['window'];
  ratePoints: number;
  members: number;
  figures: LikeFigure[];
  headroom: number;
  run: LikeRun;
  /** What was assumed or left at the profile's value, and why. */
  notes: string[];
  /** "sized from NAME over 7 d: peak 212 writes/s, ×2 = 424/s". */
  words: string;
}

/** Room the sizing may use: free bytes on --dir and the local etcd's backend quota. */
export interface Room {
  freeBytes: number;
  quotaBytes: number;
}

/** What the kube profile runs without --like. */
export interface KubeDefaults {
  kubeMix: string;
  kubeObjects: number;
  kubeValueSize: Range;
}

/** Bytes one object costs beyond its value: its key, bbolt's page and index share, the WAL record's framing. */
export const PER_KEY_OVERHEAD = 160;
const MAX_OBJECTS = 10_000_000;

const round1 = (n: number) => Math.round(n * 10) / 10;
const window = (s: number) => formatDuration(s * 1e9);

/**
 * The write mix from what the store applied: creates are the deletes plus the keys gained (the most keys the window
 * held minus the fewest), the rest of the puts updates and events.
 */
function mixOf(c: ClusterFigures, notes: string[], dflt: string): string {
  const puts = figureOf(c, 'puts');
  const deletes = figureOf(c, 'deletes') ?? 0;
  const gained = Math.max(0, figureOf(c, 'keys-gained') ?? 0);
  if (deletes > 0 || gained > 0)
    notes.push('creates are estimated as the deletes plus the keys the store gained over the window');
  if (puts === null || puts + deletes <= 0) {
    notes.push(`the store's puts and deletes are not in the source: the kube profile's mix ${dflt} is kept`);
    return dflt;
  }
  const creates = Math.min(puts, deletes + gained);
  const rest = puts - creates;
  const total = puts + deletes;
  const pct = (n: number) => round1((100 * n) / total);
  notes.push(
    `events and updates are both puts to etcd: the rest of the puts is split 3:1 between updates and events, ` +
      'as the kube profile does',
  );
  return `create:${pct(creates)},update:${pct(rest * 0.75)},delete:${pct(deletes)},event:${pct(rest * 0.25)}`;
}

/** "sized from NAME over 7 d: peak 212 writes/s, ×2 = 424/s". */
function wordsOf(c: ClusterFigures, peak: number, headroom: number, rate: number): string {
  const over = window(c.window.seconds);
  return `sized from ${c.name} over ${over}: peak ${round1(peak)} writes/s, ×${headroom} = ${rate}/s`;
}

/** Sizes the etcd phase's load from `c`; exit 2 when the cluster committed nothing to size from. */
export function sizeLoad(
  c: ClusterFigures,
  headroom: number,
  room: Room,
  dflt: KubeDefaults,
  runtimeSeconds: number,
): LikeSection {
  const notes: string[] = [];
  const peak = figureOf(c, 'write-rate-peak');
  if (peak === null || peak <= 0)
    throw new UsageError(
      `--like: ${c.name} committed no writes over the last ${window(c.window.seconds)}: nothing to size a run from`,
      'like',
    );
  const rate = Math.max(1, Math.round(peak * headroom));
  const keys = figureOf(c, 'keys');
  const inUse = figureOf(c, 'db-in-use');
  let kubeValueSize = dflt.kubeValueSize;
  if (keys && keys > 0 && inUse && inUse > 0) {
    const v = Math.min(MiB, Math.max(16, Math.round(inUse / keys)));
    kubeValueSize = { min: Math.max(1, Math.round(v / 2)), max: Math.round((v * 3) / 2) };
    notes.push(
      `values average ${formatSize(v)}: the database in use over the keys, which also counts each key, its ` +
        'history until compaction and bbolt’s pages, so an upper bound',
    );
  } else
    notes.push(
      `no key count or database size in the source: values stay ${dflt.kubeValueSize.min}-` +
        `${dflt.kubeValueSize.max} bytes`,
    );
  const kubeMix = mixOf(c, notes, dflt.kubeMix);
  const grants = figureOf(c, 'lease-grants');
  if (grants)
    notes.push(
      `${Math.round(grants)} leases granted over the window are shown, not replayed: the kube load grants its ` +
        "events' leases as an API server does (a new one each minute, or after 1,000 events), and renews none",
    );
  const cluster = keys && keys > 0 ? Math.min(MAX_OBJECTS, Math.round(keys)) : 0;
  if (!cluster) notes.push(`no key count in the source: the load picks from ${dflt.kubeObjects} objects`);
  // The cluster's keys, and names for the creates the run makes (a create of a name taken would only conflict).
  const mix = parseMix(kubeMix)!;
  const weights = mix.create + mix.update + mix.delete + mix.event + mix.list;
  const creates = Math.ceil((rate * runtimeSeconds * mix.create) / weights);
  const kubeObjects = cluster ? Math.min(MAX_OBJECTS, cluster + creates) : dflt.kubeObjects;
  const perKey = (kubeValueSize.min + kubeValueSize.max) / 2 + PER_KEY_OVERHEAD;
  // A quarter of the free space (the WAL, the database and the load's own writes share it), half the quota.
  const fits = Math.floor(Math.min(room.freeBytes / 4, room.quotaBytes / 2) / perKey);
  const kubePrefill = Math.min(cluster, fits);
  if (kubePrefill < cluster)
    notes.push(
      `${kubePrefill} of the cluster's ${cluster} keys are written beforehand: at about ${Math.round(perKey)} ` +
        `bytes each, more would not fit a quarter of the ${formatSize(room.freeBytes)} free on the disk or half ` +
        `the local etcd's ${formatSize(room.quotaBytes)} quota`,
    );
  return {
    source: c.source,
    name: c.name,
    window: c.window,
    ratePoints: c.ratePoints,
    members: c.members,
    figures: c.figures,
    headroom,
    run: { rate, kubeMix, kubeObjects, kubeValueSize, kubePrefill },
    notes,
    words: wordsOf(c, peak, headroom, rate),
  };
}

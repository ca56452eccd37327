// The network lab's verdict on each link: etcd's own peer round trip (a
// smoothed figure its prober records about once every 30 s, so a short run has
// one or two) beside the delay the lab's proxies measured on that link's
// chunks (hundreds a second). A link fails when either shows a round trip at
// or over the limit: what the proxies added is a floor under the real round
// trip. It passes on etcd's figure when etcd recorded enough, else on the
// proxies' when they saw enough chunks; with neither it is not run.
import type { Check } from '../verdict/check.js';
import { judgeBucketQuantile, MIN_OBSERVATIONS } from '../grade/server-disk.js';
import { PEER_RTT_SOURCE } from '../observe/observe-checks.js';
import type { LinkAdded, PeerLink } from './network-result.js';

/** The fewest of etcd's own round trips a link's pass may rest on (it records one per peer every 30 s). */
export const MIN_ETCD_ROUND_TRIPS = MIN_OBSERVATIONS.peerRtt;
/** The fewest chunks the proxies must have carried on a link for their figure to judge it. */
export const MIN_LINK_CHUNKS = 20;

const ms = (ns: number) => `${(ns / 1e6).toFixed(1)} ms`;

/** The proxies' figure in words: what they added per round trip, over how many chunks. */
function addedWords(a: LinkAdded | null | undefined): string {
  if (!a) return 'the proxies saw no traffic on this link';
  if (a.roundTripNs === null) return `the proxies carried ${a.chunks} chunks, fewer than ${MIN_LINK_CHUNKS}`;
  return a.delayedChunks === 0
    ? `the proxies held back none of its ${a.chunks} chunks`
    : `the proxies added ${ms(a.roundTripNs)} per round trip (${addedHow(a)})`;
}

/** How the proxies' figure was taken, for a line whose value is that figure. */
function addedHow(a: LinkAdded): string {
  return `twice the ${ms((a.roundTripNs ?? 0) / 2)} one way, p50 of ${a.delayedChunks} chunks`;
}

/** etcd's own figure in words. */
function etcdWords(l: PeerLink): string {
  return l.p99 ? `etcd's own p99 ${l.p99.text} (${l.count} recorded)` : 'etcd recorded no round trip of its own';
}

/** One check per link, judged by etcd's figure and the proxies' together. */
export function linkChecks(links: PeerLink[], limitNs: number): Check[] {
  return links.map((l) => {
    const base = {
      id: `peer-rtt-p99 ${l.from}->${l.to}`,
      title: `peer round-trip p99 ${l.from} -> ${l.to}`,
      source: PEER_RTT_SOURCE,
    };
    const atLeast = `${30 * MIN_ETCD_ROUND_TRIPS + 5}s`;
    const more = `etcd records about one per peer every 30 s: use --runtime of at least ${atLeast}`;
    const etcd = l.p99
      ? judgeBucketQuantile(l.p99, limitNs, base, { count: l.count, min: MIN_ETCD_ROUND_TRIPS, more })
      : null;
    const added = l.added?.roundTripNs ?? null;
    // The line shows the deciding figure as its value; its note says whose it is, then the other figure.
    const theirs =
      l.added && l.added.delayedChunks > 0 && added !== null
        ? `the proxies' added round trip (${addedHow(l.added)})`
        : addedWords(l.added);
    const both = `${addedWords(l.added)}; ${etcdWords(l)}`;
    const byProxies = {
      ...base,
      unit: 'ns',
      comparison: '<',
      limit: limitNs,
      measured: added,
      observations: l.added?.chunks ?? 0,
      minObservations: MIN_LINK_CHUNKS,
    } as const;
    if (added !== null && added >= limitNs) return { ...byProxies, status: 'fail', note: `${theirs}; ${etcdWords(l)}` };
    if (etcd && etcd.status !== 'not-run')
      return { ...etcd, note: `etcd's own (${l.count} recorded); ${addedWords(l.added)}` };
    if (added !== null) return { ...byProxies, status: 'pass', note: `${theirs}; ${etcdWords(l)}; ${more}` };
    return { ...byProxies, measured: null, status: 'not-run', note: `${both}; ${more}` };
  });
}

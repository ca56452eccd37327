// observe's options beside its key list: how often and how long to read the
// members (or a Prometheus server over a window) and the peer round-trip
// limit. One of the option table's groups (src/options/table.ts assembles
// them).
import { durationOption, textOption } from './spec.js';
import { CONNECTION_KEYS } from './connection-options.js';

export const OBSERVE_OPTIONS = {
  interval: durationOption({
    flag: '--interval',
    default: 5e9,
    min: 1e9,
    max: 3600e9,
    help: "observe: how often every member's /metrics is read (with --prometheus-url: the query step, at least)",
  }),
  prometheusUrl: textOption({
    flag: '--prometheus-url',
    group: 'run',
    default: '',
    allowed: 'an http:// or https:// URL of a Prometheus server, e.g. http://prometheus:9090',
    check: (s) => /^https?:\/\/\S+$/.test(s),
    help:
      "observe: read etcd's metrics from this Prometheus server (range queries over --since) instead of the " +
      'members',
  }),
  since: durationOption({
    flag: '--since',
    group: 'run',
    default: 24 * 3600e9,
    min: 60e9,
    max: 90 * 86400e9,
    help: 'observe --prometheus-url: how far back to read, e.g. 6h, 24h, 7d',
  }),
  peerRttLimit: durationOption({
    flag: '--peer-rtt-limit',
    group: 'threshold',
    default: 50e6,
    min: 1e3,
    max: 60e9,
    help: "observe: each member's round trip to each peer, p99, must stay below this (Red Hat's etcd guidance: 50 ms)",
  }),
} as const;

/** The options of `observe`: how to reach the cluster (or a Prometheus server), how long, the limits. */
export const OBSERVE_OPTION_KEYS = [
  'profile',
  'json',
  'promOut',
  'out',
  ...CONNECTION_KEYS,
  'prometheusUrl',
  'since',
  'runtime',
  'interval',
  'syncP99Limit',
  'commitP99Limit',
  'peerRttLimit',
  'gradeA',
  'gradeB',
  'gradeF',
] as const;

/** What `observe` means by the options it shares. */
export const OBSERVE_HELP = {
  runtime: 'how long to watch the cluster (0: until stopped with q or Ctrl-C)',
  endpoints: 'the cluster to observe (etcdctl --endpoints); its members are found from the member list',
  metricsUrls: "where to read each member's /metrics (etcd --listen-metrics-urls); default: each member's client URL",
  syncP99Limit: "each member's WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds) must stay below this (etcd FAQ)",
  out: 'write the report to this file (default results/HOST-UTCTIME-observe.json in the package directory)',
} satisfies Partial<Record<(typeof OBSERVE_OPTION_KEYS)[number], string>>;

// qualify's own options beside its key list: each phase's time limit and the
// IOPS floors; the rest of qualify's keys belong to the other groups. One of
// the option table's groups (src/options/table.ts assembles them).
import { countOption, durationOption, factorOption, textOption } from './spec.js';

export const QUALIFY_OPTIONS = {
  fioRuntime: durationOption({
    when: 'qualify',
    flag: '--fio-runtime',
    default: 20e9,
    min: 1e9,
    max: 3600e9,
    help:
      'qualify: the fio-recipe phase (2300-byte writes, fdatasync each, 22 MiB) stops after this long on a ' +
      'slow disk',
  }),
  walRuntime: durationOption({
    when: 'qualify',
    flag: '--wal-runtime',
    default: 45e9,
    min: 1e9,
    max: 7 * 86400e9,
    help: "length of the WAL phase (etcd's WAL shape with the backend commit stream beside it)",
  }),
  etcdRuntime: durationOption({
    when: 'qualify',
    flag: '--etcd-runtime',
    default: 30e9,
    min: 0,
    max: 7 * 86400e9,
    help: 'length of the etcd phase (a throwaway local etcd on --dir under the kube workload; 0: skip it)',
  }),
  like: textOption({
    when: 'qualify',
    flag: '--like',
    group: 'run',
    default: '',
    allowed: "a Prometheus server's http:// or https:// URL, or an observe report (a .json file)",
    check: (s) => /^https?:\/\/\S+$/.test(s) || (!/^[a-z]+:\/\//i.test(s) && s.trim() !== ''),
    help:
      "size the etcd phase's load from the cluster's own history over --since: its peak 1-minute write rate " +
      '(times --headroom), value size, key count and mix, read from its Prometheus or an observe report',
  }),
  headroom: factorOption({
    when: 'qualify',
    flag: '--headroom',
    default: 2,
    min: 0.1,
    max: 100,
    help: "with --like: the etcd phase runs at the cluster's peak write rate times this",
  }),
  minIops: countOption({
    flag: '--min-iops',
    group: 'threshold',
    default: 50,
    min: 1,
    max: 10_000_000,
    help: 'sequential write+fdatasync operations/s required (etcd hardware guide: 50)',
  }),
  recommendedIops: countOption({
    flag: '--recommended-iops',
    group: 'threshold',
    default: 500,
    min: 1,
    max: 10_000_000,
    help:
      'below this the IOPS check warns (etcd hardware guide: 500 for busy clusters); a warning does not fail ' +
      'the grade',
  }),
} as const;

/**
 * The options the `qualify` command accepts: where, how long, and the limits; the workload shapes come from the
 * fio-etcd, wal and kube profiles.
 */
export const QUALIFY_OPTION_KEYS = [
  'profile',
  'dir',
  'nodeName',
  'allowLiveEtcd',
  'json',
  'promOut',
  'out',
  'html',
  'etcdBin',
  'members',
  'fioRuntime',
  'walRuntime',
  'etcdRuntime',
  'syncP99Limit',
  'commitP99Limit',
  'heartbeatInterval',
  'electionTimeout',
  'minIops',
  'recommendedIops',
  'putP99Limit',
  'gradeA',
  'gradeB',
  'gradeF',
  'cpuWaitLimit',
  'cpuPressureLimit',
  'cpuBusyLimit',
  'stealLimit',
  'generatorDelayLimit',
  'compactionInterval',
  'transport',
  'pacing',
  'stepFactor',
  'stepSeconds',
  'stepBaseline',
  'volume',
  'like',
  'since',
  'headroom',
] as const;

/** The defaults qualify gives options it shares: a week of history for --like. */
export const QUALIFY_DEFAULTS = { since: 7 * 86400e9 } as const;

/** What qualify means by options it shares with observe. */
export const QUALIFY_HELP = {
  since: "with --like URL: how much of the cluster's history to read, e.g. 24h, 7d",
} as const;

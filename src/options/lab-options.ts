// The labs' options beside their key lists: how much delay, on which links or
// members, the stalls, the members' disk delay, and what each lab says about
// the options it shares. One of the option table's groups
// (src/options/table.ts assembles them).
import { countOption, durationOption, enumOption, pathOption } from './spec.js';

export const LAB_OPTIONS = {
  baseline: countOption({
    when: 'lab',
    flag: '--baseline',
    default: 100,
    min: 1,
    max: 1_000_000,
    help: "the bucket's refill, credits a second (a 20 GiB gp2 volume's baseline: 100 IOPS)",
  }),
  burst: countOption({
    when: 'lab',
    flag: '--burst',
    default: 3000,
    min: 0,
    max: 1_000_000,
    help: "the volume's ceiling while credits last, operations a second (gp2: 3,000; 0: none)",
  }),
  credits: countOption({
    when: 'lab',
    flag: '--credits',
    default: 20_000,
    min: 1,
    max: 100_000_000,
    help: 'the bucket, full as the load begins (gp2: 5.4 million; a small one drains in seconds)',
  }),
  delay: durationOption({
    when: 'lab',
    flag: '--delay',
    default: 800e6,
    min: 0,
    max: 60e9,
    help: 'added before every fsync/fdatasync on the slowed disk (the incident: 800 ms)',
  }),
  jitter: durationOption({
    when: 'lab',
    flag: '--jitter',
    default: 0,
    min: 0,
    max: 60e9,
    help: 'the delay varies uniformly by up to this much either way',
  }),
  between: enumOption({
    when: 'lab',
    flag: '--between',
    choices: ['all', 'leader', 'one'] as const,
    default: 'all',
    help:
      'which links are slowed: all (every member pair), leader (m0, steered to lead, and its peers), one (m0, ' +
      'steered to follow, and its peers)',
  }),
  stall: durationOption({
    when: 'lab',
    flag: '--stall',
    default: 0,
    min: 0,
    max: 60e9,
    help:
      'also stall the slowed links this long every --stall-every (a link that flaps: nothing passes, then TCP ' +
      "resends): the variance etcd's tuning guide sizes the election timeout for",
  }),
  stallEvery: durationOption({
    when: 'lab',
    flag: '--stall-every',
    default: 20e9,
    min: 1e9,
    max: 3600e9,
    help: 'time between stalls, counted from the start of the load (the first comes after this long)',
  }),
  diskDelay: durationOption({
    when: 'lab',
    flag: '--disk-delay',
    default: 0,
    min: 0,
    max: 60e9,
    help: 'also add this before every fsync of the members (slowfs; needs root and /dev/fuse): real incidents mix both',
  }),
  from: pathOption({
    when: 'lab',
    flag: '--from',
    default: '',
    help:
      'the report whose disk is replayed: a qualify report (--out) or a disk result (--json); its fdatasync ' +
      'distribution (an HDR histogram) is what slowfs draws from',
  }),
  phase: enumOption({
    when: 'lab',
    flag: '--phase',
    choices: ['wal', 'fio'] as const,
    default: 'wal',
    help: "which disk phase of a qualify report to replay: wal (etcd's WAL shape) or fio (fio's etcd recipe)",
  }),
  seed: countOption({
    when: 'lab',
    flag: '--seed',
    default: 1,
    min: 0,
    max: 2_147_483_647,
    help: 'seeds the draws from the distribution: the same seed, the same sequence of delays',
  }),
  slow: enumOption({
    when: 'lab',
    flag: '--slow',
    choices: ['all', 'leader', 'follower'] as const,
    default: 'all',
    help:
      'which members have their data on the slowed disk (leader/follower: one member, steered to start as ' +
      'leader or as follower)',
  }),
} as const;

/** What both labs take: where, which etcd, how many members, how slow. */
export const LAB_COMMON_KEYS = ['dir', 'allowLiveEtcd', 'json', 'etcdBin', 'members', 'delay', 'jitter'] as const;

/** The options of `lab slow-disk`: where, how slow, which members; the load is the kube profile. */
export const LAB_OPTION_KEYS = [...LAB_COMMON_KEYS, 'slow', 'runtime'] as const;

/** The options of `lab slow-network`: how far apart, which links, the members' Raft timing, the load. */
export const NETWORK_LAB_OPTION_KEYS = [
  ...LAB_COMMON_KEYS,
  'between',
  'stall',
  'stallEvery',
  'heartbeatInterval',
  'electionTimeout',
  'diskDelay',
  'workload',
  'runtime',
  'peerRttLimit',
] as const;

/** What `lab slow-disk` means by --runtime. */
export const LAB_HELP = {
  runtime: "how long the load runs on the slowed disk (0, the default: the kube profile's 60 s)",
} satisfies Partial<Record<(typeof LAB_OPTION_KEYS)[number], string>>;

/** What `lab slow-network` means by the options it shares. */
export const NETWORK_LAB_HELP = {
  delay: 'held back in each direction on every slowed peer link (one way: a round trip gains twice this)',
  jitter: 'the delay varies uniformly by up to this much either way (byte order is kept)',
  runtime:
    "how long the load runs (0, the default: the kube profile's 60 s; etcd records a peer round trip every 30 s)",
  members: 'local members (3 or 5), each behind its own delaying proxy',
  heartbeatInterval: "the members' --heartbeat-interval (etcd's default 100 ms): try the suggested value",
  electionTimeout: "the members' --election-timeout (etcd's default 1000 ms; at least 5 heartbeats)",
  peerRttLimit: "each link's peer round trip p99 must stay below this (Red Hat's etcd guidance: 50 ms)",
  workload: 'the load on the members (the kube profile, with this workload)',
} satisfies Partial<Record<(typeof NETWORK_LAB_OPTION_KEYS)[number], string>>;

/** Defaults `lab slow-network` gives shared options (the table's are another command's). */
export const NETWORK_LAB_DEFAULTS = {
  members: 3,
  delay: 30e6,
  workload: 'kube',
} satisfies Partial<Record<(typeof NETWORK_LAB_OPTION_KEYS)[number], unknown>>;

/** What the labs that save their result take: where, the result file and its page, which etcd, how many members. */
const SAVED_LAB_KEYS = ['dir', 'allowLiveEtcd', 'json', 'out', 'html', 'etcdBin', 'members'] as const;

/** The options of `lab burst-credits`: where, which etcd, how many members, the bucket, how long. */
export const BURST_LAB_OPTION_KEYS = [...SAVED_LAB_KEYS, 'baseline', 'burst', 'credits', 'runtime'] as const;

/** What `lab burst-credits` means by the options it shares. */
export const BURST_LAB_HELP = {
  runtime: "how long the load runs (0, the default: the kube profile's 60 s)",
  members: 'local members (1, 3 or 5), each on its own burst-credit volume',
  out: 'also write the result (what --json prints) to this file',
  html:
    'also write a page beside the result: credits and WAL fsync p99 per second on one time axis (without --out: ' +
    'both in results/)',
} satisfies Partial<Record<(typeof BURST_LAB_OPTION_KEYS)[number], string>>;

/** Defaults `lab burst-credits` gives shared options. */
export const BURST_LAB_DEFAULTS = { members: 3 } satisfies Partial<
  Record<(typeof BURST_LAB_OPTION_KEYS)[number], unknown>
>;

/** The options of `lab replay-disk`: the report, which phase, the seed, where, which etcd, the load, how long. */
export const REPLAY_LAB_OPTION_KEYS = [
  'from',
  'phase',
  'seed',
  ...SAVED_LAB_KEYS,
  'walRuntime',
  'runtime',
  'like',
  'since',
  'headroom',
] as const;

/** What `lab replay-disk` means by the options it shares. */
export const REPLAY_LAB_HELP = {
  walRuntime:
    "length of our WAL phase on the replayed disk, which shows the replay matches the report (this disk's own floor " +
    'is measured first, for a third of it, at least 5 s)',
  runtime: "how long the load runs on etcd on the replayed disk (0, the default: the kube profile's 60 s)",
  members: 'local members (1, 3 or 5), all on the replayed disk',
  out: 'also write the result (what --json prints) to this file',
  html:
    'also write a page beside the result: the distributions side by side, etcd and the checks (without --out: ' +
    'both in results/)',
  like:
    "size the load on etcd from the cluster's own history over --since (its peak 1-minute write rate times " +
    '--headroom, value size, key count and mix): a Prometheus URL or an observe report',
  headroom: "with --like: the load runs at the cluster's peak write rate times this",
  since: "with --like URL: how far back the cluster's history is read (an observe report covers its own window)",
} satisfies Partial<Record<(typeof REPLAY_LAB_OPTION_KEYS)[number], string>>;

/** Defaults `lab replay-disk` gives shared options: three members, a 30 s WAL phase, a week of --like history. */
export const REPLAY_LAB_DEFAULTS = { members: 3, walRuntime: 30e9, since: 7 * 86400e9 } satisfies Partial<
  Record<(typeof REPLAY_LAB_OPTION_KEYS)[number], unknown>
>;

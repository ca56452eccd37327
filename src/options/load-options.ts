// The load's options beside the key list of the command that uses them: the
// workload and its shape, the clients and connections, the key prefix, and
// the load's limits. One of the option table's groups (src/options/table.ts
// assembles them).
import { parseMix } from './kube-mix.js';
import { boolOption, countOption, durationOption, enumOption, rangeOption, sizeOption, textOption } from './spec.js';
import { MiB } from './units.js';
import { CONNECTION_KEYS } from './connection-options.js';

export const LOAD_WORKLOADS = ['put', 'check-perf', 'kube'] as const;
/** What carries the load's requests (src/load/transport/). */
export const LOAD_TRANSPORTS = ['own', 'grpc-js'] as const;
/** How an open-loop load's requests are timed (src/load/transport/paced-wire.ts). */
export const LOAD_PACINGS = ['auto', 'native', 'event-loop'] as const;

export const LOAD_OPTIONS = {
  prefix: textOption({
    flag: '--prefix',
    group: 'run',
    default: '',
    allowed: 'a key prefix starting with /, not / alone',
    check: (s) => s.startsWith('/') && s.length > 1,
    help:
      'every key the load writes lives under it; refused if it already holds keys; deleted afterwards (default ' +
      '/etcd-disk-bench/RUNID/)',
  }),
  workload: enumOption({
    flag: '--workload',
    choices: LOAD_WORKLOADS,
    default: 'put',
    help:
      "put: plain puts; check-perf: etcdctl check perf's shape (256-byte random keys, 1 KiB values); kube: " +
      'what an API server writes',
  }),
  kubeMix: textOption({
    when: 'kube',
    flag: '--kube-mix',
    default: 'create:10,update:60,delete:10,event:20',
    allowed: 'weights as create:N,update:N,delete:N,event:N[,list:N]',
    check: (s) => parseMix(s) !== null,
    help:
      'relative share of object creates, updates, deletes, leased event writes and consistent LISTs (a limit-1 ' +
      'range of the resource, as kube-apiserver reads the revision before serving a LIST from its cache)',
  }),
  kubeObjects: countOption({
    when: 'kube',
    flag: '--kube-objects',
    default: 1000,
    min: 1,
    max: 10_000_000,
    help: 'objects (pods) the creates, updates and deletes pick from',
  }),
  kubeNodes: countOption({
    when: 'kube',
    flag: '--kube-nodes',
    default: 100,
    min: 0,
    max: 100_000,
    help: 'simulated nodes, each updating its node lease every 10 s',
  }),
  kubeValueSize: rangeOption({
    when: 'kube',
    flag: '--kube-value-size',
    of: 'size',
    default: { min: 500, max: 4000 },
    min: 1,
    max: MiB,
    help: 'bytes per object or event',
  }),
  kubePrefill: countOption({
    when: 'kube',
    flag: '--kube-prefill',
    default: 0,
    min: 0,
    max: 10_000_000,
    help:
      'objects created before the load starts (at most --kube-objects), so updates and deletes find a store ' +
      "the size of the cluster's (qualify --like sets it)",
  }),
  kubeWatches: countOption({
    when: 'kube',
    flag: '--kube-watches',
    default: 61,
    min: 0,
    max: 61,
    help:
      "watches held as kube-apiserver 1.37's watch cache holds them: one Watch stream per resource it caches (61; " +
      'the pods and leases the load writes first), each on the prefix with PrevKV and progress notify; a consistent ' +
      "LIST asks the pods' watch for progress; 0: none",
  }),
  compactionInterval: durationOption({
    when: 'kube',
    flag: '--compaction-interval',
    default: 300e9,
    min: 0,
    max: 7 * 86400e9,
    help:
      'kube, local etcd: compact every this long to the revision seen at the previous tick, as ' +
      "kube-apiserver's --etcd-compaction-interval (5 m); 0: never",
  }),
  eventTtl: durationOption({
    when: 'kube',
    flag: '--event-ttl',
    default: 3600e9,
    min: 1e9,
    max: 7 * 86400e9,
    help: "TTL of the events' lease (the API server's default is 1 h)",
  }),
  clients: countOption({
    flag: '--clients',
    default: 16,
    min: 1,
    max: 10_000,
    help: 'requests in flight at most (each client waits for its reply)',
  }),
  transport: enumOption({
    flag: '--transport',
    choices: LOAD_TRANSPORTS,
    default: 'own',
    help:
      "what carries the load's requests: own (the tool's own HTTP/2 gRPC client, a fraction of grpc-js's CPU per " +
      'request) or grpc-js (through etcd3, to compare or to fall back on)',
  }),
  pacing: enumOption({
    flag: '--pacing',
    choices: LOAD_PACINGS,
    default: 'auto',
    help:
      'how a load at a --rate is timed: native (a thread of the native addon writes each request at its time and ' +
      'stamps each answer as it reads it; the event loop collects them every 2-20 ms instead of waking twice a ' +
      'request), event-loop (Node timers and socket events), auto (native with --transport own over plain TCP ' +
      'up to 2,000 requests/s a thread when the addon is built, else event-loop)',
  }),
  workers: countOption({
    flag: '--workers',
    default: 1,
    min: 1,
    max: 64,
    help:
      'worker threads the clients, connections and rate are spread over (one Node thread carries a few ' +
      'thousand puts/s)',
  }),
  conns: countOption({
    flag: '--conns',
    aliases: ['--connections'],
    default: 1,
    min: 1,
    max: 1000,
    help: 'gRPC connections the clients are spread over',
  }),
  total: countOption({
    flag: '--total',
    default: 0,
    min: 0,
    max: 1_000_000_000,
    help: 'stop after this many requests (0: only --runtime ends the run)',
  }),
  keySize: sizeOption({
    when: 'put',
    flag: '--key-size',
    default: 32,
    min: 8,
    max: 1 * MiB,
    help: 'bytes of each key after the prefix',
  }),
  valSize: sizeOption({
    when: 'put',
    flag: '--val-size',
    aliases: ['--value-size'],
    default: 256,
    min: 0,
    max: 1 * MiB,
    help: 'bytes of each value',
  }),
  keySpaceSize: countOption({
    when: 'put',
    flag: '--key-space-size',
    default: 10_000,
    min: 1,
    max: 1_000_000_000,
    help: 'distinct keys the put workload cycles over',
  }),
  sequentialKeys: boolOption({
    when: 'put',
    flag: '--sequential-keys',
    default: false,
    help: 'use keys 0, 1, 2, ... in order instead of at random',
  }),
  maxErrors: countOption({
    flag: '--max-errors',
    group: 'threshold',
    default: 0,
    min: 0,
    max: 1_000_000_000,
    help: 'failed requests allowed (etcdctl check perf: none)',
  }),
  minThroughputPercent: countOption({
    flag: '--min-throughput-percent',
    group: 'threshold',
    default: 90,
    min: 0,
    max: 100,
    help: 'achieved requests/s must exceed this share of --rate (etcdctl check perf: 90)',
  }),
  putMaxLimit: durationOption({
    flag: '--put-max-limit',
    group: 'threshold',
    default: 0,
    min: 0,
    max: 3600e9,
    help: 'the slowest request must not exceed this (0: not checked; etcdctl check perf: 0.5 s)',
  }),
  putStddevLimit: durationOption({
    flag: '--put-stddev-limit',
    group: 'threshold',
    default: 0,
    min: 0,
    max: 3600e9,
    help: 'the latency standard deviation must not exceed this (0: not checked; etcdctl check perf: 0.1 s)',
  }),
  putP99Limit: durationOption({
    flag: '--put-p99-limit',
    group: 'threshold',
    default: 0,
    min: 0,
    max: 3600e9,
    help: 'the request p99 (response time, from each intended start) must stay below this (0: not checked)',
  }),
} as const;

/** The options the `load` command accepts. */
export const LOAD_OPTION_KEYS = [
  'profile',
  'dir',
  'json',
  'promOut',
  ...CONNECTION_KEYS,
  'prefix',
  'allowKubernetesCluster',
  'allowLiveEtcd',
  'etcdBin',
  'members',
  'workload',
  'kubeMix',
  'kubeObjects',
  'kubeNodes',
  'kubeValueSize',
  'kubePrefill',
  'kubeWatches',
  'eventTtl',
  'compactionInterval',
  'rate',
  'runtime',
  'total',
  'clients',
  'conns',
  'workers',
  'transport',
  'pacing',
  'keySize',
  'valSize',
  'keySpaceSize',
  'sequentialKeys',
  'maxErrors',
  'minThroughputPercent',
  'putMaxLimit',
  'putStddevLimit',
  'putP99Limit',
  'cpuPressureLimit',
  'cpuBusyLimit',
  'stealLimit',
  'generatorDelayLimit',
] as const;

/** What `load` means by options it shares with `disk`. */
export const LOAD_HELP = {
  runtime: 'how long the load runs (0: until --total requests are answered)',
  dir:
    'without --endpoints: directory on the disk to test, where the throwaway local etcd keeps its data ' +
    '(inside DIR/etcd-disk-bench-RUNID/, removed afterwards)',
} satisfies Partial<Record<(typeof LOAD_OPTION_KEYS)[number], string>>;

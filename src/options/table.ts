// Every option of the tool, declared once: flag, fio alias, kind, unit,
// default, help and bounds. Commander flags, the TypeScript option types,
// profile validation and the options tables in docs/options.md are all derived from it.
import { isDomain } from './domain.js';
import { isEndpointList } from './endpoints.js';
import { parseMix } from './kube-mix.js';
import {
  boolOption,
  countOption,
  durationOption,
  enumOption,
  listOption,
  pathOption,
  rangeOption,
  rateOption,
  sizeOption,
  textOption,
  type OptionSpec,
  APPLIES_WORDS,
  type Applies,
} from './spec.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const TiB = 1024 * 1024 * MiB;

export const SYNC_METHODS = ['fdatasync', 'fsync', 'dsync', 'sync', 'none'] as const;
export const PREPARE_MODES = ['fallocate', 'truncate', 'none', 'overwrite'] as const;
/** fio's fallocate= values (fio options.c), 0 and 1 as its boolean aliases for none and posix. */
export const FALLOCATE_MODES = ['native', 'posix', 'keep', 'truncate', 'none', '0', '1'] as const;
export const ENGINES = ['native', 'js'] as const;
export const MODES = ['seq', 'wal'] as const;
export const LOAD_WORKLOADS = ['put', 'check-perf', 'kube'] as const;
/** What carries the load's requests (src/load/transport/). */
export const LOAD_TRANSPORTS = ['own', 'grpc-js'] as const;

const URL_LIST = /^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/;
/** What --sync-methods can compare: a sync method, optionally with O_DIRECT. */
export const COMPARABLE_METHODS = [
  'fdatasync',
  'fsync',
  'dsync',
  'sync',
  'none',
  'direct+fdatasync',
  'direct+fsync',
  'direct+dsync',
  'direct+none',
] as const;

export const OPTIONS = {
  profile: pathOption({
    flag: '--profile',
    group: 'run',
    default: '',
    help: 'a profile name from profiles/ or a path to a profile JSON file; the command line overrides its values',
  }),
  dir: pathOption({
    flag: '--dir',
    aliases: ['--directory'],
    group: 'run',
    default: '.',
    help: 'directory on the disk to test; the run works only inside DIR/etcd-disk-bench-RUNID/ and removes it',
  }),
  json: boolOption({ flag: '--json', group: 'run', default: false, help: 'print the result object as JSON on stdout' }),
  engine: enumOption({
    flag: '--engine',
    choices: ENGINES,
    default: 'native',
    help: 'native: the C++ writer thread; js: fs.writeSync + fs.fdatasyncSync on the event loop (comparison, fallback)',
  }),
  blockSize: sizeOption({
    when: 'seq',
    flag: '--block-size',
    aliases: ['--bs'],
    default: 2300,
    min: 1,
    max: 64 * MiB,
    help: 'bytes per write()',
  }),
  size: sizeOption({
    flag: '--size',
    default: 22 * MiB,
    min: 1,
    max: TiB,
    help: 'bytes of the test file, written sequentially',
  }),
  runtime: durationOption({
    flag: '--runtime',
    default: 0,
    min: 0,
    max: 7 * 86400e9,
    help: 'stop after this long (0: when --size is written); with --time-based, run exactly this long',
  }),
  timeBased: boolOption({
    when: 'seq',
    flag: '--time-based',
    aliases: ['--time_based'],
    default: false,
    help: 'keep writing for --runtime, wrapping to the start of the file at --size (fio time_based)',
  }),
  syncMethod: enumOption({
    when: 'seq',
    flag: '--sync-method',
    choices: SYNC_METHODS,
    default: 'fdatasync',
    help: 'fdatasync/fsync after writes, dsync/sync = open with O_DSYNC/O_SYNC, none = no sync at all',
  }),
  syncEvery: countOption({
    when: 'seq',
    flag: '--sync-every',
    default: 1,
    min: 1,
    max: 1_000_000,
    help: 'sync after every N writes',
  }),
  fdatasync: countOption({
    flag: '--fdatasync',
    default: 0,
    min: 0,
    max: 1_000_000,
    help: 'fio spelling: fdatasync after every N writes (0: no sync)',
    expands: (n) => (n === 0 ? { syncMethod: 'none', syncEvery: 1 } : { syncMethod: 'fdatasync', syncEvery: n }),
  }),
  fsync: countOption({
    flag: '--fsync',
    default: 0,
    min: 0,
    max: 1_000_000,
    help: 'fio spelling: fsync after every N writes (0: no sync)',
    expands: (n) => (n === 0 ? { syncMethod: 'none', syncEvery: 1 } : { syncMethod: 'fsync', syncEvery: n }),
  }),
  direct: boolOption({
    when: 'seq',
    flag: '--direct',
    default: false,
    help: 'open with O_DIRECT (block size must be a multiple of the logical block size)',
  }),
  prepare: enumOption({
    when: 'seq',
    flag: '--prepare',
    choices: PREPARE_MODES,
    default: 'fallocate',
    help:
      'file layout before the clock starts: fallocate (fio, etcd WAL), truncate (sparse), none (append), ' +
      'overwrite (pre-written)',
  }),
  fallocate: enumOption({
    when: 'seq',
    flag: '--fallocate',
    choices: FALLOCATE_MODES,
    default: 'native',
    help:
      "how --prepare fallocate lays the file out, with fio's values: native (fallocate(2) mode 0, fio's " +
      'default), posix (posix_fallocate), keep (FALLOC_FL_KEEP_SIZE), truncate, none; 0 and 1 as fio reads them',
  }),
  invalidate: boolOption({
    when: 'seq',
    flag: '--invalidate',
    default: true,
    help:
      "drop the file's page cache when the job opens it and each time a time-based run wraps, as fio's " +
      'invalidate=1 (its default) does: a 2300-byte write into a dropped page reads it back first',
  }),
  endFsync: boolOption({
    when: 'seq',
    flag: '--end-fsync',
    aliases: ['--end_fsync'],
    default: false,
    help: "one fsync of the file when the writes are done (fio's end_fsync)",
  }),
  rate: rateOption({
    flag: '--rate',
    aliases: ['--rate_iops', '--rate-iops'],
    default: 0,
    max: 1_000_000,
    help:
      'open loop at this many operations/s, recording response time from each intended start (0: as fast as ' +
      'possible)',
  }),
  mode: enumOption({
    flag: '--mode',
    choices: MODES,
    default: 'seq',
    help:
      "seq: fio's shape (one file, fixed blocks); wal: etcd's WAL (framed records in preallocated segments, " +
      'batches, cuts)',
  }),
  walSegmentSize: sizeOption({
    when: 'wal',
    flag: '--wal-segment-size',
    default: 64_000_000,
    min: 64 * KiB,
    max: 1024 * MiB,
    help: "bytes per WAL segment (etcd's SegmentSizeBytes is 64,000,000)",
  }),
  walRecordSize: rangeOption({
    when: 'wal',
    flag: '--wal-record-size',
    of: 'size',
    default: { min: 2200, max: 2400 },
    min: 1,
    max: MiB,
    help: 'entry bytes per WAL record (Kubernetes writes measured 2200-2400)',
  }),
  walBatch: rangeOption({
    when: 'wal',
    flag: '--wal-batch',
    of: 'count',
    default: { min: 1, max: 1 },
    min: 1,
    max: 10_000,
    help: 'records per Raft batch: one write() and one fdatasync each',
  }),
  walKeep: countOption({
    when: 'wal',
    flag: '--wal-keep',
    default: 5,
    min: 1,
    max: 1000,
    help: 'WAL segments kept; older ones are purged (etcd --max-wals)',
  }),
  commit: boolOption({
    flag: '--commit',
    default: false,
    help: "run bbolt's backend-commit stream beside the measured writer, on its own file",
  }),
  commitInterval: durationOption({
    when: 'commit',
    flag: '--commit-interval',
    default: 100e6,
    min: 1e6,
    max: 60e9,
    help: "time between backend commits (etcd's --backend-batch-interval, 100 ms)",
  }),
  commitPages: rangeOption({
    when: 'commit',
    flag: '--commit-pages',
    of: 'count',
    default: { min: 8, max: 32 },
    min: 1,
    max: 100_000,
    help: 'dirty 4 KiB pages written per commit',
  }),
  neighbours: countOption({
    flag: '--neighbours',
    default: 0,
    min: 0,
    max: 16,
    help: 'noisy-neighbour threads writing large sequential blocks to their own files',
  }),
  neighbourBlockSize: sizeOption({
    when: 'neighbours',
    flag: '--neighbour-block-size',
    default: MiB,
    min: 4 * KiB,
    max: 64 * MiB,
    help: 'bytes per neighbour write()',
  }),
  neighbourRate: sizeOption({
    when: 'neighbours',
    flag: '--neighbour-rate',
    default: 0,
    min: 0,
    max: TiB,
    help: 'bytes per second each neighbour writes (0: flat out)',
  }),
  neighbourDirect: boolOption({
    when: 'neighbours',
    flag: '--neighbour-direct',
    default: false,
    help: 'neighbours write with O_DIRECT instead of through the page cache',
  }),
  neighbourFileSize: sizeOption({
    when: 'neighbours',
    flag: '--neighbour-file-size',
    default: 1024 * MiB,
    min: MiB,
    max: TiB,
    help: 'each neighbour wraps to the start of its file here',
  }),
  syncMethods: listOption({
    flag: '--sync-methods',
    choices: COMPARABLE_METHODS,
    default: [],
    help:
      'compare these sync methods one after another with the same block size (like pg_test_fsync); direct+X ' +
      'adds O_DIRECT',
  }),
  endpoints: textOption({
    flag: '--endpoints',
    env: 'ETCDCTL_ENDPOINTS',
    group: 'run',
    default: '',
    allowed:
      'comma-separated URLs or host:port as etcdctl takes them, e.g. https://10.0.0.1:2379,10.0.0.2:2379 (host:port: ' +
      'https with --cacert/--cert/--key, else http)',
    check: isEndpointList,
    help: 'the cluster to load (etcdctl --endpoints); none: start a throwaway local etcd on --dir',
  }),
  discoverySrv: textOption({
    when: 'endpoints',
    flag: '--discovery-srv',
    env: 'ETCDCTL_DISCOVERY_SRV',
    group: 'run',
    default: '',
    allowed: 'a DNS domain name, e.g. example.com',
    check: isDomain,
    help:
      "find the cluster's client endpoints in DNS SRV records (etcdctl --discovery-srv): " +
      '_etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http)',
  }),
  discoverySrvName: textOption({
    when: 'endpoints',
    flag: '--discovery-srv-name',
    env: 'ETCDCTL_DISCOVERY_SRV_NAME',
    group: 'run',
    default: '',
    allowed: 'a service name suffix of letters, digits and dashes',
    check: (s) => /^[A-Za-z0-9-]{1,63}$/.test(s),
    help: 'with --discovery-srv: the services _etcd-client-ssl-NAME and _etcd-client-NAME instead',
  }),
  metricsUrls: textOption({
    when: 'endpoints',
    flag: '--metrics-urls',
    group: 'run',
    default: '',
    allowed: 'comma-separated http:// or https:// URLs (one per member, without /metrics)',
    check: (s) => URL_LIST.test(s),
    help: "where to read each member's /metrics (etcd --listen-metrics-urls); default: the endpoints",
  }),
  insecureSkipTlsVerify: boolOption({
    when: 'endpoints',
    flag: '--insecure-skip-tls-verify',
    env: 'ETCDCTL_INSECURE_SKIP_TLS_VERIFY',
    group: 'run',
    default: false,
    help:
      "accept any server certificate (etcdctl's flag: no CA check, no host name check); the connection is " +
      'still encrypted',
  }),
  cacert: pathOption({
    when: 'endpoints',
    flag: '--cacert',
    env: 'ETCDCTL_CACERT',
    group: 'run',
    default: '',
    help: "CA bundle that signed the servers' certificates",
  }),
  cert: pathOption({
    when: 'endpoints',
    flag: '--cert',
    env: 'ETCDCTL_CERT',
    group: 'run',
    default: '',
    help: 'client certificate (TLS client authentication)',
  }),
  key: pathOption({
    when: 'endpoints',
    flag: '--key',
    env: 'ETCDCTL_KEY',
    group: 'run',
    default: '',
    help: 'client private key',
  }),
  user: textOption({
    when: 'endpoints',
    flag: '--user',
    env: 'ETCDCTL_USER',
    group: 'run',
    default: '',
    allowed: 'USER:PASSWORD, or USER to be asked for the password',
    check: (s) => s !== '' && !s.startsWith(':'),
    help: 'etcd user for password authentication',
  }),
  dialTimeout: durationOption({
    flag: '--dial-timeout',
    env: 'ETCDCTL_DIAL_TIMEOUT',
    group: 'run',
    default: 2e9,
    min: 100e6,
    max: 600e9,
    help: 'give up connecting after this long (etcdctl default 2 s)',
  }),
  requestTimeout: durationOption({
    flag: '--request-timeout',
    aliases: ['--command-timeout'],
    env: 'ETCDCTL_COMMAND_TIMEOUT',
    group: 'run',
    default: 5e9,
    min: 1e6,
    max: 600e9,
    help: 'deadline of each request; a request past it counts as an error (etcdctl --command-timeout, 5 s)',
  }),
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
  html: boolOption({
    flag: '--html',
    group: 'run',
    default: false,
    help: 'also write the report as a self-contained HTML page beside it (the same name, .html)',
  }),
  promOut: pathOption({
    flag: '--prom-out',
    group: 'run',
    default: '',
    help:
      "also write the key figures for node_exporter's textfile collector to this .prom file (replaced whole " +
      'on each run)',
  }),
  nodeName: textOption({
    flag: '--node-name',
    env: 'ETCD_DISK_BENCH_NODE_NAME',
    group: 'run',
    default: '',
    allowed: 'a node name (letters, digits, dots, dashes, underscores)',
    check: (s) => /^[A-Za-z0-9._-]{1,253}$/.test(s),
    help:
      'the node this report is for, e.g. the Kubernetes node a Job ran on (default: the host name); ' +
      '`report merge` lists nodes by it',
  }),
  allowLiveEtcd: boolOption({
    flag: '--allow-live-etcd',
    group: 'run',
    default: false,
    help:
      'run although a live etcd keeps its data on the same disk, or its disk cannot be decided (refused by default: ' +
      "our fsyncs compete with its WAL); the report shows that etcd's own WAL fsync during the run",
  }),
  allowKubernetesCluster: boolOption({
    when: 'endpoints',
    flag: '--allow-kubernetes-cluster',
    group: 'run',
    default: false,
    help:
      'run against a cluster that holds /registry/ keys (a Kubernetes cluster, maybe production) - only our ' +
      'prefix is written',
  }),
  etcdBin: pathOption({
    when: 'local',
    flag: '--etcd-bin',
    group: 'run',
    default: '',
    help: 'the etcd binary for the local etcd (default: etcd on PATH)',
  }),
  members: countOption({
    when: 'local',
    flag: '--members',
    group: 'run',
    default: 1,
    min: 1,
    max: 5,
    help: 'members of the local etcd, all on --dir (3: real Raft replication and heartbeats)',
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
    allowed: 'weights as create:N,update:N,delete:N,event:N',
    check: (s) => parseMix(s) !== null,
    help: 'relative share of object creates, updates, deletes and leased event writes',
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
  syncP99Limit: durationOption({
    flag: '--sync-p99-limit',
    group: 'threshold',
    default: 10e6,
    min: 1e3,
    max: 60e9,
    help: 'the sync p99 must stay below this (etcd FAQ: WAL fdatasync p99 < 10 ms)',
  }),
  heartbeatInterval: durationOption({
    flag: '--heartbeat-interval',
    group: 'threshold',
    default: 100e6,
    min: 1e6,
    max: 60e9,
    help:
      "your cluster's etcd --heartbeat-interval: a write() or sync of twice this fails (etcd warns the leader " +
      'failed to send out heartbeats on time)',
  }),
  electionTimeout: durationOption({
    flag: '--election-timeout',
    group: 'threshold',
    default: 1000e6,
    min: 1e6,
    max: 600e9,
    help:
      "your cluster's etcd --election-timeout: a write() or sync this long is severe, grade F (followers " +
      'campaign: the leader can be lost)',
  }),
  cpuWaitLimit: countOption({
    flag: '--cpu-wait-limit',
    group: 'threshold',
    default: 10,
    min: 1,
    max: 100,
    help:
      'percent of the measured sync time the writer thread may spend waiting for a CPU before its figures ' +
      "count as the host's, not the disk's",
  }),
  cpuPressureLimit: countOption({
    flag: '--cpu-pressure-limit',
    group: 'threshold',
    default: 40,
    min: 1,
    max: 100,
    help:
      'host CPU pressure (PSI some: percent of the time a task waited for a CPU) at which the host counts as ' +
      'saturated',
  }),
  cpuBusyLimit: countOption({
    flag: '--cpu-busy-limit',
    group: 'threshold',
    default: 90,
    min: 1,
    max: 100,
    help: 'percent of all CPUs busy at which the host counts as saturated',
  }),
  stealLimit: countOption({
    flag: '--steal-limit',
    group: 'threshold',
    default: 10,
    min: 1,
    max: 100,
    help: "percent of CPU time stolen by the hypervisor (noisy neighbours) at which figures count as the host's",
  }),
  generatorDelayLimit: durationOption({
    flag: '--generator-delay-limit',
    group: 'threshold',
    default: 10e6,
    min: 1e3,
    max: 60e9,
    help:
      'p99 of how late the load generator sent requests while a client was free, at which the load counts as ' +
      'generator-limited',
  }),
  gradeA: durationOption({
    flag: '--grade-a',
    group: 'threshold',
    default: 2e6,
    min: 1e3,
    max: 60e9,
    help: 'grade A: every check passes and the sync p99 is at most this (a healthy disk in the incident report, 2 ms)',
  }),
  gradeB: durationOption({
    flag: '--grade-b',
    group: 'threshold',
    default: 5e6,
    min: 1e3,
    max: 60e9,
    help: 'grade B: every check passes and the sync p99 is at most this (C up to the sync limit)',
  }),
  gradeF: durationOption({
    flag: '--grade-f',
    group: 'threshold',
    default: 50e6,
    min: 1e3,
    max: 60e9,
    help: 'a failing sync p99 above this is F, not D (the incident report: over 50 ms means trouble)',
  }),
  commitP99Limit: durationOption({
    flag: '--commit-p99-limit',
    group: 'threshold',
    default: 25e6,
    min: 1e3,
    max: 60e9,
    help: 'the backend commit p99 must stay below this (etcd FAQ: "apply entries took too long", commit p99 < 25 ms)',
  }),
  stepFactor: countOption({
    flag: '--step-factor',
    group: 'threshold',
    default: 4,
    min: 2,
    max: 1000,
    help: "a step change is a per-second sync p99 this many times the baseline's (the run's lowest stable stretch)",
  }),
  stepSeconds: countOption({
    flag: '--step-seconds',
    group: 'threshold',
    default: 10,
    min: 1,
    max: 3600,
    help: 'a step change or a stretch above the sync limit must last this many consecutive seconds',
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
  stepBaseline: durationOption({
    flag: '--step-baseline',
    group: 'threshold',
    default: 60e9,
    min: 3e9,
    max: 3600e9,
    help:
      "length of the baseline: the run's lowest stable stretch of this length (at most a sixth of the run), " +
      'that every other second is compared with',
  }),
  out: pathOption({
    flag: '--out',
    group: 'run',
    default: '',
    help: 'write the report to this file (default results/HOST-UTCTIME-PROFILE.json in the package directory)',
  }),
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

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<S> = S extends OptionSpec<infer V> ? V : never;
/** Every option's value, typed from the table. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };

/** The options the `disk` command accepts. */
export const DISK_OPTION_KEYS = [
  'profile',
  'dir',
  'nodeName',
  'allowLiveEtcd',
  'json',
  'promOut',
  'engine',
  'mode',
  'blockSize',
  'size',
  'runtime',
  'timeBased',
  'syncMethod',
  'syncEvery',
  'fdatasync',
  'fsync',
  'direct',
  'prepare',
  'fallocate',
  'invalidate',
  'endFsync',
  'rate',
  'walSegmentSize',
  'walRecordSize',
  'walBatch',
  'walKeep',
  'commit',
  'commitInterval',
  'commitPages',
  'neighbours',
  'neighbourBlockSize',
  'neighbourRate',
  'neighbourDirect',
  'neighbourFileSize',
  'syncMethods',
  'syncP99Limit',
  'heartbeatInterval',
  'electionTimeout',
  'cpuWaitLimit',
  'cpuPressureLimit',
  'cpuBusyLimit',
  'stealLimit',
  'gradeA',
  'gradeB',
  'gradeF',
  'commitP99Limit',
  'stepFactor',
  'stepSeconds',
  'stepBaseline',
] as const satisfies readonly OptionKey[];

/** How `load` and `observe` reach a cluster: etcdctl's connection flags, plus where the metrics are. */
const CONNECTION_KEYS = [
  'endpoints',
  'discoverySrv',
  'discoverySrvName',
  'metricsUrls',
  'insecureSkipTlsVerify',
  'cacert',
  'cert',
  'key',
  'user',
  'dialTimeout',
  'requestTimeout',
] as const satisfies readonly OptionKey[];

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
  'eventTtl',
  'compactionInterval',
  'rate',
  'runtime',
  'total',
  'clients',
  'conns',
  'workers',
  'transport',
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
] as const satisfies readonly OptionKey[];

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
  'stepFactor',
  'stepSeconds',
  'stepBaseline',
] as const satisfies readonly OptionKey[];

/** What both labs take: where, which etcd, how many members, how slow. */
const LAB_COMMON_KEYS = [
  'dir',
  'allowLiveEtcd',
  'json',
  'etcdBin',
  'members',
  'delay',
  'jitter',
] as const satisfies readonly OptionKey[];

/** The options of `lab slow-disk`: where, how slow, which members; the load is the kube profile. */
export const LAB_OPTION_KEYS = [...LAB_COMMON_KEYS, 'slow', 'runtime'] as const satisfies readonly OptionKey[];

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
] as const satisfies readonly OptionKey[];

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
] as const satisfies readonly OptionKey[];

/** A command that gives a shared option another meaning than `disk` does. */
export type CommandName = 'disk' | 'load' | 'qualify' | 'lab' | 'lab-network' | 'observe';

const HELP_IN: Partial<Record<CommandName, Partial<Record<OptionKey, string>>>> = {
  load: {
    runtime: 'how long the load runs (0: until --total requests are answered)',
    dir:
      'without --endpoints: directory on the disk to test, where the throwaway local etcd keeps its data ' +
      '(inside DIR/etcd-disk-bench-RUNID/, removed afterwards)',
  },
  lab: { runtime: "how long the load runs on the slowed disk (0, the default: the kube profile's 60 s)" },
  'lab-network': {
    delay: 'held back in each direction on every slowed peer link (one way: a round trip gains twice this)',
    jitter: 'the delay varies uniformly by up to this much either way (byte order is kept)',
    runtime:
      "how long the load runs (0, the default: the kube profile's 60 s; etcd records a peer round trip every 30 s)",
    members: 'local members (3 or 5), each behind its own delaying proxy',
    heartbeatInterval: "the members' --heartbeat-interval (etcd's default 100 ms): try the suggested value",
    electionTimeout: "the members' --election-timeout (etcd's default 1000 ms; at least 5 heartbeats)",
    peerRttLimit: "each link's peer round trip p99 must stay below this (Red Hat's etcd guidance: 50 ms)",
    workload: 'the load on the members (the kube profile, with this workload)',
  },
  observe: {
    runtime: 'how long to watch the cluster (0: until stopped with q or Ctrl-C)',
    endpoints: 'the cluster to observe (etcdctl --endpoints); its members are found from the member list',
    metricsUrls: "where to read each member's /metrics (etcd --listen-metrics-urls); default: each member's client URL",
    syncP99Limit: "each member's WAL fsync p99 (etcd_disk_wal_fsync_duration_seconds) must stay below this (etcd FAQ)",
    out: 'write the report to this file (default results/HOST-UTCTIME-observe.json in the package directory)',
  },
};

/** Defaults a command gives a shared option (the table's default is another command's); the command applies them. */
const DEFAULT_IN: Partial<Record<CommandName, Partial<Record<OptionKey, unknown>>>> = {
  'lab-network': { members: 3, delay: 30e6, workload: 'kube' },
};

/** The default of `key` in `command`. */
export function defaultIn(key: OptionKey, command: CommandName): unknown {
  return DEFAULT_IN[command]?.[key] ?? specOf(key).default;
}

/** An option's help text as `command` means it. */
export function helpOf(key: OptionKey, command: CommandName): string {
  const s = specOf(key);
  const help = HELP_IN[command]?.[key] ?? s.help;
  // Where it applies, from the table: "--mode wal: ...", "--workload kube: ...", "qualify: ...", where the
  // command offers the choice (disk its modes and streams, load its targets and workloads).
  const scope = s.when && SCOPES_IN[s.when].includes(command) ? `${APPLIES_WORDS[s.when]}: ` : '';
  return `${scope}${help}`;
}

/** The commands whose help names an option's scope: those where the scope is a choice. */
const SCOPES_IN: Record<Applies, readonly CommandName[]> = {
  seq: ['disk'],
  wal: ['disk'],
  commit: ['disk'],
  neighbours: ['disk'],
  local: ['load'],
  endpoints: ['load'],
  put: ['load'],
  kube: ['load'],
  qualify: ['disk', 'load', 'lab'],
  lab: ['disk', 'load', 'qualify'],
};

/** The keys among `keys` that apply only where `when` says (derived from the table, never listed by hand). */
export function keysWhen<K extends OptionKey>(when: Applies, keys: readonly K[]): K[] {
  return keys.filter((k) => specOf(k).when === when);
}

/** Looks an option up by key without losing the general spec type. */
export function specOf(key: OptionKey): OptionSpec<unknown> {
  return OPTIONS[key] as unknown as OptionSpec<unknown>;
}

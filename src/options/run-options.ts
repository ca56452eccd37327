// The options every measuring command shares: where (--dir, --profile), how
// long and how fast, the safety switches, which etcd, the Raft timing the
// checks assume, and the limits by which a busy host is told from a slow disk.
// One of the option table's groups (src/options/table.ts assembles them).
import { boolOption, countOption, durationOption, pathOption, rateOption } from './spec.js';

export const RUN_OPTIONS = {
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
  runtime: durationOption({
    flag: '--runtime',
    default: 0,
    min: 0,
    max: 7 * 86400e9,
    help: 'stop after this long (0: when --size is written); with --time-based, run exactly this long',
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
    aliases: ['--etcd-binary'],
    group: 'run',
    default: '',
    help:
      'the etcd binary for the local etcd (default: etcd on PATH); live: the binary of the etcd running on this ' +
      'node (/proc/PID/exe: root or CAP_SYS_PTRACE), so the throwaway etcd is the version production runs; ' +
      'live,PATH: that, else PATH when no etcd runs here (said in the report)',
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
} as const;

// `k8s jobs`: one Kubernetes Job per node that runs `qualify` on that node's
// disk from the image: pinned by the node's hostname label (through the
// scheduler, so the requests are accounted), tolerating control-plane taints,
// the directory to test and the results as hostPaths, the host's process
// table visible (hostPID) so the live-etcd guard sees the node's etcd, the
// report as JSON on stdout (kubectl logs) and in the results hostPath, a
// deadline and a TTL, labels to find them. The pod exits with the tool's
// exit code, so a failed disk is a failed Job. By default the etcd phase runs
// the node's own etcd binary (--etcd-bin live,IMAGE_ETCD): reading another
// user's /proc/PID/exe needs root with CAP_SYS_PTRACE, so that pod runs as
// root with it; with --etcd-bin image it runs as the image's user.
import { createHash } from 'node:crypto';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions } from '../options/resolve.js';
import { QUALIFY_OPTION_KEYS } from '../options/table.js';
import { TOOL } from '../core/version.js';
import type { YamlValue } from './yaml.js';

export const LABEL = 'app.kubernetes.io/name';
/** Said at the top of the manifests: what the live-etcd guard needs in a pod, and what it does without it. */
export const GUARD_NOTE = [
  "hostPID: true lets the live-etcd guard see this node's etcd: it reads the etcd's command line and mount table",
  '(/proc/PID/cmdline, /proc/PID/mountinfo; no privilege needed) and refuses the run (exit 2) when that etcd keeps',
  'its data on the disk under --dir, or when its disk cannot be decided, unless --allow-live-etcd. Without hostPID',
  "the pod sees only its own processes: the node's etcd is invisible, and the run only warns that it could not look.",
];

/** Said at the top with --etcd-bin live (the default): why the pod runs as root, and what it falls back on. */
export const LIVE_BINARY_NOTE = [
  "--etcd-bin live: qualify's etcd phase runs the node's own etcd binary (its /proc/PID/exe through hostPID), the",
  "version production runs; reading another user's /proc/PID/exe needs root with CAP_SYS_PTRACE, so the qualify",
  "container runs as root with that capability added. A node with no etcd (not yet joined) runs the image's own etcd",
  'instead, and the report and its log say so. --etcd-bin image keeps the pod unprivileged (uid 10001).',
];

/** Where the image keeps its own etcd (Containerfile). */
export const IMAGE_ETCD = '/usr/local/bin/etcd';

/** The user the image runs as (Containerfile). */
export const IMAGE_UID = 10001;

export interface JobsOptions {
  nodes: string[];
  image: string;
  dir: string;
  profile: string;
  namespace: string;
  /** A run id shared by this set of Jobs (a label, to find and delete them together). */
  runId: string;
  allowLiveEtcd: boolean;
  ttlSeconds: number;
  /** live: the node's own etcd binary, else the image's; image: the image's. */
  etcdBin: 'live' | 'image';
}

/** A DNS-1123 name from a node name: lower case, at most 63 characters, a hash suffix when shortened. */
export function jobName(node: string): string {
  const clean = `etcd-disk-bench-${node.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`.replace(/-+$/, '');
  if (clean.length <= 63) return clean;
  const hash = createHash('sha256').update(node).digest('hex').slice(0, 8);
  return `${clean.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

/** How long the profile's qualify runs, in seconds, plus room for startup and the report. */
export function deadlineSeconds(profile: string): number {
  const v = resolveOptions(QUALIFY_OPTION_KEYS, {}, loadProfile(profile, QUALIFY_OPTION_KEYS)).values;
  return Math.ceil((v.fioRuntime + v.walRuntime + v.etcdRuntime) / 1e9) * 2 + 300;
}

/** The Job for one node. */
export function jobFor(node: string, o: JobsOptions): YamlValue {
  const labels = {
    [LABEL]: 'etcd-disk-bench',
    'app.kubernetes.io/component': 'qualify',
    'etcd-disk-bench/run': o.runId,
  };
  const args = [
    'qualify',
    '--dir',
    '/bench',
    '--profile',
    o.profile,
    '--json',
    ...(o.allowLiveEtcd ? ['--allow-live-etcd'] : []),
    ...(o.etcdBin === 'live' ? ['--etcd-bin', `live,${IMAGE_ETCD}`] : []),
  ];
  // Root only for reading the live etcd's binary, with just that capability added to the runtime's defaults.
  const privilege: Record<string, YamlValue> =
    o.etcdBin === 'live' ? { securityContext: { runAsUser: 0, capabilities: { add: ['SYS_PTRACE'] } } } : {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(node),
      namespace: o.namespace,
      labels: { ...labels, 'etcd-disk-bench/node': jobName(node).slice('etcd-disk-bench-'.length) },
      annotations: { 'etcd-disk-bench/node-name': node, 'etcd-disk-bench/version': TOOL.version },
    },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds(o.profile),
      ttlSecondsAfterFinished: o.ttlSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          nodeSelector: { 'kubernetes.io/hostname': node },
          tolerations: [
            { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
            { key: 'node-role.kubernetes.io/master', operator: 'Exists', effect: 'NoSchedule' },
          ],
          // The node's processes, so a live etcd on the disk is found and the run refused (or allowed, reported).
          hostPID: true,
          initContainers: [
            {
              name: 'own-dirs',
              image: o.image,
              command: ['sh', '-c', `chown ${IMAGE_UID}:${IMAGE_UID} /bench /results`],
              securityContext: { runAsUser: 0 },
              volumeMounts: [
                { name: 'bench', mountPath: '/bench' },
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          containers: [
            {
              name: 'qualify',
              image: o.image,
              args,
              ...privilege,
              env: [{ name: 'ETCD_DISK_BENCH_NODE_NAME', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
              resources: { requests: { cpu: '1', memory: '1Gi' }, limits: { memory: '2Gi' } },
              volumeMounts: [
                { name: 'bench', mountPath: '/bench' },
                { name: 'results', mountPath: '/results' },
              ],
            },
          ],
          volumes: [
            { name: 'bench', hostPath: { path: o.dir, type: 'DirectoryOrCreate' } },
            { name: 'results', hostPath: { path: `${o.dir.replace(/\/+$/, '')}-results`, type: 'DirectoryOrCreate' } },
          ],
        },
      },
    },
  };
}

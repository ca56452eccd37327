// `etcd-disk-bench k8s jobs`: prints one Job per node, ready for
// `kubectl apply -f -`. Nothing is contacted or written.
import type { Command } from 'commander';
import { UsageError } from '../core/errors.js';
import { GUARD_NOTE, jobFor, LIVE_BINARY_NOTE } from '../k8s/jobs.js';
import { toYaml } from '../k8s/yaml.js';
import { builtInProfiles } from '../options/profiles.js';
import { QUALIFY_OPTION_KEYS } from '../options/table.js';
import { newRunId } from '../run/run-id.js';
import { TOOL } from '../core/version.js';

const NODE = /^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/;
const NAMESPACE = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

interface Raw {
  nodes: string;
  image: string;
  dir: string;
  profile: string;
  namespace: string;
  ttl: string;
  allowLiveEtcd?: boolean;
  etcdBin: string;
}

/** Adds `k8s jobs` to the program. */
export function addK8sCommand(program: Command): void {
  const k8s = program.command('k8s').description('run qualify across a cluster: Kubernetes manifests');
  k8s
    .command('jobs')
    .description(
      "print one Job per node (pinned to it, control-plane taints tolerated, the node's directory as a hostPath), " +
        "for kubectl apply -f -; each pod exits with qualify's exit code, its report on stdout and in DIR-results",
    )
    .requiredOption('--nodes <names>', 'comma-separated node names (kubectl get nodes -o name, without node/)')
    .option('--image <ref>', 'the etcd-disk-bench image', `localhost/etcd-disk-bench:${TOOL.version}`)
    .option('--dir <path>', 'the directory on each node to test (created if missing)', '/var/lib/etcd-disk-bench')
    .option('--profile <name>', 'the qualify profile', 'standard')
    .option('--namespace <name>', 'the namespace of the Jobs', 'default')
    .option('--ttl <seconds>', 'delete each finished Job after this long', '86400')
    .option(
      '--etcd-bin <which>',
      "the etcd of qualify's etcd phase: live (the node's own etcd binary, else the image's, with a line saying so; " +
        "the pod runs as root with CAP_SYS_PTRACE to read it) or image (the image's etcd 3.6, unprivileged)",
      'live',
    )
    .option(
      '--allow-live-etcd',
      "run although the node's etcd keeps its data on the same disk, or its disk cannot be decided (see qualify)",
    )
    .action((raw: Raw) => {
      const nodes = raw.nodes.split(',').filter((n) => n !== '');
      const badNode = nodes.find((n) => !NODE.test(n));
      if (nodes.length === 0 || badNode !== undefined)
        throw new UsageError(
          `--nodes: ${JSON.stringify(badNode ?? raw.nodes)} is not allowed; expected comma-separated node names ` +
            '(lower case letters, digits, dots and dashes), e.g. cp-1,cp-2,cp-3',
        );
      if (new Set(nodes).size !== nodes.length) throw new UsageError('--nodes: a node is named twice');
      const profiles = builtInProfiles(QUALIFY_OPTION_KEYS);
      if (!profiles.includes(raw.profile))
        throw new UsageError(`--profile: "${raw.profile}" is not allowed; the image has: ${profiles.join(', ')}`);
      if (!raw.dir.startsWith('/') || raw.dir === '/')
        throw new UsageError(`--dir: "${raw.dir}" is not allowed; expected an absolute path other than /`);
      if (!NAMESPACE.test(raw.namespace))
        throw new UsageError(`--namespace: "${raw.namespace}" is not allowed; expected a DNS label, e.g. default`);
      const ttl = Number(raw.ttl);
      if (!Number.isInteger(ttl) || ttl < 0)
        throw new UsageError(`--ttl: "${raw.ttl}" is not allowed; expected whole seconds, 0 or more`);
      if (raw.image.trim() === '') throw new UsageError('--image: give an image reference');
      if (raw.etcdBin !== 'live' && raw.etcdBin !== 'image')
        throw new UsageError(`--etcd-bin: "${raw.etcdBin}" is not allowed; expected one of live, image`);
      const o = {
        nodes,
        image: raw.image,
        dir: raw.dir,
        profile: raw.profile,
        namespace: raw.namespace,
        runId: newRunId(new Date()).toLowerCase(),
        allowLiveEtcd: raw.allowLiveEtcd === true,
        ttlSeconds: ttl,
        etcdBin: raw.etcdBin as 'live' | 'image',
      };
      const notes = [...GUARD_NOTE, ...(o.etcdBin === 'live' ? LIVE_BINARY_NOTE : [])];
      process.stdout.write(`${notes.map((l) => `# ${l}`).join('\n')}\n${toYaml(nodes.map((n) => jobFor(n, o)))}`);
    });
}

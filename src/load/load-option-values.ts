// The `load` command's options as typed values, and the checks between them.
import { UsageError } from '../core/errors.js';
import type { ResolvedOptions } from '../options/resolve.js';
import { keysWhen, LOAD_OPTION_KEYS, specOf, type OptionValues } from '../options/table.js';

export type LoadOptionKey = (typeof LOAD_OPTION_KEYS)[number];
export type LoadOptions = Pick<OptionValues, LoadOptionKey>;
export type ResolvedLoadOptions = ResolvedOptions<LoadOptionKey>;
export { LOAD_OPTION_KEYS };

// Where each option applies is declared in the option table (`when`).
const REMOTE_ONLY = keysWhen('endpoints', LOAD_OPTION_KEYS);
const LOCAL_ONLY = keysWhen('local', LOAD_OPTION_KEYS);
const PUT_ONLY = keysWhen('put', LOAD_OPTION_KEYS);
const KUBE_ONLY = keysWhen('kube', LOAD_OPTION_KEYS);

/** Throws a UsageError naming options that cannot go together. */
export function validateLoadOptions(r: ResolvedLoadOptions): void {
  const o = r.values;
  const refuseIfSet = (keys: LoadOptionKey[], why: string) => {
    for (const k of keys) if (r.sources[k] !== 'default') throw new UsageError(`${specOf(k).flag}: ${why}`, k);
  };
  if (o.runtime === 0 && o.total === 0)
    throw new UsageError(
      '--runtime: give --runtime (e.g. 60s) or --total (a number of requests) to say when the load ends',
      'runtime',
    );
  if (o.endpoints !== '' && o.discoverySrv !== '')
    throw new UsageError(
      '--discovery-srv and --endpoints: give one (etcdctl would use the SRV records)',
      'discoverySrv',
    );
  if (o.endpoints === '' && o.discoverySrv === '')
    refuseIfSet(REMOTE_ONLY, 'applies to a cluster given with --endpoints or --discovery-srv, not to the local etcd');
  else refuseIfSet(LOCAL_ONLY, 'applies to the local etcd only (no --endpoints)');
  // Only what the user typed: the default put profile's key sizes simply do not apply to check-perf.
  for (const [keys, workload] of [
    [PUT_ONLY, 'put'],
    [KUBE_ONLY, 'kube'],
  ] as const) {
    if (o.workload === workload) continue;
    for (const k of keys)
      if (r.sources[k] === 'cli')
        throw new UsageError(`${specOf(k).flag}: applies to --workload ${workload}, not ${o.workload}`, k);
  }
  if (o.members % 2 === 0)
    throw new UsageError(
      `--members: ${o.members} members cannot keep a majority through one failure; use 1, 3 or 5`,
      'members',
    );
  if (o.workload === 'kube' && o.kubePrefill > o.kubeObjects)
    throw new UsageError(
      `--kube-prefill: ${o.kubePrefill} objects cannot be created beforehand out of --kube-objects ${o.kubeObjects}`,
      'kubePrefill',
    );
  if (o.rate > 0 && o.clients < 1) throw new UsageError('--clients: at least one', 'clients');
}

/**
 * The command line with passwords blanked (`--user root:secret` -> `--user root:***`): results get attached to tickets.
 */
export function redactArgv(argv: string[]): string[] {
  return argv.map((a, i) => {
    if (a.startsWith('--user=')) return a.replace(/^(--user=[^:]*):.*$/, '$1:***');
    if (argv[i - 1] === '--user') return a.replace(/^([^:]*):.*$/, '$1:***');
    return a;
  });
}

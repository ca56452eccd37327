// Before a run writes anything: is a live etcd on this disk? A directory
// inside an etcd's data or WAL directory, or one holding them, is refused
// outright. An etcd whose data shares the filesystem or the physical disk
// with --dir is refused unless --allow-live-etcd: our fsyncs would compete
// with its WAL's, which is how a disk test causes leader elections. An etcd
// whose disk cannot be decided is refused the same way (fail safe: a warning
// and a run would flood a production etcd's disk from a container that
// could not look). Our own throwaway members (another run of ours) are named
// in a warning only. What the guard saw and decided is returned as a record
// for the report.
import { realpathSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { type DirPlace, disksOf, foreignPlace, ownPlace, type Relation, relate } from '../host/dir-place.js';
import { type EtcdProcess, etcdProcesses, type ProcessView, processView } from '../host/etcd-processes.js';

/** A live etcd whose data shares the disk with the run. */
export interface SharedEtcd {
  pid: number;
  dataDir: string | null;
  walDir: string | null;
  /** Where its data dir was read from (--data-dir, ETCD_DATA_DIR, config file, default). */
  from: string;
  metricsUrl: string | null;
  /**
   * filesystem: the same mounted filesystem as --dir; device: another filesystem on the same physical disk; unknown:
   * its disk could not be decided.
   */
  shares: 'filesystem' | 'device' | 'unknown';
}

/** One of an etcd's directories, as the guard placed it. */
export interface GuardPlace {
  dir: string;
  /** How it was placed: stat through /proc/PID/root, or the etcd's own mount table; null when neither could. */
  via: 'root' | 'mountinfo' | null;
  majMin: string | null;
  source: string | null;
  fsType: string | null;
  disks: string[];
  relation: Relation | null;
}

/** One etcd process the guard saw, and what it decided about it. */
export interface GuardSighting {
  pid: number;
  dataDir: string | null;
  walDir: string | null;
  from: string;
  ourRun: string | null;
  places: GuardPlace[];
  decision: 'elsewhere' | 'filesystem' | 'device' | 'undecided';
  /** Why the decision is undecided, in words (null otherwise). */
  why: string | null;
  /** What the run did about it: nothing (apart), named it (another run of ours), went on beside it (allowed). */
  outcome: 'apart' | 'ours' | 'allowed';
}

/** What the guard saw and decided, for the report. */
export interface LiveEtcdGuardRecord {
  dir: string;
  majMin: string;
  source: string | null;
  fsType: string | null;
  disks: string[];
  /** host: this process sees the host's process table; own: a PID namespace of its own (a container without it). */
  pidNamespace: ProcessView['pidNamespace'];
  processesSeen: number;
  etcds: GuardSighting[];
  /** The decision in one sentence. */
  decision: string;
}

export interface LiveEtcdFindings {
  /** Live etcds (not ours) sharing the disk: only when --allow-live-etcd let the run go on. */
  shared: SharedEtcd[];
  warnings: string[];
  record: LiveEtcdGuardRecord;
}

function describe(p: EtcdProcess): string {
  const data = p.dataDir ?? 'not known';
  return `etcd pid ${p.pid} (data ${data}${p.walDir ? `, WAL ${p.walDir}` : ''}; from ${p.from})`;
}

const RANK: Record<Relation, number> = { contains: 5, inside: 5, filesystem: 4, device: 3, unknown: 2, elsewhere: 1 };

/** Places each of an etcd's directories and relates it to --dir. */
function sight(p: EtcdProcess, ours: DirPlace): { places: GuardPlace[]; why: string | null } {
  const dirs = [p.dataDir, p.walDir].filter((x): x is string => x !== null);
  const places: GuardPlace[] = [];
  const whys: string[] = [];
  if (p.dataDir === null) whys.push(`its data directory is not known (${p.unreadable.join('; ')} cannot be read here)`);
  for (const dir of dirs) {
    const found = foreignPlace(dir, p.root, p.mountinfo);
    if (!found.place) whys.push(`${dir}: ${found.why}`);
    const at: DirPlace | null = found.place;
    places.push({
      dir,
      via: at?.via ?? null,
      majMin: at?.majMin ?? null,
      source: at?.mount?.source ?? null,
      fsType: at?.mount?.fsType ?? null,
      disks: at ? disksOf(at.majMin) : [],
      relation: at ? relate(ours, at) : null,
    });
  }
  const unknown = places.filter((x) => x.relation === 'unknown');
  for (const u of unknown)
    whys.push(
      `${u.dir} is on ${u.fsType}, or --dir is on such a filesystem, whose writes land on a disk not named here`,
    );
  return { places, why: whys.length > 0 ? whys.join('; ') : null };
}

/** The guard's decision in one sentence, for a run that goes on. */
function decisionText(etcds: GuardSighting[], view: ProcessView, allowed: number): string {
  if (etcds.length === 0) {
    const own = view.pidNamespace === 'own' ? ' (own PID namespace: the host was not looked at)' : '';
    return `no etcd seen among ${view.processesSeen} processes${own}`;
  }
  const beside = etcds.filter((e) => e.outcome !== 'apart').length;
  if (beside === 0) return `${etcds.length} etcd seen, none on this disk`;
  const why = allowed > 0 ? 'run allowed by --allow-live-etcd' : 'throwaway members of another run of ours';
  return `${etcds.length} etcd seen, ${beside} on this disk or not decided: ${why}`;
}

/** Checks --dir against the etcds running here; throws UsageError (exit 2) for a refusal. */
export function guardLiveEtcd(
  dirArg: string,
  allow: boolean,
  processes = etcdProcesses(),
  view = processView(),
): LiveEtcdFindings {
  const dir = realpathSync(dirArg);
  const ours = ownPlace(dir);
  const shared: SharedEtcd[] = [];
  const warnings: string[] = [];
  const refused: { text: string; decided: boolean }[] = [];
  const etcds: GuardSighting[] = [];
  if (view.pidNamespace === 'own')
    warnings.push(
      `this process has a PID namespace of its own (${view.processesSeen} processes visible): an etcd outside it, ` +
        "such as the node's, cannot be seen, so the live-etcd guard checked only these; give a container the " +
        "host's process table (podman/docker run --pid=host; hostPID: true in a pod)",
    );
  for (const p of processes) {
    const { places, why } = sight(p, ours);
    const worst = places.reduce<Relation | null>(
      (w, x) => (x.relation && (w === null || RANK[x.relation] > RANK[w]) ? x.relation : w),
      null,
    );
    const hit = places.find((x) => x.relation === 'contains' || x.relation === 'inside');
    if (hit) {
      const which = hit.dir === p.walDir ? 'WAL' : 'data';
      throw new UsageError(
        hit.relation === 'contains'
          ? `--dir: ${dir} is inside ${hit.dir}, the ${which} directory of the running ${describe(p)}; refusing ` +
              'to write there. Point --dir at a directory of its own on the same disk'
          : `--dir: ${dir} holds ${hit.dir}, the ${which} directory of the running ${describe(p)}; refusing to ` +
              'write there. Point --dir at a directory of its own beside it',
        'dir',
      );
    }
    const decision: GuardSighting['decision'] =
      why !== null ? 'undecided' : worst === 'filesystem' || worst === 'device' ? worst : 'elsewhere';
    const how =
      decision === 'filesystem'
        ? 'the same filesystem'
        : decision === 'device'
          ? `the same disk (${disksOf(ours.majMin).join(', ')})`
          : '';
    const sighting = { pid: p.pid, dataDir: p.dataDir, walDir: p.walDir, from: p.from, ourRun: p.ourRun, places };
    if (decision === 'elsewhere') {
      etcds.push({ ...sighting, decision, why, outcome: 'apart' });
      continue;
    }
    if (p.ourRun) {
      warnings.push(
        decision === 'undecided'
          ? `a throwaway etcd of another etcd-disk-bench run (${p.ourRun}, pid ${p.pid}): whether it shares the ` +
              `disk with ${dir} could not be decided (${why})`
          : `a throwaway etcd of another etcd-disk-bench run (${p.ourRun}, pid ${p.pid}) keeps its data on ${how} ` +
              `as ${dir}: its writes compete with this run's`,
      );
      etcds.push({ ...sighting, decision, why, outcome: 'ours' });
      continue;
    }
    if (!allow) {
      refused.push(
        decision === 'undecided'
          ? { text: `${describe(p)}: whether it shares the disk could not be decided: ${why}`, decided: false }
          : { text: `${describe(p)} on ${how}`, decided: true },
      );
      continue;
    }
    shared.push({
      pid: p.pid,
      dataDir: p.dataDir,
      walDir: p.walDir,
      from: p.from,
      metricsUrl: p.metricsUrl,
      shares: decision === 'undecided' ? 'unknown' : decision,
    });
    etcds.push({ ...sighting, decision, why, outcome: 'allowed' });
    warnings.push(
      decision === 'undecided'
        ? `--allow-live-etcd: ${describe(p)} may share the disk with ${dir} (not decided: ${why}); its own WAL ` +
            'fsync during this run is reported beside ours'
        : `--allow-live-etcd: ${describe(p)} shares ${how} with ${dir}; its own WAL fsync during this run is ` +
            'reported beside ours',
    );
  }
  if (refused.length > 0) {
    const head = refused.some((r) => r.decided)
      ? 'a live etcd keeps its data on this disk'
      : 'a live etcd runs here and its disk could not be told apart from this one';
    throw new UsageError(
      `--dir: ${head}: ${refused.map((r) => r.text).join('; ')}. This run's fsyncs would compete ` +
        "with that etcd's WAL fsyncs and can delay its heartbeats into leader elections: disk tests cause outages " +
        'this way. To proceed safely: `etcd-disk-bench observe` grades that etcd from its own metrics without ' +
        'adding load; or run in quiet hours, short (e.g. --profile quick), with --allow-live-etcd',
      'allowLiveEtcd',
    );
  }
  const record: LiveEtcdGuardRecord = {
    dir,
    majMin: ours.majMin,
    source: ours.mount?.source ?? null,
    fsType: ours.mount?.fsType ?? null,
    disks: disksOf(ours.majMin),
    pidNamespace: view.pidNamespace,
    processesSeen: view.processesSeen,
    etcds,
    decision: decisionText(etcds, view, shared.length),
  };
  return { shared, warnings, record };
}

// The etcd servers running on this host, as /proc shows them: each process's
// data and WAL directories and where it serves /metrics, read the way etcd
// reads its configuration (command line, then ETCD_* variables, then the
// config file; the data dir defaults to NAME.etcd in its working directory).
// Paths are the process's own: a container's etcd is reached through
// /proc/PID/root where we may enter it, else placed by its own mount table
// (/proc/PID/mountinfo). An unprivileged reader cannot read another user's
// environment, working directory or root: what could not be read is named,
// never guessed (a data directory that depends on it is null).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** The variable our throwaway local etcd members carry, naming the run that started them. */
export const OUR_ETCD_ENV = 'ETCD_DISK_BENCH_RUN';

export interface EtcdProcess {
  pid: number;
  /** The data directory as the process names it (absolute, in its mount namespace); null when it cannot be known. */
  dataDir: string | null;
  /** The dedicated WAL directory, when it has one. */
  walDir: string | null;
  /** Where the data dir came from: "--data-dir", "ETCD_DATA_DIR", "config file", "default (NAME.etcd)". */
  from: string;
  /** Where its /metrics can be read: --listen-metrics-urls, else the first client URL (0.0.0.0 as 127.0.0.1). */
  metricsUrl: string | null;
  /** /proc/PID/root: prefix the process's paths with it to reach them from here. */
  root: string;
  /** A throwaway member started by etcd-disk-bench (its run id), not someone's etcd. */
  ourRun: string | null;
  /** Its own mount table (/proc/PID/mountinfo), readable without privilege; null when it could not be read. */
  mountinfo: string | null;
  /** What could not be read of it here, in words (its environment, working directory, config file). */
  unreadable: string[];
}

type Settings = Partial<
  Record<'data-dir' | 'wal-dir' | 'name' | 'listen-client-urls' | 'listen-metrics-urls' | 'config-file', string>
>;
const KEYS = ['data-dir', 'wal-dir', 'name', 'listen-client-urls', 'listen-metrics-urls', 'config-file'] as const;

/** The settings on an etcd command line: --flag value, --flag=value, and the one-dash forms Go's flag package takes. */
export function flagsOf(argv: string[]): Settings {
  const out: Settings = {};
  for (let i = 1; i < argv.length; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(argv[i]!);
    if (!m) continue;
    const key = KEYS.find((k) => k === m[1]);
    if (!key) continue;
    const value = m[2] ?? argv[i + 1];
    if (m[2] === undefined) i++;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The same settings from ETCD_* variables (ETCD_DATA_DIR and so on). */
export function envOf(env: Record<string, string>): Settings {
  const out: Settings = {};
  for (const k of KEYS) {
    const v = env[`ETCD_${k.toUpperCase().replaceAll('-', '_')}`];
    if (v !== undefined && v !== '') out[k] = v;
  }
  return out;
}

/** The settings of etcd's YAML config file (flat "key: value" lines are all these keys use). */
export function configFileOf(text: string): Settings {
  const out: Settings = {};
  for (const line of text.split('\n')) {
    const m = /^([a-z-]+):\s*(.*?)\s*$/.exec(line);
    const key = m && KEYS.find((k) => k === m[1]);
    if (!m || !key) continue;
    const v = m[2]!.replace(/^(['"])(.*)\1$/, '$2');
    if (v !== '' && v !== 'null' && v !== '~') out[key] = v;
  }
  return out;
}

/** Where /metrics is served: the metrics URLs, else the client URLs; a wildcard address read on loopback. */
export function metricsUrlOf(s: Settings): string | null {
  const list = (s['listen-metrics-urls'] ?? s['listen-client-urls'] ?? 'http://localhost:2379').split(',');
  const first = list.map((u) => u.trim()).find((u) => /^https?:\/\//.test(u));
  if (!first) return null;
  return first.replace(/\/\/(0\.0\.0\.0|\[::\])(?=:|$)/, '//127.0.0.1').replace(/\/$/, '');
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

function nulList(text: string | null): string[] {
  return text === null ? [] : text.split('\0').filter((s) => s !== '');
}

/** One process, or null when it is not an etcd server (or went away while we read it). */
export function readEtcdProcess(pid: number, proc = '/proc'): EtcdProcess | null {
  const base = join(proc, String(pid));
  if (read(join(base, 'comm'))?.trim() !== 'etcd') return null;
  const argv = nulList(read(join(base, 'cmdline')));
  if (argv.length === 0) return null;
  const unreadable: string[] = [];
  const environ = read(join(base, 'environ'));
  if (environ === null) unreadable.push(`its environment (${base}/environ)`);
  const env = Object.fromEntries(
    nulList(environ).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  let cwd: string | null = null;
  try {
    cwd = readlinkSync(join(base, 'cwd'));
  } catch {
    // unreadable: a relative path cannot be placed
  }
  const root = join(base, 'root');
  const flags = flagsOf(argv);
  const fromEnv = envOf(env);
  const configPath = flags['config-file'] ?? fromEnv['config-file'];
  const abs = (p: string): string | null => (isAbsolute(p) ? p : cwd === null ? null : resolve(cwd, p));
  // etcd reads only the config file when one is given; otherwise flags, then the environment.
  const configAbs = configPath ? abs(configPath) : null;
  const fileText = configAbs ? read(join(root, configAbs)) : null;
  if (configPath && fileText === null) unreadable.push(`its config file ${configPath}`);
  const s: Settings = configPath && fileText !== null ? configFileOf(fileText) : { ...fromEnv, ...flags };
  const known = (configPath ? fileText !== null : true) && (s['data-dir'] !== undefined || environ !== null);
  const from =
    configPath && fileText !== null
      ? 'config file'
      : flags['data-dir']
        ? '--data-dir'
        : fromEnv['data-dir']
          ? 'ETCD_DATA_DIR'
          : known
            ? `default (${s.name ?? 'default'}.etcd)`
            : 'unknown';
  const named = known ? (s['data-dir'] ?? `${s.name ?? 'default'}.etcd`) : null;
  const dataDir = named === null ? null : abs(named);
  if (named !== null && dataDir === null)
    unreadable.push(`its working directory (${base}/cwd), and its data dir ${named} is relative`);
  const wal = s['wal-dir'] ? abs(s['wal-dir']) : null;
  if (s['wal-dir'] && wal === null)
    unreadable.push(`its working directory, and its WAL dir ${s['wal-dir']} is relative`);
  return {
    pid,
    dataDir,
    walDir: wal,
    from,
    metricsUrl: metricsUrlOf(s),
    root,
    ourRun: env[OUR_ETCD_ENV] ?? null,
    mountinfo: read(join(base, 'mountinfo')),
    unreadable,
  };
}

/** Every etcd server process on the host (those we may read). */
export function etcdProcesses(proc = '/proc'): EtcdProcess[] {
  let pids: number[] = [];
  try {
    pids = readdirSync(proc)
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
  return pids.flatMap((pid) => (pid === process.pid ? [] : (readEtcdProcess(pid, proc) ?? [])));
}

/** What this process can see of the host's processes. */
export interface ProcessView {
  /**
   * own: not the machine's initial PID namespace, as in a container without --pid=host (or a pod without hostPID): an
   * etcd outside it is invisible.
   */
  pidNamespace: 'host' | 'own';
  processesSeen: number;
}

/** The kernel's fixed inode number of the initial PID namespace (PROC_PID_INIT_INO, include/linux/proc_ns.h). */
const INIT_PID_NS = 'pid:[4026531836]';

/**
 * Whether this process sees the host's process table: its PID namespace (/proc/self/ns/pid) is the initial one, and
 * /proc/self/status lists one id in NSpid (a /proc of an outer namespace lists more).
 */
export function processView(proc = '/proc'): ProcessView {
  let ns: string | null = null;
  try {
    ns = readlinkSync(join(proc, 'self', 'ns', 'pid'));
  } catch {
    // not readable: NSpid alone decides
  }
  const status = read(join(proc, 'self', 'status')) ?? '';
  const nspid = /^NSpid:\s*(.*)$/m.exec(status)?.[1]?.trim().split(/\s+/) ?? [];
  let processesSeen = 0;
  try {
    processesSeen = readdirSync(proc).filter((n) => /^\d+$/.test(n)).length;
  } catch {
    // none seen
  }
  return { pidNamespace: nspid.length > 1 || (ns !== null && ns !== INIT_PID_NS) ? 'own' : 'host', processesSeen };
}

// The etcd servers running on this host, as /proc shows them: each process's
// data and WAL directories and where it serves /metrics, read the way etcd
// reads its configuration (command line, then ETCD_* variables, then the
// config file; the data dir defaults to NAME.etcd in its working directory).
// Paths are the process's own: a container's etcd is reached through
// /proc/PID/root.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** The variable our throwaway local etcd members carry, naming the run that started them. */
export const OUR_ETCD_ENV = 'ETCD_DISK_BENCH_RUN';

export interface EtcdProcess {
  pid: number;
  /** The data directory as the process names it (absolute, in its mount namespace). */
  dataDir: string;
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
  const env = Object.fromEntries(
    nulList(read(join(base, 'environ'))).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
  );
  let cwd = '/';
  try {
    cwd = readlinkSync(join(base, 'cwd'));
  } catch {
    // unreadable: relative paths are read from /
  }
  const root = join(base, 'root');
  const flags = flagsOf(argv);
  const fromEnv = envOf(env);
  const configPath = flags['config-file'] ?? fromEnv['config-file'];
  // etcd reads only the config file when one is given; otherwise flags, then the environment.
  const fileText = configPath ? read(join(root, resolve(cwd, configPath))) : null;
  const s: Settings = configPath && fileText !== null ? configFileOf(fileText) : { ...fromEnv, ...flags };
  const from =
    configPath && fileText !== null
      ? 'config file'
      : flags['data-dir']
        ? '--data-dir'
        : fromEnv['data-dir']
          ? 'ETCD_DATA_DIR'
          : `default (${s.name ?? 'default'}.etcd)`;
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(cwd, p));
  return {
    pid,
    dataDir: abs(s['data-dir'] ?? `${s.name ?? 'default'}.etcd`),
    walDir: s['wal-dir'] ? abs(s['wal-dir']) : null,
    from,
    metricsUrl: metricsUrlOf(s),
    root,
    ourRun: env[OUR_ETCD_ENV] ?? null,
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

// A throwaway local etcd: one or three members on free loopback ports, data
// inside our run directory on the disk under test, metrics on the client URL.
// Each process is registered for cleanup the moment it is spawned, and is
// started under `setpriv --pdeathsig KILL` where available, so even a killed
// tool leaves no orphan etcd.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { CleanupRegistry } from '../run/cleanup.js';
import { OUR_ETCD_ENV } from '../host/etcd-processes.js';
import { EnvironmentError } from '../core/errors.js';
import { etcdVersion } from './find-etcd.js';
import { fetchText, type TlsMaterial } from './fetch-text.js';
import { kubeadmFlags } from './kubeadm-flags.js';
import { reservePorts } from './free-port.js';

export interface LocalMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  logFile: string;
  process: ChildProcess;
}

export interface LocalCluster {
  version: string;
  /** kubeadm's settings for that version (kubeadm-flags.ts), given to every member. */
  flags: string[];
  members: LocalMember[];
  endpoints: string[];
  /** Stops every member (SIGTERM, then SIGKILL after 5 s) and waits for it. */
  stop(): Promise<void>;
}

export interface LocalEtcdOptions {
  bin: string;
  /** A directory of ours (inside the run directory) for data and logs. */
  root: string;
  members: number;
  cleanup: CleanupRegistry;
  token: string;
  healthTimeoutMs?: number;
  /** More etcd flags. */
  extraArgs?: string[];
  /**
   * Per member (by index): where its data directory goes (default root) and more flags (the lab puts one member on a
   * slowed disk).
   */
  perMember?: { dataParent?: string; args?: string[] }[];
  /**
   * The peer URLs the members advertise, from the ones they listen on (the network lab puts a delaying proxy in
   * front of each); default: the same.
   */
  peerAdvertise?: (listenPeerUrls: string[]) => Promise<string[]>;
  /** Told the members' process ids as soon as they are spawned (before they are healthy). */
  onSpawned?: (pids: number[]) => void;
  /** Serve clients over TLS with these PEM files (and require client certificates when clientCertAuth). */
  tls?: {
    certFile: string;
    keyFile: string;
    caFile: string;
    clientCertAuth: boolean;
    clientCertFile?: string;
    clientKeyFile?: string;
  };
}

const SETPRIV = '/usr/bin/setpriv';

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stopProcess(p: ChildProcess, graceMs = 5000): Promise<void> {
  if (exited(p)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    p.kill('SIGTERM');
  });
}

function memberArgs(
  m: { name: string; clientUrl: string; peerUrl: string; advertisePeerUrl: string; dataDir: string },
  cluster: string,
  token: string,
  kubeadm: string[],
): string[] {
  return [
    ...kubeadm,
    '--name',
    m.name,
    '--data-dir',
    m.dataDir,
    '--listen-client-urls',
    m.clientUrl,
    '--advertise-client-urls',
    m.clientUrl,
    '--listen-peer-urls',
    m.peerUrl,
    '--initial-advertise-peer-urls',
    m.advertisePeerUrl,
    '--initial-cluster',
    cluster,
    '--initial-cluster-state',
    'new',
    '--initial-cluster-token',
    token,
    '--logger',
    'zap',
    '--log-outputs',
    'stderr',
  ];
}

/**
 * Members that run but never report healthy (no leader): on a slow disk this is
 * a finding about the disk, not a broken environment. It carries the elections
 * etcd's logs show, so a grade can say how badly Raft churned.
 */
export class EtcdUnhealthyError extends EnvironmentError {
  constructor(
    message: string,
    readonly elections: number,
    readonly highestTerm: number,
  ) {
    super(message, 'UNHEALTHY');
  }
}

/** Elections started ("became candidate") in the members' logs, and the highest term reached. */
export function electionsInLogs(logFiles: string[], from: number[] = []): { elections: number; highestTerm: number } {
  let elections = 0;
  let highestTerm = 0;
  for (const [i, f] of logFiles.entries()) {
    const text = readLogFrom(f, from[i] ?? 0);
    for (const m of text.matchAll(/became (?:pre-)?candidate at term (\d+)/g)) {
      elections++;
      highestTerm = Math.max(highestTerm, Number(m[1]));
    }
  }
  return { elections, highestTerm };
}

/** A log's size now: where a later readLogFrom starts (0 when there is none yet). */
export function logSize(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/** A log's text from a byte offset on ('' when there is none). */
export function readLogFrom(file: string, offset = 0): string {
  return existsSync(file) ? readFileSync(file).subarray(offset).toString('utf8') : '';
}

async function waitHealthy(m: LocalMember, deadline: number, tls: TlsMaterial): Promise<void> {
  while (Date.now() < deadline) {
    if (exited(m.process)) break;
    try {
      const body = JSON.parse(await fetchText(`${m.clientUrl}/health`, tls, 1000)) as { health?: string };
      if (body.health === 'true') return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = existsSync(m.logFile) ? readFileSync(m.logFile, 'utf8').trim().split('\n').slice(-5).join('\n') : '';
  throw new EnvironmentError(
    `local etcd member ${m.name} did not become ` +
      `healthy${exited(m.process) ? ` (it exited with ${m.process.exitCode ?? m.process.signalCode})` : ''}; last ` +
      `log lines:\n${log}`,
  );
}

/** Starts the members and waits until each reports healthy. */
export async function startLocalEtcd(o: LocalEtcdOptions): Promise<LocalCluster> {
  const version = etcdVersion(o.bin);
  const kubeadm = kubeadmFlags(version);
  const reserved = await reservePorts(o.members * 2);
  const ports = reserved.ports;
  const scheme = o.tls ? 'https' : 'http';
  const tlsArgs = o.tls
    ? [
        '--cert-file',
        o.tls.certFile,
        '--key-file',
        o.tls.keyFile,
        '--trusted-ca-file',
        o.tls.caFile,
        ...(o.tls.clientCertAuth ? ['--client-cert-auth'] : []),
      ]
    : [];
  const tlsMaterial: TlsMaterial = o.tls
    ? {
        ca: readFileSync(o.tls.caFile),
        ...(o.tls.clientCertFile
          ? { cert: readFileSync(o.tls.clientCertFile), key: readFileSync(o.tls.clientKeyFile!) }
          : {}),
      }
    : {};
  const specs = Array.from({ length: o.members }, (_, i) => ({
    name: `m${i}`,
    clientUrl: `${scheme}://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: join(o.perMember?.[i]?.dataParent ?? o.root, `m${i}.etcd`),
    logFile: join(o.root, `m${i}.log`),
  }));
  let advertised: string[];
  try {
    advertised = o.peerAdvertise ? await o.peerAdvertise(specs.map((s) => s.peerUrl)) : specs.map((s) => s.peerUrl);
  } finally {
    // Held until now, so the proxies (bound just above) cannot have been given a member's port.
    await reserved.release();
  }
  const cluster = specs.map((s, i) => `${s.name}=${advertised[i]}`).join(',');
  mkdirSync(o.root, { recursive: true });
  const members: LocalMember[] = [];
  const stop = () => Promise.all(members.map((m) => stopProcess(m.process))).then(() => undefined);
  for (const [i, s] of specs.entries()) {
    const args = [
      ...memberArgs({ ...s, advertisePeerUrl: advertised[i]! }, cluster, o.token, kubeadm),
      ...tlsArgs,
      ...(o.extraArgs ?? []),
      ...(o.perMember?.[i]?.args ?? []),
    ];
    const withPdeathsig = existsSync(SETPRIV);
    // Marked as ours, so a run beside it knows it for a throwaway member and not someone's etcd.
    const spawnOptions: SpawnOptions = {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, [OUR_ETCD_ENV]: o.token },
    };
    const child = withPdeathsig
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', o.bin, ...args], spawnOptions)
      : spawn(o.bin, args, spawnOptions);
    o.cleanup.add(`stop local etcd ${s.name}`, () => stopProcess(child));
    // A log we cannot write (its disk is full) must not crash the run: the member's exit is what gets reported.
    child.stderr!.pipe(createWriteStream(s.logFile).on('error', () => undefined));
    child.on('error', () => undefined); // reported by waitHealthy via the exit code
    members.push({ ...s, process: child });
  }
  o.onSpawned?.(members.map((m) => m.process.pid ?? 0));
  const deadline = Date.now() + (o.healthTimeoutMs ?? 20_000);
  try {
    await Promise.all(members.map((m) => waitHealthy(m, deadline, tlsMaterial)));
  } catch (e) {
    const running = members.every((m) => !exited(m.process));
    const { elections, highestTerm } = electionsInLogs(members.map((m) => m.logFile));
    await stop();
    if (running && e instanceof EnvironmentError)
      throw new EtcdUnhealthyError(
        `the local etcd (${o.members} member${o.members > 1 ? 's' : ''}) ran but had no stable leader within ` +
          `${(o.healthTimeoutMs ?? 20_000) / 1000} s: its logs show ${elections} elections, up to term ${highestTerm}`,
        elections,
        highestTerm,
      );
    throw e;
  }
  return { version, flags: kubeadm, members, endpoints: members.map((m) => m.clientUrl), stop };
}

// A real kube-apiserver against a local etcd, for bench:apiserver and
// test:apiserver: built by scripts/kube-apiserver.sh (from Kubernetes' own
// module), started with a throwaway PKI (openssl, self-signed CA), a token
// file, AlwaysAllow authorization and the admission plugins that need no
// controllers (ServiceAccount off: no token controller makes the accounts).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { freePort } from '../../src/etcd/free-port.js';
import { stopProcess } from '../../src/etcd/local-etcd.js';
import type { CleanupRegistry } from '../../src/run/cleanup.js';
import { makePki } from './certs.js';

export interface KubeApiserver {
  /** https://127.0.0.1:PORT */
  url: string;
  token: string;
  /** The CA that signed its serving certificate (PEM text). */
  ca: string;
  /** A kubeconfig for kubectl with the token. */
  kubeconfig: string;
  /** kubectl of the same release, beside the server. */
  kubectl: string;
  process: ChildProcess;
  logFile: string;
}

/** The built kube-apiserver's path, or null (with why) when it is not built and `build` is false. */
export function kubeApiserverBinary(build: boolean): { bin: string | null; why: string } {
  try {
    const out = execFileSync(
      'bash',
      [join(PACKAGE_ROOT, 'scripts', 'kube-apiserver.sh'), ...(build ? [] : ['--list'])],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    return { bin: out.trim().split('\n').pop()!, why: '' };
  } catch (e) {
    return { bin: null, why: String((e as { stderr?: string }).stderr ?? e).trim() };
  }
}

export interface Answer {
  status: number;
  /** The body parsed as JSON, or its text when it is not JSON. */
  body: unknown;
  text: string;
}

export type ApiClient = ReturnType<typeof apiClient>;

/** A client of the API server: requests with the token (JSON bodies) over a keep-alive agent of `sockets`. */
export function apiClient(k: Pick<KubeApiserver, 'url' | 'token' | 'ca'>, sockets = 16, timeoutMs = 30_000) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets, ca: k.ca });
  const call = (method: string, path: string, body?: unknown): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${k.url}${path}`,
        {
          method,
          agent,
          headers: {
            authorization: `Bearer ${k.token}`,
            accept: 'application/json',
            ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {}
            resolve({ status: res.statusCode ?? 0, body: parsed, text });
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer in ${timeoutMs} ms`)));
      req.end(data);
    });
  return { call, close: () => agent.destroy() };
}

/** GET `path` with the token, on a connection of its own; the status and body text. */
export async function kubeGet(k: Pick<KubeApiserver, 'url' | 'token' | 'ca'>, path: string): Promise<[number, string]> {
  const api = apiClient(k, 1, 5000);
  try {
    const a = await api.call('GET', path);
    return [a.status, a.text];
  } finally {
    api.close();
  }
}

/**
 * Starts kube-apiserver on a free port of 127.0.0.1 against `etcd` (a client URL), its files under `root`; stopped
 * by `cleanup`. Resolves when /readyz answers ok (the bootstrap objects written, every watch cache synced).
 */
export async function startKubeApiserver(o: {
  bin: string;
  etcd: string;
  root: string;
  cleanup: CleanupRegistry;
  extraArgs?: string[];
  readyTimeoutMs?: number;
}): Promise<KubeApiserver> {
  const pki = makePki(o.root);
  const saKey = join(o.root, 'sa-key.pem');
  execFileSync('openssl', ['genrsa', '-out', saKey, '2048'], { stdio: 'pipe' });
  const token = `edb-${Math.random().toString(36).slice(2)}`;
  const tokens = join(o.root, 'tokens.csv');
  writeFileSync(tokens, `${token},edb-admin,edb-admin,system:masters\n`);
  const port = await freePort();
  const logFile = join(o.root, 'kube-apiserver.log');
  const args = [
    `--etcd-servers=${o.etcd}`,
    '--bind-address=127.0.0.1',
    // Not loopback (the endpoint reconciler refuses it) and never routed: TEST-NET-1. Its master lease is written as
    // a real server's is.
    '--advertise-address=192.0.2.1',
    `--secure-port=${port}`,
    `--tls-cert-file=${pki.serverCert}`,
    `--tls-private-key-file=${pki.serverKey}`,
    `--client-ca-file=${pki.ca}`,
    `--token-auth-file=${tokens}`,
    '--authorization-mode=AlwaysAllow',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${saKey}`,
    `--service-account-signing-key-file=${saKey}`,
    '--service-cluster-ip-range=10.96.0.0/24',
    '--disable-admission-plugins=ServiceAccount',
    `--cert-dir=${o.root}`,
    '--profiling=false',
    ...(o.extraArgs ?? []),
  ];
  const out = openSync(logFile, 'a');
  const p = spawn(o.bin, args, { stdio: ['ignore', out, out] });
  o.cleanup.add(`stop kube-apiserver ${p.pid}`, () => stopProcess(p));
  const url = `https://127.0.0.1:${port}`;
  const ca = readFileSync(pki.ca, 'utf8');
  const kubeconfig = join(o.root, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigText(url, pki.ca, token));
  const deadline = Date.now() + (o.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (p.exitCode !== null || p.signalCode !== null)
      throw new Error(`kube-apiserver exited (${p.exitCode ?? p.signalCode}); its log: ${tail(logFile)}`);
    const [status, body] = await kubeGet({ url, token, ca }, '/readyz').catch(() => [0, ''] as [number, string]);
    if (status === 200 && body.trim() === 'ok') break;
    if (Date.now() > deadline)
      throw new Error(`kube-apiserver not ready in time (/readyz ${status}): ${tail(logFile)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
  return { url, token, ca, kubeconfig, kubectl: join(o.bin, '..', 'kubectl'), process: p, logFile };
}

function kubeconfigText(url: string, caFile: string, token: string): string {
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: edb\n  cluster:\n    server: ${url}\n    certificate-authority: ${caFile}`,
    'users:',
    `- name: edb\n  user:\n    token: ${token}`,
    'contexts:',
    '- name: edb\n  context:\n    cluster: edb\n    user: edb',
    'current-context: edb',
    '',
  ].join('\n');
}

const tail = (file: string) => readFileSync(file, 'utf8').split('\n').slice(-15).join('\n');

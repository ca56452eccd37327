// An etcd started as someone else's would be (not by our launcher, so it
// carries no run id of ours): a stand-in for a node's production etcd, for
// the live-etcd guard's tests. It writes nothing of ours and is killed when
// stopped or when the test file ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { after } from 'node:test';
import { freePorts } from '../../src/etcd/free-port.js';
import { waitFor } from './cli.js';

export interface ForeignEtcd {
  pid: number;
  /** Its client URL, which also serves /metrics. */
  url: string;
  stop: () => void;
}

/** Starts etcd with its data in `dataDir` and waits until it is healthy. */
export async function startForeignEtcd(dataDir: string): Promise<ForeignEtcd> {
  const [client, peer] = await freePorts(2);
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  const etcd: ChildProcess = spawn(
    'etcd',
    [
      '--name',
      'prod',
      `--data-dir=${dataDir}`,
      '--listen-client-urls',
      url,
      '--advertise-client-urls',
      url,
      '--listen-peer-urls',
      peerUrl,
      '--initial-advertise-peer-urls',
      peerUrl,
      '--initial-cluster',
      `prod=${peerUrl}`,
    ],
    { stdio: 'ignore' },
  );
  const stop = () => {
    etcd.kill('SIGKILL');
  };
  after(stop);
  let healthy = false;
  const poll = setInterval(() => {
    fetch(`${url}/health`)
      .then((r) => r.json() as Promise<{ health: string }>)
      .then((b) => {
        healthy = b.health === 'true';
      })
      .catch(() => undefined);
  }, 100);
  try {
    await waitFor(() => healthy, 20_000);
  } finally {
    clearInterval(poll);
  }
  return { pid: etcd.pid!, url, stop };
}

// A real etcd for tests, on free loopback ports with a temporary data dir,
// stopped when the test file ends. Uses the project's own launcher.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after } from 'node:test';
import { Etcd3 } from 'etcd3';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { startLocalEtcd, type LocalCluster, type LocalEtcdOptions } from '../../src/etcd/local-etcd.js';
import { tempDir } from './tmp.js';

/** Starts an etcd for the whole test file. */
export async function testEtcd(
  members = 1,
  extra: Partial<LocalEtcdOptions> = {},
): Promise<{ cluster: LocalCluster; client: Etcd3 }> {
  const cleanup = new CleanupRegistry();
  const cluster = await startLocalEtcd({
    bin: 'etcd',
    root: tempDir('edb-etcd-'),
    members,
    cleanup,
    token: `test-${process.pid}`,
    ...extra,
  });
  const t = extra.tls;
  const client = new Etcd3({
    hosts: cluster.endpoints,
    ...(t
      ? {
          credentials: {
            rootCertificate: readFileSync(t.caFile),
            ...(t.clientCertFile
              ? { certChain: readFileSync(t.clientCertFile), privateKey: readFileSync(t.clientKeyFile!) }
              : {}),
          },
        }
      : {}),
  });
  after(async () => {
    client.close();
    await cleanup.drain();
  });
  return { cluster, client };
}

/** etcd processes whose command line mentions `fragment` (to assert none was left behind). */
export function etcdProcessesWith(fragment: string): string[] {
  try {
    // The program itself is etcd (a path ending in /etcd, or etcd): not tmux or a shell whose command line mentions the
    // directory.
    return execFileSync('pgrep', ['-af', 'etcd'], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => l.includes(fragment) && /^\d+ (\S*\/)?etcd /.test(l));
  } catch {
    return [];
  }
}

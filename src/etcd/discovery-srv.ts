// DNS SRV discovery of a cluster's client endpoints, as etcdctl's
// --discovery-srv does: _etcd-client-ssl._tcp.DOMAIN gives https:// URLs and
// _etcd-client._tcp.DOMAIN http:// ones (with --discovery-srv-name NAME the
// services are _etcd-client-ssl-NAME and _etcd-client-NAME). The system's
// resolver is used, or the server named by ETCD_DISK_BENCH_DNS_SERVER
// (host:port), e.g. for split-horizon DNS.
import { Resolver } from 'node:dns/promises';
import { EnvironmentError, UsageError } from '../core/errors.js';

export const DNS_SERVER_ENV = 'ETCD_DISK_BENCH_DNS_SERVER';

/** The SRV names etcdctl looks up, and the scheme each gives. */
export function srvNames(domain: string, name: string): { record: string; scheme: 'https' | 'http' }[] {
  const suffix = name === '' ? '' : `-${name}`;
  return [
    { record: `_etcd-client-ssl${suffix}._tcp.${domain}`, scheme: 'https' },
    { record: `_etcd-client${suffix}._tcp.${domain}`, scheme: 'http' },
  ];
}

/** The endpoints the domain's SRV records name; an environment error when there are none. */
export async function discoverEndpoints(domain: string, name: string, env = process.env): Promise<string[]> {
  const resolver = new Resolver({ timeout: 3000, tries: 2 });
  const server = env[DNS_SERVER_ENV];
  if (server) {
    try {
      resolver.setServers([server]);
    } catch (e) {
      throw new UsageError(
        `${DNS_SERVER_ENV}: ${JSON.stringify(server)} is not a DNS server address (${(e as Error).message})`,
      );
    }
  }
  const found: string[] = [];
  const failures: string[] = [];
  for (const { record, scheme } of srvNames(domain.replace(/\.$/, ''), name)) {
    try {
      const records = await resolver.resolveSrv(record);
      records.sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      for (const r of records) found.push(`${scheme}://${r.name.replace(/\.$/, '')}:${r.port}`);
    } catch (e) {
      failures.push(`${record}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  if (found.length === 0)
    throw new EnvironmentError(
      `--discovery-srv ${domain}: no SRV record names an etcd client endpoint (${failures.join('; ')})`,
      'UNREACHABLE',
    );
  return [...new Set(found)];
}

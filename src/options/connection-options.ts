// How load and observe reach a cluster: etcdctl's connection flags (with its
// spellings and ETCDCTL_* variables) and where the members' metrics are. One
// of the option table's groups (src/options/table.ts assembles them).
import { isDomain } from './domain.js';
import { isEndpointList } from './endpoints.js';
import { boolOption, durationOption, pathOption, sizeOption, textOption } from './spec.js';

const URL_LIST = /^(https?:\/\/[^\s,]+)(,https?:\/\/[^\s,]+)*$/;

export const CONNECTION_OPTIONS = {
  endpoints: textOption({
    flag: '--endpoints',
    env: 'ETCDCTL_ENDPOINTS',
    group: 'run',
    default: '',
    allowed:
      'comma-separated URLs or host:port as etcdctl takes them, e.g. https://10.0.0.1:2379,10.0.0.2:2379 (host:port: ' +
      'https with --cacert/--cert/--key, else http)',
    check: isEndpointList,
    help: 'the cluster to load (etcdctl --endpoints); none: start a throwaway local etcd on --dir',
  }),
  discoverySrv: textOption({
    when: 'endpoints',
    flag: '--discovery-srv',
    env: 'ETCDCTL_DISCOVERY_SRV',
    group: 'run',
    default: '',
    allowed: 'a DNS domain name, e.g. example.com',
    check: isDomain,
    help:
      "find the cluster's client endpoints in DNS SRV records (etcdctl --discovery-srv): " +
      '_etcd-client-ssl._tcp.DOMAIN (https) and _etcd-client._tcp.DOMAIN (http)',
  }),
  discoverySrvName: textOption({
    when: 'endpoints',
    flag: '--discovery-srv-name',
    env: 'ETCDCTL_DISCOVERY_SRV_NAME',
    group: 'run',
    default: '',
    allowed: 'a service name suffix of letters, digits and dashes',
    check: (s) => /^[A-Za-z0-9-]{1,63}$/.test(s),
    help: 'with --discovery-srv: the services _etcd-client-ssl-NAME and _etcd-client-NAME instead',
  }),
  metricsUrls: textOption({
    when: 'endpoints',
    flag: '--metrics-urls',
    group: 'run',
    default: '',
    allowed: 'comma-separated http:// or https:// URLs (one per member, without /metrics)',
    check: (s) => URL_LIST.test(s),
    help: "where to read each member's /metrics (etcd --listen-metrics-urls); default: the endpoints",
  }),
  metricsMaxSize: sizeOption({
    flag: '--metrics-max-size',
    group: 'run',
    default: 64 * 1024 * 1024,
    min: 1024 * 1024,
    max: 4 * 1024 * 1024 * 1024,
    help:
      "the most one member's /metrics answer may be (a large etcd's is a few MB); a larger one is cut off and " +
      'ends the run (exit 3), naming the endpoint: a broken proxy or an endpoint that is not what it seems',
  }),
  insecureSkipTlsVerify: boolOption({
    when: 'endpoints',
    flag: '--insecure-skip-tls-verify',
    env: 'ETCDCTL_INSECURE_SKIP_TLS_VERIFY',
    group: 'run',
    default: false,
    help:
      "accept any server certificate (etcdctl's flag: no CA check, no host name check); the connection is " +
      'still encrypted',
  }),
  cacert: pathOption({
    when: 'endpoints',
    flag: '--cacert',
    env: 'ETCDCTL_CACERT',
    group: 'run',
    default: '',
    help: "CA bundle that signed the servers' certificates",
  }),
  cert: pathOption({
    when: 'endpoints',
    flag: '--cert',
    env: 'ETCDCTL_CERT',
    group: 'run',
    default: '',
    help: 'client certificate (TLS client authentication)',
  }),
  key: pathOption({
    when: 'endpoints',
    flag: '--key',
    env: 'ETCDCTL_KEY',
    group: 'run',
    default: '',
    help: 'client private key',
  }),
  user: textOption({
    when: 'endpoints',
    flag: '--user',
    env: 'ETCDCTL_USER',
    group: 'run',
    default: '',
    allowed: 'USER:PASSWORD, or USER to be asked for the password',
    check: (s) => s !== '' && !s.startsWith(':'),
    help: 'etcd user for password authentication',
  }),
  dialTimeout: durationOption({
    flag: '--dial-timeout',
    env: 'ETCDCTL_DIAL_TIMEOUT',
    group: 'run',
    default: 2e9,
    min: 100e6,
    max: 600e9,
    help: 'give up connecting after this long (etcdctl default 2 s)',
  }),
  requestTimeout: durationOption({
    flag: '--request-timeout',
    aliases: ['--command-timeout'],
    env: 'ETCDCTL_COMMAND_TIMEOUT',
    group: 'run',
    default: 5e9,
    min: 1e6,
    max: 600e9,
    help: 'deadline of each request; a request past it counts as an error (etcdctl --command-timeout, 5 s)',
  }),
} as const;

/** How `load` and `observe` reach a cluster: etcdctl's connection flags, plus where the metrics are. */
export const CONNECTION_KEYS = [
  'endpoints',
  'discoverySrv',
  'discoverySrvName',
  'metricsUrls',
  'metricsMaxSize',
  'insecureSkipTlsVerify',
  'cacert',
  'cert',
  'key',
  'user',
  'dialTimeout',
  'requestTimeout',
] as const;

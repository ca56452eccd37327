// Where results go and what they are called: the report file, the HTML page,
// the Prometheus text and the node's name. One of the option table's groups
// (src/options/table.ts assembles them).
import { boolOption, pathOption, textOption } from './spec.js';

export const REPORT_OPTIONS = {
  out: pathOption({
    flag: '--out',
    group: 'run',
    default: '',
    help: 'write the report to this file (default results/HOST-UTCTIME-PROFILE.json in the package directory)',
  }),
  html: boolOption({
    flag: '--html',
    group: 'run',
    default: false,
    help: 'also write the report as a self-contained HTML page beside it (the same name, .html)',
  }),
  promOut: pathOption({
    flag: '--prom-out',
    group: 'run',
    default: '',
    help:
      "also write the key figures for node_exporter's textfile collector to this .prom file (replaced whole " +
      'on each run)',
  }),
  nodeName: textOption({
    flag: '--node-name',
    env: 'ETCD_DISK_BENCH_NODE_NAME',
    group: 'run',
    default: '',
    allowed: 'a node name (letters, digits, dots, dashes, underscores)',
    check: (s) => /^[A-Za-z0-9._-]{1,253}$/.test(s),
    help:
      'the node this report is for, e.g. the Kubernetes node a Job ran on (default: the host name); ' +
      '`report merge` lists nodes by it',
  }),
} as const;

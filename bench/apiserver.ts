// npm run bench:apiserver — the kube profile's mix at one rate, twice, each on
// a fresh etcd: once carried by a real kube-apiserver (built by
// scripts/kube-apiserver.sh, driven through its REST API), once as our kube
// workload. What etcd did per request, from its own /metrics, side by side;
// the last line is `max deviation N %`.
//   BENCH_RATE (100/s), BENCH_RUNTIME (60s), BENCH_DIR (/var/tmp), BENCH_ETCD (3.6),
//   BENCH_MIX (the kube profile's, with 5 % consistent LISTs); BENCH_RECORD=1 writes the table to
//   docs/figures/apiserver.md for the docs (npm run figures shows it).
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalEtcd } from '../src/etcd/local-etcd.js';
import { loadGrading } from '../src/grade/grade-load.js';
import { runEtcdLoad } from '../src/load/run-load.js';
import { parseMix } from '../src/options/kube-mix.js';
import { LOAD_OPTION_KEYS } from '../src/options/load-options.js';
import { loadProfile } from '../src/options/profiles.js';
import { resolveOptions } from '../src/options/resolve.js';
import { parseDuration } from '../src/options/units.js';
import { CleanupRegistry } from '../src/run/cleanup.js';
import { etcdVersions, type Minor } from '../test/helpers/etcd-versions.js';
import { apiClient, kubeApiserverBinary, startKubeApiserver } from '../test/helpers/kube-apiserver.js';
import { compare, figures, markdown, scrape, type Snapshot, table } from './apiserver-figures.js';
import { recordFigures } from './figures.js';
import { driveMix, prepareCluster } from './apiserver-driver.js';
import { measureOverhead } from './apiserver-sizes.js';

const RATE = Number(process.env.BENCH_RATE ?? 100);
const RUNTIME = process.env.BENCH_RUNTIME ?? '60s';
const base = process.env.BENCH_DIR ?? '/var/tmp';
const minor = (process.env.BENCH_ETCD ?? '3.6') as Minor;
const MIX = process.env.BENCH_MIX ?? 'create:10,update:55,delete:10,event:20,list:5';
/** Objects written before the load on both sides, so that updates and deletes find them (the profile's 1,000). */
const PREFILL = process.env.BENCH_PREFILL ?? '1000';

/** The kube profile's options at this bench's rate and runtime, with `more` (the CLI's spelling) on top. */
function kubeOptions(endpoints: string[], more: Record<string, string> = {}) {
  return resolveOptions(
    LOAD_OPTION_KEYS,
    {
      endpoints: endpoints.join(','),
      rate: String(RATE),
      runtime: RUNTIME,
      kubeMix: MIX,
      kubePrefill: PREFILL,
      ...more,
    },
    loadProfile('kube', LOAD_OPTION_KEYS),
  );
}

/** A fresh single-member etcd of the chosen minor for `f`; removed after. */
async function onEtcd<T>(f: (endpoint: string, cleanup: CleanupRegistry, root: string) => Promise<T>): Promise<T> {
  const etcd = etcdVersions().get(minor);
  if (!etcd) throw new Error(`bench:apiserver: etcd ${minor} is not built (run scripts/etcd-versions.sh)`);
  const root = mkdtempSync(join(base, 'edb-bench-apiserver-'));
  const cleanup = new CleanupRegistry();
  try {
    const c = await startLocalEtcd({ bin: etcd.bin, root, members: 1, cleanup, token: 'bench-apiserver' });
    return await f(c.endpoints[0]!, cleanup, root);
  } finally {
    await cleanup.drain();
    rmSync(root, { recursive: true, force: true });
  }
}

/** One side's figures and how many requests they are per. */
interface Side {
  figures: Map<string, number>;
  requests: number;
}

async function realApiserver(bin: string): Promise<Side> {
  return onEtcd(async (endpoint, cleanup, root) => {
    const k = await startKubeApiserver({ bin, etcd: endpoint, root, cleanup });
    const api = apiClient(k);
    try {
      const o = kubeOptions([endpoint]).values;
      const leases = await prepareCluster(api, { nodes: o.kubeNodes });
      const overhead = await measureOverhead(api, endpoint);
      console.log(`stored bytes of an empty object: ${JSON.stringify(overhead)}`);
      let before: Snapshot | null = null;
      const r = await driveMix(api, leases, {
        rate: RATE,
        runtimeMs: o.runtime / 1e6,
        mix: parseMix(o.kubeMix)!,
        objects: o.kubeObjects,
        nodes: o.kubeNodes,
        valueSize: o.kubeValueSize,
        overhead,
        prefill: o.kubePrefill,
        atStart: async () => {
          before = await scrape(endpoint);
        },
      });
      const after = await scrape(endpoint);
      console.log(
        `real API server: ${r.requests} requests in ${(r.elapsedMs / 1000).toFixed(1)} s, skipped ${r.skipped}; ` +
          `${JSON.stringify(r.byKind)}${r.firstErrors.length ? `; first errors: ${r.firstErrors.join(' | ')}` : ''}`,
      );
      return { figures: figures(before!, after, r.requests), requests: r.requests };
    } finally {
      api.close();
    }
  });
}

async function ourLoad(): Promise<Side> {
  return onEtcd(async (endpoint, cleanup) => {
    let before: Promise<Snapshot> | null = null;
    let after: Promise<Snapshot> | null = null;
    const t0 = process.cpuUsage();
    const r = await runEtcdLoad(kubeOptions([endpoint]), {
      grading: loadGrading,
      cleanup,
      onLoadStart: () => {
        before = scrape(endpoint);
      },
      onLoadEnd: () => {
        after = scrape(endpoint);
      },
    });
    const cpu = process.cpuUsage(t0);
    console.log(
      `our kube load: ${r.totals.sent} requests, ${(r.client.cpuPerRequestNs / 1000).toFixed(0)} us of our CPU ` +
        `each (bench process ${((cpu.user + cpu.system) / r.totals.sent).toFixed(0)} us); ` +
        JSON.stringify(r.totals.byKind),
    );
    return { figures: figures(await before!, await after!, r.totals.sent), requests: r.totals.sent };
  });
}

async function main(): Promise<void> {
  if (parseDuration(RUNTIME) === null) throw new Error(`BENCH_RUNTIME: "${RUNTIME}" is not a duration`);
  const { bin, why } = kubeApiserverBinary(true);
  if (!bin) throw new Error(`bench:apiserver: no kube-apiserver: ${why}`);
  if (parseMix(MIX) === null) throw new Error(`BENCH_MIX: "${MIX}" is not a mix like create:10,update:60,...`);
  console.log(`kube-apiserver ${bin}; etcd ${minor}; ${RATE} requests/s for ${RUNTIME}, mix ${MIX}`);
  const real = await realApiserver(bin);
  const ours = await ourLoad();
  const rows = compare(real.figures, ours.figures);
  console.log(table(rows));
  const n = (x: number) => x.toLocaleString('en-US');
  const ran =
    `On this machine (${new Date().toISOString().slice(0, 10)}; etcd ${etcdVersions().get(minor)?.version}, one ` +
    `member on \`${base}\`; ${RATE} requests/s for ${RUNTIME}, mix \`${MIX}\`, ${n(Number(PREFILL))} objects ` +
    `written first; ${n(real.requests)} requests through the API server, ${n(ours.requests)} ours):`;
  for (const p of recordFigures('apiserver', markdown(rows, ran))) console.log(`written: ${p}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});

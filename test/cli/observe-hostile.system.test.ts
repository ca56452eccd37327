// observe of a real etcd whose --metrics-urls point at an endpoint that never
// stops sending: the read is cut off at --metrics-max-size, the run ends with
// exit 3 naming the endpoint and the limit, the report is written marked
// incomplete, and the process never grows past a few hundred MB.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import { startCli } from '../helpers/cli.js';
import { testEtcd } from '../helpers/etcd.js';
import { needs } from '../helpers/needs.js';
import { tempDir } from '../helpers/tmp.js';

const skip = needs('etcd');
const out = tempDir('edb-observe-hostile-');

function endless(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(256 * 1024, 'etcd_server_has_leader 1\n');
  const more = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', more);
  };
  more();
}

/** The most resident memory the process reached while it ran (VmHWM), polled until it exits. */
function peakRss(pid: number): () => number {
  let peak = 0;
  const t = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      clearInterval(t);
    }
  }, 100);
  return () => {
    clearInterval(t);
    return peak;
  };
}

test('observe against a /metrics that never stops sending: exit 3 naming it and the limit, bounded memory', {
  skip,
}, async (t) => {
  const { cluster } = await testEtcd(1);
  const server = createServer((_req, res) => endless(res));
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const report = join(out, 'observe.json');
  const t0 = performance.now();
  const run = startCli(
    ['observe', '--endpoints', cluster.endpoints[0]!, '--metrics-urls', url, '--runtime', '10s', '--out', report],
    120_000,
  );
  const peak = peakRss(run.child.pid!);
  const r = await run.done;
  const seconds = (performance.now() - t0) / 1000;
  const peakBytes = peak();
  t.diagnostic(`exit ${r.code} after ${seconds.toFixed(1)} s, peak RSS ${(peakBytes / 1e6).toFixed(0)} MB`);
  assert.equal(r.code, 3, r.stderr);
  assert.ok(seconds < 10 + 60, `ended ${seconds} s after it started`);
  assert.ok(r.stderr.includes(`${url}/metrics: the answer went past 67108864 bytes (--metrics-max-size)`), r.stderr);
  assert.ok(peakBytes > 0 && peakBytes < 500e6, `peak RSS ${peakBytes} bytes`);
  const rep = JSON.parse(readFileSync(report, 'utf8')) as ObserveReport;
  assert.equal(rep.complete, false);
  assert.match(rep.incompleteReason ?? '', /went past 67108864 bytes/);
});

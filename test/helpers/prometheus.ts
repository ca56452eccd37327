// A real Prometheus server for tests: scrapes the given etcd members every
// second into a temporary directory, on a free loopback port; stopped when the
// test file ends.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';
import { freePort } from '../../src/etcd/free-port.js';
import { waitFor } from './cli.js';
import { tempDir } from './tmp.js';

/** Starts Prometheus and waits until every target has been scraped twice. */
export async function startPrometheus(targets: string[]): Promise<{ url: string }> {
  const dir = tempDir('edb-prom-');
  const port = await freePort();
  const hosts = targets.map((t) => new URL(t).host);
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      'scrape_configs:',
      '  - job_name: etcd',
      '    static_configs:',
      `      - targets: [${hosts.map((h) => `'${h}'`).join(', ')}]`,
      '',
    ].join('\n'),
  );
  const child = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  after(() => {
    child.kill('SIGKILL');
  });
  const url = `http://127.0.0.1:${port}`;
  let ready = false;
  const poll = setInterval(() => {
    const q = encodeURIComponent('count_over_time(up[1m])');
    fetch(`${url}/api/v1/query?query=${q}`)
      .then((r) => r.json() as Promise<{ data?: { result: { value: [number, string] }[] } }>)
      .then((b) => {
        const counts = b.data?.result.map((x) => Number(x.value[1])) ?? [];
        ready = counts.length === hosts.length && counts.every((n) => n >= 2);
      })
      .catch(() => undefined);
  }, 250);
  try {
    await waitFor(() => ready, 30_000);
  } finally {
    clearInterval(poll);
  }
  return { url };
}

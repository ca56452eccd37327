// Every reader of data from outside, fed what a broken proxy or a hostile
// endpoint sends: an endless body, a trickle, huge labels, NaN and infinities,
// buckets that go backwards, JSON of the wrong shape, HTML errors, huge and
// malformed files. Each gives a clear error or a said omission: none crashes,
// hangs or grows without bound. Local servers on 127.0.0.1 only.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EnvironmentError, UsageError } from '../../src/core/errors.js';
import { fetchBody, fetchText, ReadLimitError } from '../../src/etcd/fetch-text.js';
import { histogram, parseMetrics } from '../../src/etcd/prometheus.js';
import { prometheusFigures } from '../../src/like/prometheus-figures.js';
import { observeReportFigures } from '../../src/like/observe-report-figures.js';
import { snapshotsOf } from '../../src/observe/prometheus-source.js';
import { FileLimitError, readTextBounded } from '../../src/core/read-bounded.js';
import { readReport } from '../../src/report/read-report.js';
import { tempDir } from '../helpers/tmp.js';

const servers: Server[] = [];
after(() =>
  servers.forEach((s) => {
    s.closeAllConnections();
    s.close();
  }),
);

/** A server on 127.0.0.1 answering every request with `handle`; its base URL. */
async function serve(handle: (res: ServerResponse) => void): Promise<string> {
  const s = createServer((_req, res) => handle(res));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
}

const endless = (res: ServerResponse) => {
  res.writeHead(200, { 'content-type': 'text/plain' });
  const chunk = Buffer.alloc(64 * 1024, 'etcd_x{a="b"} 1\n');
  const more = () => {
    while (res.write(chunk)) if (res.destroyed) return;
    if (!res.destroyed) res.once('drain', more);
  };
  more();
};

test('an endless /metrics body is cut off at the size limit, naming the endpoint and the limit', async () => {
  const url = await serve(endless);
  const before = process.memoryUsage().rss;
  const e = await fetchText(`${url}/metrics`, { maxBytes: 4 * 1024 * 1024 }, 30_000).then(
    () => null,
    (x: unknown) => x,
  );
  assert.ok(e instanceof ReadLimitError, String(e));
  assert.ok(e instanceof EnvironmentError, 'an environment failure: exit 3');
  assert.match(e.message, new RegExp(`^${url}/metrics: the answer went past 4194304 bytes \\(--metrics-max-size\\)`));
  assert.ok(process.memoryUsage().rss - before < 200e6, 'memory did not grow past the limit');
});

test('a declared length over the limit is refused before the body; a trickle hits the total deadline', async () => {
  const big = await serve((res) => {
    res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
    res.write('x');
  });
  await assert.rejects(fetchText(big, { maxBytes: 1024 * 1024 }, 5000), ReadLimitError);
  const trickle = await serve((res) => {
    res.writeHead(200);
    const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('# still here\n')), 50);
  });
  const t0 = performance.now();
  await assert.rejects(fetchText(trickle, {}, 600), /no full answer within 600 ms/);
  assert.ok(performance.now() - t0 < 5000, 'a byte every 50 ms does not keep the read alive');
});

test('/metrics text: huge labels, NaN, infinities, negatives; buckets that go backwards are not trusted', () => {
  const huge = 'v'.repeat(1_000_000);
  const text = [
    `etcd_a{l="${huge}"} 1`,
    'etcd_b NaN',
    'etcd_c +Inf',
    'etcd_d -Inf',
    'etcd_e -5',
    'etcd_f{broken 3',
    'garbage line',
    'etcd_disk_wal_fsync_duration_seconds_bucket{le="0.001"} 10',
    'etcd_disk_wal_fsync_duration_seconds_bucket{le="0.002"} 4',
    'etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} 12',
    'etcd_disk_wal_fsync_duration_seconds_count 12',
  ].join('\n');
  const s = parseMetrics(text);
  assert.equal(s.find((x) => x.name === 'etcd_a')!.labels.l!.length, 1_000_000);
  assert.equal(
    s.find((x) => x.name === 'etcd_b'),
    undefined,
    'NaN is no value',
  );
  assert.equal(s.find((x) => x.name === 'etcd_c')!.value, Infinity);
  assert.equal(s.find((x) => x.name === 'etcd_e')!.value, -5);
  assert.equal(histogram(s, 'etcd_disk_wal_fsync_duration_seconds'), null, 'a histogram going backwards');
  const ok = parseMetrics(text.replace('le="0.002"} 4', 'le="0.002"} 11'));
  assert.deepEqual(histogram(ok, 'etcd_disk_wal_fsync_duration_seconds')!.cumulative, [10, 11, 12]);
});

test('Prometheus JSON of the wrong shape is skipped; an HTML 500 and an endless body are clear errors', async () => {
  const m = snapshotsOf([
    null,
    { metric: null, values: [] },
    { metric: { __name__: 'etcd_server_has_leader', instance: 'a' }, values: 'no' },
    { metric: { __name__: 5, instance: 'a' }, values: [[1, '1']] },
    { metric: { __name__: 'etcd_server_has_leader', instance: 'b' }, values: [[1, '1'], 'x', ['t', '2'], [2, 'NaN']] },
  ] as never);
  assert.deepEqual([...m.keys()], ['b'], 'only the series of the right shape');
  assert.equal(m.get('b')!.get(1)![0]!.value, 1);
  assert.equal(m.get('b')!.size, 1);
  assert.equal(snapshotsOf({} as never).size, 0);
  const html = await serve((res) => res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>oops</h1>'));
  await assert.rejects(prometheusFigures(html, 3600e9), (e: Error) => {
    assert.ok(e instanceof UsageError || e instanceof EnvironmentError, e.message);
    assert.match(e.message, /not a Prometheus server|failed the query/);
    return true;
  });
  const wrong = await serve((res) =>
    res.writeHead(200).end(JSON.stringify({ status: 'success', data: { result: 7 } })),
  );
  const figures = await prometheusFigures(wrong, 3600e9).catch((e: Error) => e);
  assert.ok(figures instanceof Error ? /--like/.test(figures.message) : typeof figures === 'object');
  const flood = await serve(endless);
  const r = await fetchBody(flood, { maxBytes: 2 * 1024 * 1024 }, 30_000).catch((e: unknown) => e);
  assert.ok(r instanceof ReadLimitError);
});

test('report files: schema errors, huge files and standard input past the limit are refused, named', () => {
  const dir = tempDir('edb-hostile-');
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ schema: 'etcd-disk-bench/qualify-report@9', checks: 'x' }));
  assert.throws(() => readReport(bad), UsageError);
  const notJson = join(dir, 'not.json');
  writeFileSync(notJson, '<html>');
  assert.throws(() => readReport(notJson), /is not JSON/);
  const huge = join(dir, 'huge.json');
  writeFileSync(huge, Buffer.alloc(3 * 1024 * 1024, 32));
  assert.throws(
    () => readTextBounded(huge, `FILE: ${huge}`, 1024 * 1024),
    (e: Error) => e instanceof FileLimitError && /is over 1048576 bytes/.test(e.message),
  );
  const arrays = join(dir, 'arrays.json');
  writeFileSync(arrays, `{"schema":"etcd-disk-bench/observe-report@1","members":[${'[],'.repeat(100_000)}[]]}`);
  assert.throws(() => observeReportFigures(arrays), UsageError);
});

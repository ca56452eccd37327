// The grpc-js transport is the fallback of the own HTTP/2 client
// (--transport grpc-js): the same load run both ways against one real etcd
// gives the same schedule, every request answered, the same checks, and
// each result names what carried it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadResult } from '../../../src/load/load-result.js';
import { runCli } from '../../helpers/cli.js';
import { testEtcd } from '../../helpers/etcd.js';
import { needs } from '../../helpers/needs.js';

const skip = needs('etcd');

test('load --transport grpc-js runs the load as the own transport does, and says so', { skip }, async () => {
  const { cluster } = await testEtcd();
  const run = async (transport: string) => {
    const r = await runCli(
      [
        'load',
        '--endpoints',
        cluster.endpoints[0]!,
        '--rate',
        '200',
        '--runtime',
        '3s',
        '--transport',
        transport,
        '--json',
        '--no-tui',
      ],
      60_000,
    );
    assert.ok(r.stdout.startsWith('{'), r.stderr);
    return { code: r.code, res: JSON.parse(r.stdout) as LoadResult };
  };
  const own = await run('own');
  const fallback = await run('grpc-js');
  for (const [name, { res }] of [
    ['own', own],
    ['grpc-js', fallback],
  ] as const) {
    assert.equal(res.complete, true, `${name}: ${res.incompleteReason}`);
    assert.equal(res.workload.transport, name);
    assert.ok(
      res.totals.scheduled >= 570 && res.totals.scheduled <= 600,
      `${name}: ${res.totals.scheduled} in 3 s at 200/s`,
    );
    assert.equal(res.totals.answered + res.totals.failed, res.totals.sent);
    assert.equal(res.totals.failed, 0, `${name}: ${JSON.stringify(res.totals.errors)}`);
    assert.ok((res.keys.deleted ?? 0) > 0, `${name}: the keys written are deleted`);
  }
  assert.equal(fallback.res.workload.pacing, 'event-loop', 'grpc-js sends from the event loop');
  assert.deepEqual(
    fallback.res.checks.map((c) => c.id),
    own.res.checks.map((c) => c.id),
    'the same checks judge both',
  );
});

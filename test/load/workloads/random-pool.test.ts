// check perf's random keys from a pool: the same shape (256 hex characters
// after the prefix), all different, across refills of the pool.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RandomPool } from '../../../src/load/workloads/random-pool.js';
import { METHOD } from '../../../src/etcd-grpc/messages/etcd.js';
import { FieldReader } from '../../../src/etcd-grpc/messages/protobuf.js';
import { checkPerfWorkload } from '../../../src/load/workloads/put.js';

test('the pool hands out fresh bytes across refills, never the same slice twice', () => {
  const pool = new RandomPool(1024);
  const seen = new Set<string>();
  for (let i = 0; i < 100; i++) {
    const b = pool.take(128);
    assert.equal(b.length, 128);
    seen.add(b.toString('hex'));
  }
  assert.equal(seen.size, 100, '100 takes over 12 refills, all different');
  assert.equal(pool.take(4096).length, 4096, 'a take larger than the fill');
});

test('hexInto writes the bytes it takes as lowercase hex, across refills', () => {
  const pool = new RandomPool(200);
  const out = Buffer.alloc(2 * 128 * 5);
  let at = 0;
  for (let i = 0; i < 5; i++) at = pool.hexInto(out, at, 128);
  assert.equal(at, out.length);
  const text = out.toString('latin1');
  assert.match(text, /^[0-9a-f]+$/);
  const chunks = new Set(Array.from({ length: 5 }, (_, i) => text.slice(256 * i, 256 * (i + 1))));
  assert.equal(chunks.size, 5, 'five different keys');
});

test("check perf's keys: the prefix, then 256 hex characters, all different; a 1 KiB value", () => {
  const w = checkPerfWorkload('/edb/');
  const keys = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const r = w.next(i);
    assert.equal(r.method, METHOD.put);
    let key = '';
    let value = 0;
    const f = new FieldReader(r.message);
    while (f.next()) {
      if (f.no === 1) key = f.bytes().toString('latin1');
      if (f.no === 2) value = f.end - f.start;
    }
    assert.match(key, /^\/edb\/[0-9a-f]{256}$/);
    assert.equal(value, 1024);
    keys.add(key);
  }
  assert.equal(keys.size, 2000);
});

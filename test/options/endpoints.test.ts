import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endpointUrls, isEndpointList } from '../../src/options/endpoints.js';

test("etcdctl's endpoint forms: URLs, and bare host:port made http, or https when TLS files are given", () => {
  for (const ok of ['127.0.0.1:2379', 'etcd-0.etcd:2379', '[::1]:2379', 'https://10.0.0.1:2379', 'http://a:1,b:2'])
    assert.ok(isEndpointList(ok), ok);
  for (const bad of ['', 'localhost', 'ftp://x:1', '127.0.0.1:', 'a:1,,b:2', 'a b:1', ':2379'])
    assert.ok(!isEndpointList(bad), JSON.stringify(bad));
  assert.deepEqual(endpointUrls('127.0.0.1:2379,https://b:2', false), ['http://127.0.0.1:2379', 'https://b:2']);
  assert.deepEqual(endpointUrls('127.0.0.1:2379', true), ['https://127.0.0.1:2379']);
  assert.deepEqual(endpointUrls('[::1]:2379', false), ['http://[::1]:2379']);
  assert.deepEqual(endpointUrls('', true), []);
});

// Reading an etcd's configuration as etcd does: flags in both spellings, the
// ETCD_* variables, its config file, and where /metrics is served.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFileOf, envOf, flagsOf, metricsUrlOf } from '../../src/host/etcd-processes.js';

test('flags: --flag value, --flag=value and the one-dash forms; other flags ignored', () => {
  assert.deepEqual(
    flagsOf(['etcd', '--name', 'm1', '--data-dir=/var/lib/etcd', '-wal-dir', '/wal', '--snapshot-count', '10000']),
    { name: 'm1', 'data-dir': '/var/lib/etcd', 'wal-dir': '/wal' },
  );
  assert.deepEqual(flagsOf(['etcd']), {});
});

test('ETCD_* variables and the config file give the same settings', () => {
  assert.deepEqual(envOf({ ETCD_DATA_DIR: '/d', ETCD_LISTEN_CLIENT_URLS: 'https://10.0.0.1:2379', PATH: '/bin' }), {
    'data-dir': '/d',
    'listen-client-urls': 'https://10.0.0.1:2379',
  });
  assert.deepEqual(
    configFileOf("name: 'm0'\ndata-dir: /var/lib/etcd\nwal-dir:\nlisten-metrics-urls: http://127.0.0.1:2381\n"),
    { name: 'm0', 'data-dir': '/var/lib/etcd', 'listen-metrics-urls': 'http://127.0.0.1:2381' },
  );
});

test('metrics: --listen-metrics-urls first, else the first client URL; a wildcard address read on loopback', () => {
  assert.equal(
    metricsUrlOf({ 'listen-client-urls': 'https://0.0.0.0:2379', 'listen-metrics-urls': 'http://0.0.0.0:2381' }),
    'http://127.0.0.1:2381',
  );
  assert.equal(metricsUrlOf({ 'listen-client-urls': 'unix://x,http://10.1.2.3:2379/' }), 'http://10.1.2.3:2379');
  assert.equal(metricsUrlOf({}), 'http://localhost:2379', "etcd's default client URL");
});

// Reading an etcd's configuration as etcd does: flags in both spellings, the
// ETCD_* variables, its config file, and where /metrics is served; what an
// unprivileged reader of /proc gets (no environment, working directory or
// root), and whether this process sees the host's process table.
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  configFileOf,
  envOf,
  flagsOf,
  metricsUrlOf,
  processView,
  readEtcdProcess,
} from '../../src/host/etcd-processes.js';
import { tempDir } from '../helpers/tmp.js';

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

/** A fake /proc entry for an etcd: the files given are readable, the rest absent (as unreadable ones are). */
function fakeProc(files: Record<string, string>, cwd?: string): string {
  const proc = tempDir('edb-proc-');
  const base = join(proc, '77');
  mkdirSync(base);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(base, name), text);
  if (cwd) symlinkSync(cwd, join(base, 'cwd'));
  return proc;
}

test('what an unprivileged reader gets: --data-dir from the command line, the rest named as unreadable', () => {
  const proc = fakeProc({
    comm: 'etcd\n',
    cmdline: 'etcd\0--data-dir\0/var/lib/etcd\0',
    mountinfo: '27 1 254:0 / / rw - ext4 /dev/vda rw\n',
  });
  const p = readEtcdProcess(77, proc)!;
  assert.equal(p.dataDir, '/var/lib/etcd');
  assert.equal(p.from, '--data-dir');
  assert.equal(p.ourRun, null);
  assert.match(p.mountinfo!, /254:0/);
  assert.deepEqual(p.unreadable, [`its environment (${join(proc, '77')}/environ)`]);
});

test('a data dir that depends on what cannot be read is null, never a guess', () => {
  const noFlag = readEtcdProcess(77, fakeProc({ comm: 'etcd\n', cmdline: 'etcd\0--name\0m1\0' }))!;
  assert.equal(noFlag.dataDir, null, 'ETCD_DATA_DIR could be set in the unreadable environment');
  assert.equal(noFlag.from, 'unknown');
  assert.equal(noFlag.mountinfo, null);
  const relative = readEtcdProcess(77, fakeProc({ comm: 'etcd\n', cmdline: 'etcd\0--data-dir=m1.etcd\0' }))!;
  assert.equal(relative.dataDir, null);
  assert.ok(
    relative.unreadable.some((u) => /working directory .* m1\.etcd is relative/.test(u)),
    relative.unreadable.join('; '),
  );
  const readable = readEtcdProcess(
    77,
    fakeProc({ comm: 'etcd\n', cmdline: 'etcd\0--name\0m1\0', environ: 'ETCD_DISK_BENCH_RUN=r1\0HOME=/\0' }, '/srv'),
  )!;
  assert.equal(readable.dataDir, '/srv/m1.etcd', "etcd's default, NAME.etcd in its working directory");
  assert.equal(readable.ourRun, 'r1');
  assert.deepEqual(readable.unreadable, []);
  assert.equal(readEtcdProcess(77, fakeProc({ comm: 'etcdctl\n', cmdline: 'etcdctl\0' })), null, 'not a server');
});

test('the PID namespace: the initial one with one id in NSpid is the host view; any other is its own', () => {
  const proc = tempDir('edb-proc-');
  mkdirSync(join(proc, 'self', 'ns'), { recursive: true });
  for (const pid of ['1', '7', '9']) mkdirSync(join(proc, pid));
  writeFileSync(join(proc, 'self', 'status'), 'Name:\tnode\nNSpid:\t4242\t7\nNSsid:\t1\n');
  assert.deepEqual(processView(proc), { pidNamespace: 'own', processesSeen: 3 });
  writeFileSync(join(proc, 'self', 'status'), 'Name:\tnode\nNSpid:\t4242\n');
  assert.equal(processView(proc).pidNamespace, 'host', 'no namespace link: NSpid decides');
  symlinkSync('pid:[4026531836]', join(proc, 'self', 'ns', 'pid'));
  assert.equal(processView(proc).pidNamespace, 'host', 'the initial PID namespace');
  rmSync(join(proc, 'self', 'ns', 'pid'));
  // A container's /proc shows only its own namespace: one NSpid id, but not the initial namespace.
  symlinkSync('pid:[4026532254]', join(proc, 'self', 'ns', 'pid'));
  assert.equal(processView(proc).pidNamespace, 'own');
});

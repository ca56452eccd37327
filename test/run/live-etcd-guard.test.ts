// The live-etcd guard's decisions for etcd processes described as the /proc
// reader would (their directories are real, on this disk): inside its data
// dir refused, the same filesystem refused unless allowed, our own members
// only named. Where /proc/PID/root cannot be entered (an unprivileged reader)
// the etcd is placed by its own mount table, bind mounts of a subdirectory
// included; an etcd whose disk cannot be decided is refused (fail safe), and
// every decision is recorded.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { guardLiveEtcd } from '../../src/run/live-etcd-guard.js';
import { UsageError } from '../../src/core/errors.js';
import { ownPlace } from '../../src/host/dir-place.js';
import type { EtcdProcess, ProcessView } from '../../src/host/etcd-processes.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('edb-guard-');
const data = join(root, 'etcd-data');
const target = join(root, 'bench');
mkdirSync(data);
mkdirSync(target);
const HOST: ProcessView = { pidNamespace: 'host', processesSeen: 100 };
const noRoot = join(root, 'no-such-root');
// The filesystem --dir is on, as this process's own mount table names it.
const ours = ownPlace(target);
const fs = ours.mount!;

function etcd(over: Partial<EtcdProcess> = {}): EtcdProcess {
  return {
    pid: 4242,
    dataDir: data,
    walDir: null,
    from: '--data-dir',
    metricsUrl: null,
    root: '/',
    ourRun: null,
    mountinfo: null,
    unreadable: [],
    ...over,
  };
}

/** A mount table line as the etcd would see it: `root` of our filesystem mounted at `at`. */
const mountLine = (majMin: string, fsRoot: string, at: string, type = fs.fsType, source = fs.source) =>
  `40 1 ${majMin} ${fsRoot} ${at} rw,relatime - ${type} ${source} rw\n`;

const refusedFor = (option: string, re: RegExp) => (e: unknown) =>
  e instanceof UsageError && e.option === option && re.test(e.message);

test('a directory inside the data dir is refused even with --allow-live-etcd', () => {
  const inside = join(data, 'member');
  mkdirSync(inside);
  assert.throws(
    () => guardLiveEtcd(inside, true, [etcd()], HOST),
    refusedFor('dir', /inside .*etcd-data, the data directory/),
  );
  assert.throws(
    () => guardLiveEtcd(root, true, [etcd()], HOST),
    refusedFor('dir', /holds .*etcd-data, the data directory/),
    'a --dir above the data dir too',
  );
});

test('an etcd on the same filesystem: refused, unless allowed (then shared, warned and recorded)', () => {
  assert.throws(
    () => guardLiveEtcd(target, false, [etcd()], HOST),
    refusedFor('allowLiveEtcd', /a live etcd keeps its data on this disk: etcd pid 4242/),
  );
  const allowed = guardLiveEtcd(target, true, [etcd()], HOST);
  assert.equal(allowed.shared.length, 1);
  assert.equal(allowed.shared[0]!.shares, 'filesystem');
  assert.match(allowed.warnings[0]!, /^--allow-live-etcd: etcd pid 4242/);
  const seen = allowed.record.etcds[0]!;
  assert.equal(seen.decision, 'filesystem');
  assert.equal(seen.outcome, 'allowed');
  assert.equal(seen.places[0]!.via, 'root');
  assert.equal(seen.places[0]!.majMin, allowed.record.majMin);
  assert.match(allowed.record.decision, /1 etcd seen, 1 on this disk .*--allow-live-etcd/);
});

test("another run's throwaway member is named, not refused", () => {
  const r = guardLiveEtcd(target, false, [etcd({ ourRun: 'run-1' })], HOST);
  assert.deepEqual(r.shared, []);
  assert.equal(r.warnings.length, 1);
  assert.match(r.warnings[0]!, /another etcd-disk-bench run \(run-1, pid 4242\)/);
  assert.equal(r.record.etcds[0]!.outcome, 'ours');
});

test('root unreadable: the etcd is placed by its own mount table, and refused on the same filesystem', () => {
  const p = etcd({ root: noRoot, dataDir: '/var/lib/etcd', mountinfo: mountLine(fs.majMin, '/', '/') });
  assert.throws(
    () => guardLiveEtcd(target, false, [p], HOST),
    refusedFor('allowLiveEtcd', /a live etcd keeps its data on this disk: etcd pid 4242 \(data \/var\/lib\/etcd;/),
  );
  const r = guardLiveEtcd(target, true, [p], HOST);
  assert.deepEqual(
    r.record.etcds[0]!.places.map((x) => [x.via, x.majMin, x.source, x.relation]),
    [['mountinfo', fs.majMin, fs.source, 'filesystem']],
  );
});

test("the mount table's bind mounts: the path inside the filesystem tells inside and above apart", () => {
  // The etcd (a container) sees our data dir's parent mounted at /var/lib/etcd: --dir is inside its data.
  const parent = guardThrows(
    etcd({ root: noRoot, dataDir: '/var/lib/etcd', mountinfo: mountLine(fs.majMin, ours.fsPath!, '/var/lib/etcd') }),
    true,
  );
  assert.match(parent, /is inside \/var\/lib\/etcd, the data directory/);
  // It sees a directory below --dir as its data: --dir holds it.
  const below = join(ours.fsPath!, 'nested');
  const child = guardThrows(
    etcd({ root: noRoot, dataDir: '/data', mountinfo: mountLine(fs.majMin, below, '/data') }),
    true,
  );
  assert.match(child, /holds \/data, the data directory/);
});

function guardThrows(p: EtcdProcess, allow: boolean): string {
  try {
    guardLiveEtcd(target, allow, [p], HOST);
  } catch (e) {
    assert.ok(e instanceof UsageError);
    return e.message;
  }
  assert.fail('the guard let the run go');
}

test('another filesystem with no disk in common is apart: the run goes on, the record says why', () => {
  const p = etcd({
    root: noRoot,
    dataDir: '/var/lib/etcd',
    mountinfo: mountLine('0:999', '/', '/var/lib/etcd', 'tmpfs', 'tmpfs'),
  });
  const r = guardLiveEtcd(target, false, [p], HOST);
  assert.deepEqual(r.shared, []);
  assert.deepEqual(r.warnings, []);
  assert.equal(r.record.etcds[0]!.decision, 'elsewhere');
  assert.equal(r.record.etcds[0]!.outcome, 'apart');
  assert.match(r.record.decision, /^1 etcd seen, none on this disk$/);
});

test('an etcd whose disk cannot be decided is refused, naming why and --allow-live-etcd', () => {
  const unknownDir = etcd({
    dataDir: null,
    from: 'unknown',
    root: noRoot,
    unreadable: ['its environment (/proc/4242/environ)'],
  });
  const msg = guardThrows(unknownDir, false);
  assert.match(msg, /its disk could not be told apart from this one: etcd pid 4242 \(data not known; from unknown\)/);
  assert.match(
    msg,
    /its data directory is not known \(its environment \(\/proc\/4242\/environ\) cannot be read here\)/,
  );
  assert.match(msg, /--allow-live-etcd/);
  const noTable = guardThrows(etcd({ root: noRoot, dataDir: '/var/lib/etcd' }), false);
  assert.match(noTable, /neither .*no-such-root nor its mount table .* can be read here/);
  const allowed = guardLiveEtcd(target, true, [unknownDir], HOST);
  assert.equal(allowed.shared[0]!.shares, 'unknown');
  assert.equal(allowed.record.etcds[0]!.decision, 'undecided');
  assert.match(allowed.warnings[0]!, /may share the disk .*not decided/);
});

test('in a PID namespace of its own the guard says it could not see the host', () => {
  const r = guardLiveEtcd(target, false, [], { pidNamespace: 'own', processesSeen: 3 });
  assert.match(r.warnings[0]!, /PID namespace of its own \(3 processes visible\).*hostPID: true/);
  assert.equal(r.record.pidNamespace, 'own');
  assert.match(r.record.decision, /no etcd seen among 3 processes \(own PID namespace/);
});

// Choosing the local etcd's binary: --etcd-bin PATH, live, or live,PATH (the
// live etcd's binary, else PATH, said in the report and on stderr).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseEtcd } from '../../src/etcd/find-etcd.js';
import { UsageError } from '../../src/core/errors.js';
import { etcdProcesses } from '../../src/host/etcd-processes.js';

test('--etcd-bin live,PATH: only that form; anything else is refused naming the option and the forms', () => {
  for (const bad of ['live,', 'live,live', '/a,/b', 'live,/a,/b', ',live'])
    assert.throws(
      () => chooseEtcd(bad),
      (e) =>
        e instanceof UsageError &&
        /^--etcd-bin: ".*" is not allowed; expected a path, live, or live,PATH/.test(e.message),
      bad,
    );
});

test('--etcd-bin live,PATH with no live etcd here: PATH, and why, for the report', {
  skip: etcdProcesses().some((p) => p.ourRun === null) ? 'an etcd that is not ours runs on this machine' : false,
}, () => {
  const c = chooseEtcd(`live,${process.execPath}`);
  assert.deepEqual(c, {
    bin: process.execPath,
    source: `${process.execPath} (no live etcd runs on this node)`,
    fallback: `no live etcd runs on this node: the etcd phase runs ${process.execPath} instead`,
  });
  assert.equal(chooseEtcd('live,/nonexistent/etcd'), null, 'a fallback that is not executable: none');
  assert.deepEqual(chooseEtcd(process.execPath), { bin: process.execPath, source: `--etcd-bin ${process.execPath}` });
});

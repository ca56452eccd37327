import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadProfile, RENAMED_KEYS } from '../../src/options/profiles.js';
import {
  DISK_OPTION_KEYS,
  helpOf,
  keysWhen,
  LOAD_OPTION_KEYS,
  OPTIONS,
  type OptionKey,
} from '../../src/options/table.js';
import { tempDir } from '../helpers/tmp.js';

test('every option key is the camelCase of its long flag, so profile keys are the flag names', () => {
  for (const [key, spec] of Object.entries(OPTIONS)) {
    const camel = spec.flag.slice(2).replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    assert.equal(key, camel, `${spec.flag}`);
  }
});

test('where an option applies is declared in the table; the validation lists and help come from it', () => {
  assert.deepEqual(keysWhen('wal', DISK_OPTION_KEYS), ['walSegmentSize', 'walRecordSize', 'walBatch', 'walKeep']);
  assert.deepEqual(keysWhen('put', LOAD_OPTION_KEYS), ['keySize', 'valSize', 'keySpaceSize', 'sequentialKeys']);
  assert.ok(keysWhen('endpoints', LOAD_OPTION_KEYS).includes('cacert'));
  assert.match(helpOf('walBatch', 'disk'), /^--mode wal: records per Raft batch/);
  assert.match(helpOf('kubeNodes', 'load'), /^--workload kube: simulated nodes/);
  assert.match(
    helpOf('walRuntime', 'qualify'),
    /^length of the WAL phase/,
    "qualify's own options need no scope in its help",
  );
  assert.match(helpOf('members', 'qualify'), /^members of the local etcd/, 'no --endpoints choice in qualify');
});

test('an old profile key is still read, with a note naming the new one', () => {
  const dir = tempDir('edb-profile-');
  const file = join(dir, 'old.json');
  writeFileSync(
    file,
    JSON.stringify({
      options: { workload: 'put', connections: 3, valueSize: 100 },
      thresholds: { loadErrorsLimit: 2 },
    }),
  );
  const p = loadProfile(file, LOAD_OPTION_KEYS);
  assert.deepEqual(p.values, { workload: 'put', conns: 3, valSize: 100, maxErrors: 2 });
  assert.equal(p.deprecated.length, 3);
  assert.match(
    p.deprecated[0]!,
    /profile key "options.connections" is now "options.conns" \(the --conns flag's name\)/,
  );
  for (const [old, now] of Object.entries(RENAMED_KEYS))
    assert.ok(!(old in OPTIONS) && now in OPTIONS, `${old} -> ${now}`);
  const none = loadProfile('kube', LOAD_OPTION_KEYS);
  assert.deepEqual(none.deprecated, [], 'the built-in profiles use the new names');
  assert.equal((none.values as Partial<Record<OptionKey, unknown>>).conns, 1);
});

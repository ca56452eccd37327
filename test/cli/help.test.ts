// Every command's --help, byte for byte as test/fixtures/help/ keeps it: a
// restructuring of the code must not change what a user reads. A change on
// purpose rewrites the fixture (UPDATE_HELP=1 node --test ...) in the same
// commit, so the diff shows it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { CLI } from '../helpers/cli.js';

const COMMANDS = [
  [],
  ['qualify'],
  ['disk'],
  ['load'],
  ['observe'],
  ['report'],
  ['report', 'show'],
  ['report', 'markdown'],
  ['report', 'compare'],
  ['report', 'merge'],
  ['report', 'html'],
  ['report', 'fio'],
  ['lab'],
  ['lab', 'slow-disk'],
  ['lab', 'slow-network'],
  ['lab', 'burst-credits'],
  ['lab', 'replay-disk'],
  ['k8s'],
  ['k8s', 'jobs'],
];

for (const words of COMMANDS) {
  const name = words.length === 0 ? 'root' : words.join('-');
  test(`${['etcd-disk-bench', ...words].join(' ')} --help is as the fixture keeps it`, () => {
    const r = spawnSync(process.execPath, [CLI, ...words, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, COLUMNS: '' },
    });
    assert.equal(r.status, 0, r.stderr);
    const file = join(PACKAGE_ROOT, 'test', 'fixtures', 'help', `${name}.txt`);
    if (process.env.UPDATE_HELP === '1') writeFileSync(file, r.stdout);
    assert.equal(r.stdout, readFileSync(file, 'utf8'));
  });
}

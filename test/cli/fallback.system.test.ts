// When the native addon cannot load (not built, wrong Node ABI), `disk` runs
// the JS engine and says so; asking for --engine native does not fail the run.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import type { DiskResult } from '../../src/disk/disk-result.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { listing, tempDir } from '../helpers/tmp.js';

test('without the addon the js engine runs, with a warning that says how to rebuild', () => {
  const pkg = tempDir('edb-noaddon-');
  for (const part of ['package.json', 'profiles', join('dist', 'src')])
    cpSync(join(PACKAGE_ROOT, part), join(pkg, part), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const target = join(pkg, 'target');
  mkdirSync(target);
  const r = spawnSync(
    process.execPath,
    [join(pkg, 'dist', 'src', 'cli', 'main.js'), 'disk', '--dir', target, '--size', '256k', '--json'],
    { encoding: 'utf8' },
  );
  // Its subject is the fallback: any verdict will do, one that names the busy host (exit 4) too.
  assert.ok(r.status === 0 || r.status === 1 || r.status === 4, r.stderr);
  assert.match(r.stderr, /warning: the native writer could not load \(.*\); using --engine js.*npm run build/);
  const res = JSON.parse(r.stdout) as DiskResult;
  assert.equal(res.engine, 'js');
  assert.equal(res.writerThread, null, "the js engine cannot see its thread's context switches");
  assert.equal(res.totals.ops, Math.floor(262144 / 2300));
  assert.ok(res.warnings.some((w) => w.includes('could not load')));
  assert.deepEqual(listing(target), []);
});

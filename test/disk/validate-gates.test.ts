// A gate the user turns off takes the profile's settings behind it along; a setting the user gives without its gate
// is still refused, naming the option.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../src/core/errors.js';
import { validateDiskOptions } from '../../src/disk/validate.js';
import { loadProfile } from '../../src/options/profiles.js';
import { resolveOptions } from '../../src/options/resolve.js';
import { DISK_OPTION_KEYS } from '../../src/options/table.js';

const resolveDisk = (cli: Record<string, string | boolean>) =>
  resolveOptions(DISK_OPTION_KEYS, cli, loadProfile('wal', DISK_OPTION_KEYS));

test("--profile wal --commit false: the profile's commit settings go with the stream", () => {
  const r = resolveDisk({ commit: 'false' });
  assert.equal(r.values.commit, false);
  assert.equal(r.sources.commitInterval, 'profile');
  assert.doesNotThrow(() => validateDiskOptions(r));
});

test('a commit setting the user gives without --commit is refused, naming it', () => {
  const r = resolveDisk({ commit: 'false', commitPages: '4' });
  assert.throws(
    () => validateDiskOptions(r),
    (e: unknown) => e instanceof UsageError && /--commit-pages: applies only with --commit/.test(e.message),
  );
});

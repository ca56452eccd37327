// Temporary directories for tests, on the real disk (not tmpfs), removed after.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';

/** A fresh directory removed when the test file ends. Prefers /var/tmp (disk-backed). */
export function tempDir(prefix = 'edb-test-'): string {
  const base = process.env.EDB_TEST_DIR ?? (tryDir('/var/tmp') ? '/var/tmp' : tmpdir());
  const dir = mkdtempSync(join(base, prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function tryDir(d: string): boolean {
  try {
    readdirSync(d);
    return true;
  } catch {
    return false;
  }
}

/** Names inside a directory, sorted (to assert nothing was left behind). */
export function listing(dir: string): string[] {
  return readdirSync(dir).sort();
}

// The CLI starts node with V8's marking triggers, and without V8's background threads, from its shebang: the
// flags are ones this Node's V8 knows (it ignores an unknown one silently,
// which would bring back a mark-compact a second under load), the source
// and the compiled entry carry the same line, the line runs the CLI, and the
// container's entrypoint passes the same flags.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CLI_SHEBANG,
  collectNow,
  MARKING_TRIGGERS,
  NO_BACKGROUND_THREADS,
  NODE_FLAGS,
} from '../../src/core/gc-schedule.js';
import { PACKAGE_ROOT } from '../../src/core/paths.js';

const firstLine = (path: string) => readFileSync(path, 'utf8').split('\n', 1)[0]!;
const entry = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

test("the marking triggers are flags of this Node's V8, with percentages", () => {
  const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  assert.equal(MARKING_TRIGGERS.length, 2);
  for (const flag of MARKING_TRIGGERS) {
    const [name, value] = flag.split('=');
    assert.match(known, new RegExp(`^\\s+${name}\\b`, 'm'), `${name} in node --v8-options`);
    assert.ok(Number(value) > 0 && Number(value) < 100, flag);
  }
  for (const flag of NO_BACKGROUND_THREADS) assert.match(known, new RegExp(`^\\s+${flag}\\s`, 'm'), flag);
  assert.deepEqual(NODE_FLAGS, [...MARKING_TRIGGERS, ...NO_BACKGROUND_THREADS]);
});

test("the CLI's entry starts node with them, in the source and compiled, and the line runs", () => {
  assert.equal(firstLine(join(PACKAGE_ROOT, 'src', 'cli', 'main.ts')), CLI_SHEBANG);
  assert.equal(firstLine(entry), CLI_SHEBANG);
  // What the kernel does with the line: its interpreter and arguments, then the script.
  const [interpreter, ...args] = CLI_SHEBANG.slice(2).split(' ');
  const version = execFileSync(interpreter!, [...args, entry, '--version'], { encoding: 'utf8' });
  assert.match(version.trim(), /^\d+\.\d+\.\d+/);
  // The container starts node itself (no shebang): the same flags.
  const containerfile = readFileSync(join(PACKAGE_ROOT, 'Containerfile'), 'utf8');
  const entrypoint = /^ENTRYPOINT (.*)$/m.exec(containerfile)?.[1] ?? '';
  assert.deepEqual(JSON.parse(entrypoint), ['node', ...NODE_FLAGS, '/app/dist/src/cli/main.js']);
});

test('collectNow collects: an object nothing holds is gone after it, with no flag given to node', async () => {
  let ref: WeakRef<object> | undefined;
  (() => {
    ref = new WeakRef({ garbage: true });
  })();
  // A WeakRef's target is kept to the end of the job that made it.
  await new Promise((r) => setImmediate(r));
  assert.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'this process has no global gc()');
  collectNow();
  assert.equal(ref!.deref(), undefined);
  collectNow();
});

// An error nothing caught is a fault of this tool: the run is stopped as a
// signal would stop it (its report incomplete, saying why) and the exit code
// is the internal one, never 0 or 1, which would read as a verdict on the disk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/core/paths.js';
import { ExitCode, isInternalFault, UsageError } from '../../src/core/errors.js';

test('an uncaught error stops the run with its reason and marks the fault; the exit code is 70', () => {
  // In a child: the test runner treats an uncaught error in its own process as a failed test.
  const script = [
    `import { CleanupRegistry } from ${JSON.stringify(join(PACKAGE_ROOT, 'dist/src/run/cleanup.js'))};`,
    `import { guardSignals } from ${JSON.stringify(join(PACKAGE_ROOT, 'dist/src/cli/signals.js'))};`,
    'const said = [];',
    'const guard = guardSignals(new CleanupRegistry(), (m) => said.push(m));',
    "setTimeout(() => { throw new RangeError('Invalid string length'); }, 0);",
    'setTimeout(() => {',
    '  const out = { aborted: guard.signal.aborted, reason: guard.signal.reason, fault: guard.fault()?.message,',
    '    said: said[0], received: guard.received() ?? null };',
    '  guard.dispose();',
    "  out.left = process.listenerCount('uncaughtException');",
    '  console.log(JSON.stringify(out));',
    '}, 50);',
  ].join('\n');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.equal(out.aborted, true);
  assert.equal(out.reason, 'internal error: Invalid string length');
  assert.equal(out.fault, 'Invalid string length');
  assert.match(String(out.said), /^internal error \(a fault of this tool, not of the disk\): RangeError: Invalid/);
  assert.equal(out.received, null, 'not a signal');
  assert.equal(out.left, 0, 'the handlers go with the guard');
  assert.equal(ExitCode.internal, 70);
});

test('programming faults are internal; bad input and the environment are not', () => {
  assert.equal(isInternalFault(new TypeError('x')), true);
  assert.equal(isInternalFault(new RangeError('x')), true);
  assert.equal(isInternalFault(new UsageError('x')), false);
  assert.equal(isInternalFault(new Error('ECONNREFUSED')), false);
});

// The marking triggers the CLI sets are flags this Node's V8 knows: V8
// ignores a flag it does not know, so a Node whose V8 dropped them would
// silently bring back a mark-compact a second under load.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { MARKING_TRIGGERS } from '../../src/core/gc-schedule.js';

test("the old-generation marking triggers are flags of this Node's V8, with percentages", () => {
  const known = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
  assert.equal(MARKING_TRIGGERS.length, 2);
  for (const flag of MARKING_TRIGGERS) {
    const [name, value] = flag.split('=');
    assert.match(known, new RegExp(`^\\s+${name}\\b`, 'm'), `${name} in node --v8-options`);
    assert.ok(Number(value) > 0 && Number(value) < 100, flag);
  }
});

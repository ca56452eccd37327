// Functions stay short enough to read at once: none in src/ runs over 100
// lines, apart from three named exceptions of at most 130 (each a table of
// rules or a workload's request kinds, read top to bottom). Counted by the
// TypeScript compiler's own parse, every function, method and arrow.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { sourceFiles } from './helpers/source-files.js';

const LIMIT = 100;
const EXCEPTION_LIMIT = 130;
/** file: function, the ones allowed past LIMIT (up to EXCEPTION_LIMIT). */
const EXCEPTIONS = new Set([
  'grade/attribution-rules.ts: etcdAttribution', // the etcd phase's attribution rules, in the order they apply
  'run/live-etcd-guard.ts: guardLiveEtcd', // each live etcd placed against --dir, every way it can be
  'load/workloads/kube.ts: kubeWorkload', // what an API server writes, request kind by kind
]);

function longFunctions(): { where: string; lines: number }[] {
  const src = join(PACKAGE_ROOT, 'src');
  const out: { where: string; lines: number }[] = [];
  for (const file of sourceFiles(src)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (n: ts.Node): void => {
      if (ts.isFunctionLike(n) && 'body' in n && n.body) {
        const lines =
          sf.getLineAndCharacterOfPosition(n.getEnd()).line - sf.getLineAndCharacterOfPosition(n.getStart()).line + 1;
        const name = n.name && ts.isIdentifier(n.name) ? n.name.text : '(anonymous)';
        if (lines > LIMIT) out.push({ where: `${relative(src, file)}: ${name}`, lines });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

test(`no function in src/ over ${LIMIT} lines, but ${EXCEPTIONS.size} named ones of at most ${EXCEPTION_LIMIT}`, () => {
  const long = longFunctions();
  assert.deepEqual(
    long.filter((f) => !EXCEPTIONS.has(f.where) || f.lines > EXCEPTION_LIMIT).map((f) => `${f.where} (${f.lines})`),
    [],
  );
  assert.ok(EXCEPTIONS.size <= 3);
});

test('the counter sees functions: the exceptions are found where named', () => {
  const found = new Set(longFunctions().map((f) => f.where));
  for (const e of EXCEPTIONS) assert.ok(found.has(e), `${e} is no longer over ${LIMIT} lines: take it off the list`);
});

// The small JSON Schema validator, and the report schema file it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validate, type Schema, KNOWN_KEYWORDS } from '../../src/report/json-schema.js';
import { qualifySchema } from '../../src/report/read-report.js';

const S: Schema = {
  type: 'object',
  required: ['a', 'b'],
  properties: {
    a: { type: 'integer', minimum: 1 },
    b: { anyOf: [{ type: 'null' }, { $ref: '#/$defs/thing' }] },
    c: { enum: ['x', 'y'] },
    d: { type: 'array', items: { type: 'string', pattern: '^[a-z]+$' } },
  },
  additionalProperties: false,
  $defs: { thing: { type: 'object', required: ['n'], properties: { n: { type: 'number' } } } },
};

test('valid values give no problems', () => {
  assert.deepEqual(validate({ a: 1, b: null }, S), []);
  assert.deepEqual(validate({ a: 2, b: { n: 1.5 }, c: 'y', d: ['ab'] }, S), []);
});

test('each kind of problem is reported with its path', () => {
  assert.deepEqual(validate({ b: null }, S), ['$: missing required field "a"']);
  assert.deepEqual(validate({ a: 1.5, b: null }, S), ['$.a: expected integer, found number']);
  assert.deepEqual(validate({ a: 0, b: null }, S), ['$.a: 0 is below 1']);
  assert.deepEqual(
    validate({ a: 1, b: {} }, S),
    ['$.b: missing required field "n"'],
    'the shape the value was meant to have is named, not "expected null"',
  );
  assert.deepEqual(validate({ a: 1, b: 'x' }, S), ['$.b: matches none of the allowed shapes']);
  assert.deepEqual(validate({ a: 1, b: null, c: 'z' }, S), ['$.c: "z" is not one of "x", "y"']);
  assert.deepEqual(validate({ a: 1, b: null, d: ['ok', 'No'] }, S), ['$.d[1]: "No" does not match ^[a-z]+$']);
  assert.deepEqual(validate({ a: 1, b: null, e: 1 }, S), ['$: unexpected field "e"']);
});

test('a schema using a keyword the validator does not check is an error, not a silent pass', () => {
  assert.deepEqual(validate('x', { type: 'string', maxLength: 3 } as Schema), [
    '$: the schema uses "maxLength", which this validator does not check',
  ]);
});

test('schema/qualify-report.schema.json uses only what the validator checks, and every $ref resolves', () => {
  const schema = qualifySchema();
  let nodes = 0;
  const walk = (s: Schema, path: string) => {
    nodes++;
    for (const k of Object.keys(s)) assert.ok(KNOWN_KEYWORDS.has(k), `${path}: ${k}`);
    if (s.$ref) assert.ok(schema.$defs?.[s.$ref.replace('#/$defs/', '')], `${path}: ${s.$ref}`);
    for (const [k, v] of Object.entries(s.properties ?? {})) walk(v, `${path}.${k}`);
    for (const [k, v] of Object.entries(s.$defs ?? {})) walk(v, `${path}.$defs.${k}`);
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.*`);
    if (s.items) walk(s.items, `${path}[]`);
    s.anyOf?.forEach((a, i) => {
      walk(a, `${path}|${i}`);
    });
  };
  walk(schema, '$');
  assert.ok(nodes > 100, `${nodes} nodes`);
  assert.deepEqual(
    (schema.properties!.schema as Schema).enum,
    ['etcd-disk-bench/qualify-report@1', 'etcd-disk-bench/qualify-report@2'],
    'reads the older version too',
  );
});

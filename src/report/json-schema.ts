// A small JSON Schema validator for the subset the report schema uses (draft
// 2020-12 keywords: type, properties, required, additionalProperties, items,
// enum, const, anyOf, $ref into $defs, minimum, pattern). It returns every
// problem with the path where it was found; an unknown keyword is an error,
// so the schema cannot silently use more than this checks.
export interface Schema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  $defs?: Record<string, Schema>;
  $ref?: string;
  type?: JsonType | JsonType[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  minimum?: number;
  pattern?: string;
}

type JsonType = 'object' | 'array' | 'string' | 'number' | 'integer' | 'boolean' | 'null';

/** The keywords this validator checks; a schema using another is refused. */
export const KNOWN_KEYWORDS: ReadonlySet<string> = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  '$defs',
  '$ref',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'enum',
  'const',
  'anyOf',
  'minimum',
  'pattern',
]);

function typeOf(v: unknown): JsonType {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v as JsonType;
}

function typeMatches(v: unknown, t: JsonType): boolean {
  const actual = typeOf(v);
  return actual === t || (t === 'number' && actual === 'integer');
}

/** Validates `value` against `schema`; returns the problems ("$.phases.fio.status: ..."), none when valid. */
export function validate(value: unknown, schema: Schema): string[] {
  const root = schema;
  const problems: string[] = [];
  const walk = (v: unknown, s: Schema, path: string): void => {
    for (const k of Object.keys(s))
      if (!KNOWN_KEYWORDS.has(k)) problems.push(`${path}: the schema uses "${k}", which this validator does not check`);
    if (s.$ref !== undefined) {
      const name = /^#\/\$defs\/(.+)$/.exec(s.$ref)?.[1];
      const target = name ? root.$defs?.[name] : undefined;
      if (!target) problems.push(`${path}: unresolvable $ref ${s.$ref}`);
      else walk(v, target, path);
    }
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? s.type : [s.type];
      if (!types.some((t) => typeMatches(v, t))) {
        problems.push(`${path}: expected ${types.join(' or ')}, found ${typeOf(v)}`);
        return;
      }
    }
    if (s.const !== undefined && JSON.stringify(v) !== JSON.stringify(s.const))
      problems.push(`${path}: must be ${JSON.stringify(s.const)}`);
    if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(v)))
      problems.push(`${path}: ${JSON.stringify(v)} is not one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
    if (s.minimum !== undefined && typeof v === 'number' && v < s.minimum)
      problems.push(`${path}: ${v} is below ${s.minimum}`);
    if (s.pattern !== undefined && typeof v === 'string' && !new RegExp(s.pattern).test(v))
      problems.push(`${path}: "${v}" does not match ${s.pattern}`);
    if (s.anyOf) {
      const tried = s.anyOf.map((alt) => {
        const saved = problems.length;
        walk(v, alt, path);
        return problems.splice(saved);
      });
      if (!tried.some((p) => p.length === 0)) {
        // Name the problems of the shape the value was meant to have (its type matched), not "expected null".
        const meant = tried.find((p) => !p.some((x) => x.startsWith(`${path}: expected `)));
        problems.push(...(meant ?? [`${path}: matches none of the allowed shapes`]));
      }
    }
    if (typeOf(v) === 'object') {
      const o = v as Record<string, unknown>;
      for (const r of s.required ?? []) if (!(r in o)) problems.push(`${path}: missing required field "${r}"`);
      for (const [k, child] of Object.entries(o)) {
        const ps = s.properties?.[k];
        if (ps) walk(child, ps, `${path}.${k}`);
        else if (s.additionalProperties === false) problems.push(`${path}: unexpected field "${k}"`);
        else if (typeof s.additionalProperties === 'object') walk(child, s.additionalProperties, `${path}.${k}`);
      }
    }
    if (Array.isArray(v) && s.items)
      v.forEach((item, i) => {
        walk(item, s.items!, `${path}[${i}]`);
      });
  };
  walk(value, schema, '$');
  return problems;
}

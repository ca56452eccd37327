// A small YAML writer for manifests: maps, lists, strings, numbers and
// booleans, block style; every string quoted as JSON (valid YAML), so no
// value can be read back as another type.

type Value = string | number | boolean | null | Value[] | { [k: string]: Value };

function scalar(v: string | number | boolean | null): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

function lines(v: Value, indent: string): string[] {
  if (Array.isArray(v)) {
    if (v.length === 0) return [`${indent}[]`];
    return v.flatMap((item) => {
      const inner = lines(item, `${indent}  `);
      const isBlock = item !== null && typeof item === 'object' && !(Array.isArray(item) && item.length === 0);
      if (!isBlock) return [`${indent}- ${inner[0]!.trimStart()}`];
      return [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
    });
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v);
    if (entries.length === 0) return [`${indent}{}`];
    return entries.flatMap(([k, x]) => {
      const key = /^[A-Za-z_][\w.\-/]*$/.test(k) ? k : JSON.stringify(k);
      const empty =
        (Array.isArray(x) && x.length === 0) || (x !== null && typeof x === 'object' && Object.keys(x).length === 0);
      if (x === null || typeof x !== 'object' || empty)
        return [`${indent}${key}: ${empty ? (Array.isArray(x) ? '[]' : '{}') : scalar(x as string)}`];
      return [`${indent}${key}:`, ...lines(x, `${indent}  `)];
    });
  }
  return [`${indent}${scalar(v)}`];
}

/** One YAML document per value, separated by ---. */
export function toYaml(docs: Value[]): string {
  return `${docs.map((d) => lines(d, '').join('\n')).join('\n---\n')}\n`;
}

export type { Value as YamlValue };

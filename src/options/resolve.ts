// Merges built-in defaults < profile < environment (ETCDCTL_*) < command line into typed option values,
// remembering where each value came from (the report records it).
import { UsageError } from '../core/errors.js';
import type { Profile } from './profiles.js';
import type { Raw } from './spec.js';
import { specOf, type OptionKey, type OptionValues } from './table.js';

/** Where a value came from; 'like': sized from the cluster's history (qualify --like). */
export type ValueSource = 'default' | 'profile' | 'env' | 'cli' | 'like';

export interface ResolvedOptions<K extends OptionKey> {
  values: Pick<OptionValues, K>;
  sources: Record<K, ValueSource>;
  profile: Profile | null;
}

type Layer = Map<OptionKey, unknown>;

/** How a user wrote an option: the flag they typed, or the profile key. */
type Namer = (key: OptionKey) => string;

/** Parses one layer's raw values, applying fio shorthands (--fdatasync N) in place. */
function parseLayer(raw: Partial<Record<OptionKey, Raw>>, keys: readonly OptionKey[], where: Namer): Layer {
  const layer: Layer = new Map();
  const expandedBy = new Map<OptionKey, OptionKey>();
  const set = (key: OptionKey, value: Raw, from: OptionKey) => {
    const spec = specOf(key);
    const parsed = spec.parse(value);
    if (parsed === null)
      throw new UsageError(`${where(from)}: ${JSON.stringify(value)} is not allowed; expected ${spec.allowed}`, key);
    const before = layer.get(key);
    if (before !== undefined && JSON.stringify(before) !== JSON.stringify(parsed)) {
      const other = expandedBy.get(key) ?? key;
      throw new UsageError(
        `${where(from)} conflicts with ${where(other)}: they set ${spec.flag} to different values`,
        key,
      );
    }
    layer.set(key, parsed);
    if (from !== key) expandedBy.set(key, from);
    const expands = spec.expands;
    if (expands) for (const [k, v] of Object.entries(expands(parsed))) set(k as OptionKey, v, key);
  };
  for (const key of keys) {
    const value = raw[key];
    if (value !== undefined) set(key, value, key);
  }
  return layer;
}

/** Resolves the options `keys` of one command. Throws UsageError naming the option on any bad value. */
export function resolveOptions<K extends OptionKey>(
  keys: readonly K[],
  cli: Partial<Record<OptionKey, Raw>>,
  profile: Profile | null,
  cliNames: Partial<Record<OptionKey, string>> = {},
  env: Record<string, string | undefined> = {},
): ResolvedOptions<K> {
  const envRaw: Partial<Record<OptionKey, Raw>> = {};
  for (const key of keys) {
    const name = specOf(key).env;
    const value = name ? env[name] : undefined;
    if (name && value !== undefined && value !== '') envRaw[key] = value;
  }
  const fromEnv = parseLayer(envRaw, keys, (k) => `${specOf(k).env}`);
  const fromProfile = profile ? parseLayer(profile.values, keys, (k) => `profile ${profile.name}: ${k}`) : new Map();
  const fromCli = parseLayer(cli, keys, (k) => cliNames[k] ?? specOf(k).flag);
  const values = {} as Record<K, unknown>;
  const sources = {} as Record<K, ValueSource>;
  for (const key of keys) {
    if (fromCli.has(key)) {
      values[key] = fromCli.get(key);
      sources[key] = 'cli';
    } else if (fromEnv.has(key)) {
      values[key] = fromEnv.get(key);
      sources[key] = 'env';
    } else if (fromProfile.has(key)) {
      values[key] = fromProfile.get(key);
      sources[key] = 'profile';
    } else {
      values[key] = specOf(key).default;
      sources[key] = 'default';
    }
  }
  return { values: values as Pick<OptionValues, K>, sources, profile };
}

// Profiles are data: a JSON file of ordinary option values plus thresholds.
// This loads one by name (profiles/NAME.json) or path and checks every key and
// value type against the option table before anything runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { PROFILES_DIR } from '../core/paths.js';
import type { Raw } from './spec.js';
import { specOf, type OptionKey } from './table.js';

export interface Profile {
  name: string;
  file: string;
  description: string;
  /** Option values as written in the file (parsed later, like command-line text). */
  values: Partial<Record<OptionKey, Raw>>;
  /** Keys the file spelled the old way, each with its new name (still read, for one release). */
  deprecated: string[];
}

/**
 * Profile keys renamed so that every key is the camelCase of its long flag (--conns: conns); the old
 * spelling is still read, with a note, until the next release.
 */
export const RENAMED_KEYS: Readonly<Record<string, OptionKey>> = {
  connections: 'conns',
  valueSize: 'valSize',
  keySpace: 'keySpaceSize',
  loadErrorsLimit: 'maxErrors',
  throughputPercent: 'minThroughputPercent',
  slowMember: 'slow',
};

/** The names of the built-in profiles; with `accepted`, only those a command with these options can load. */
export function builtInProfiles(accepted?: readonly OptionKey[]): string[] {
  let names: string[];
  try {
    names = readdirSync(PROFILES_DIR)
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
  if (!accepted) return names;
  return names.filter((n) => {
    try {
      const body = JSON.parse(readFileSync(join(PROFILES_DIR, `${n}.json`), 'utf8')) as {
        options?: object;
        thresholds?: object;
      };
      return [...Object.keys(body.options ?? {}), ...Object.keys(body.thresholds ?? {})].every((k) =>
        (accepted as readonly string[]).includes(k),
      );
    } catch {
      return false;
    }
  });
}

function profileFile(nameOrPath: string, accepted: readonly OptionKey[]): string {
  if (/^[a-z0-9][a-z0-9-]*$/i.test(nameOrPath)) {
    const names = builtInProfiles(accepted);
    if (!names.includes(nameOrPath))
      throw new UsageError(
        `--profile: no built-in profile "${nameOrPath}" for this command; choose one of ${names.join(', ')} or ` +
          `give a path to a JSON file`,
        'profile',
      );
    return join(PROFILES_DIR, `${nameOrPath}.json`);
  }
  return nameOrPath;
}

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--profile: cannot read ${file}: ${(e as Error).message}`, 'profile');
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--profile: ${file} is not valid JSON: ${(e as Error).message}`, 'profile');
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function section(
  file: string,
  name: 'options' | 'thresholds',
  body: unknown,
  accepted: readonly OptionKey[],
  deprecated: string[],
): Partial<Record<OptionKey, Raw>> {
  if (body === undefined) return {};
  if (!isRecord(body))
    throw new UsageError(`--profile: ${file}: "${name}" must be an object of option values`, 'profile');
  const wantGroup = name === 'options' ? 'workload' : 'threshold';
  const allowed = accepted.filter((k) => specOf(k).group === wantGroup);
  const out: Partial<Record<OptionKey, Raw>> = {};
  for (const [written, value] of Object.entries(body)) {
    const renamed = RENAMED_KEYS[written];
    const key = renamed ?? written;
    if (renamed)
      deprecated.push(
        `profile key "${name}.${written}" is now "${name}.${renamed}" (the ${specOf(renamed).flag} flag's name); ` +
          'the old name is read until the next release',
      );
    if (!(allowed as readonly string[]).includes(key))
      throw new UsageError(
        `--profile: ${file}: unknown key "${name}.${key}"; allowed: ${allowed.join(', ')}`,
        'profile',
      );
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
      throw new UsageError(
        `--profile: ${file}: "${name}.${key}" must be a string, number or boolean, not ${JSON.stringify(value)}`,
        'profile',
      );
    out[key as OptionKey] = value;
  }
  return out;
}

/** Loads and checks a profile for a command that accepts `accepted` options. */
export function loadProfile(nameOrPath: string, accepted: readonly OptionKey[]): Profile {
  const file = profileFile(nameOrPath, accepted);
  const body = readJson(file);
  if (!isRecord(body)) throw new UsageError(`--profile: ${file} must hold a JSON object`, 'profile');
  for (const key of Object.keys(body)) {
    if (!['description', 'options', 'thresholds'].includes(key))
      throw new UsageError(
        `--profile: ${file}: unknown key "${key}"; allowed: description, options, thresholds`,
        'profile',
      );
  }
  if (body.description !== undefined && typeof body.description !== 'string')
    throw new UsageError(`--profile: ${file}: "description" must be a string`, 'profile');
  const deprecated: string[] = [];
  const values = {
    ...section(file, 'options', body.options, accepted, deprecated),
    ...section(file, 'thresholds', body.thresholds, accepted, deprecated),
  };
  const name = file === join(PROFILES_DIR, `${nameOrPath}.json`) ? nameOrPath : file;
  return { name, file, description: (body.description as string | undefined) ?? '', values, deprecated };
}

// Registers options from the table on a commander command and reads them back
// as raw values keyed by option key (fio aliases folded in, conflicts refused).
import { Option, type Command } from 'commander';
import { UsageError } from '../core/errors.js';
import type { Raw } from '../options/spec.js';
import { loadProfile } from '../options/profiles.js';
import { resolveOptions, type ResolvedOptions } from '../options/resolve.js';
import { defaultIn, helpOf, specOf, type CommandName, type OptionKey } from '../options/table.js';

function helpText(key: OptionKey, command: CommandName): string {
  const s = specOf(key);
  const help = helpOf(key, command);
  const parts = [
    s.kind === 'path' ? '' : s.allowed,
    s.expands || s.default === '' ? '' : `default ${s.format(defaultIn(key, command))}`,
  ].filter((p) => p !== '');
  return parts.length > 0 ? `${help} (${parts.join('; ')})` : help;
}

/** Raw command-line values by option key, and the flag each was given as (--bs or --block-size). */
export interface CliValues {
  raw: Partial<Record<OptionKey, Raw>>;
  givenAs: Partial<Record<OptionKey, string>>;
}

/** Adds `keys` to `cmd` (help as `command` means them); returns a reader for the parsed raw values. */
export function addTableOptions(cmd: Command, keys: readonly OptionKey[], command: CommandName): () => CliValues {
  const byAttribute = new Map<string, { key: OptionKey; flag: string }>();
  for (const key of keys) {
    const s = specOf(key);
    const arg = s.kind === 'bool' ? '[bool]' : `<${s.kind === 'path' ? 'path' : s.kind}>`;
    const main = new Option(`${s.flag} ${arg}`, helpText(key, command));
    cmd.addOption(main);
    byAttribute.set(main.attributeName(), { key, flag: s.flag });
    for (const alias of s.aliases ?? []) {
      const opt = new Option(`${alias} ${arg}`, `same as ${s.flag}`).hideHelp();
      cmd.addOption(opt);
      byAttribute.set(opt.attributeName(), { key, flag: alias });
    }
  }
  return () => {
    const raw: Partial<Record<OptionKey, Raw>> = {};
    const givenAs: Partial<Record<OptionKey, string>> = {};
    for (const [attr, value] of Object.entries(cmd.opts())) {
      const entry = byAttribute.get(attr);
      if (!entry || value === undefined) continue;
      const v = value as Raw;
      const before = raw[entry.key];
      if (before !== undefined && before !== v)
        throw new UsageError(
          `${entry.flag} conflicts with ${givenAs[entry.key]}: both set ${specOf(entry.key).flag}`,
          entry.key,
        );
      raw[entry.key] = v;
      givenAs[entry.key] = entry.flag;
    }
    return { raw, givenAs };
  };
}

/**
 * Resolves a command's options: its profile (the one named, or `defaultProfile`), then environment and command line
 * over it; an option left at its default takes the default `command` gives it.
 */
export function resolveCommand<K extends OptionKey>(
  keys: readonly K[],
  cli: CliValues,
  defaultProfile: string | null,
  command: CommandName,
  env: Record<string, string | undefined> = {},
): ResolvedOptions<K> {
  const named = typeof cli.raw.profile === 'string' && cli.raw.profile !== '' ? cli.raw.profile : defaultProfile;
  const profile = named ? loadProfile(named, keys) : null;
  const r = resolveOptions(keys, cli.raw, profile, cli.givenAs, env);
  const values = r.values as Record<string, unknown>;
  for (const key of keys) if (r.sources[key] === 'default') values[key] = defaultIn(key, command);
  return r;
}

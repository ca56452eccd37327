// Every option of the tool, declared once: flag, fio alias, kind, unit,
// default, help and bounds. Commander flags, the TypeScript option types,
// profile validation and the options tables in docs/options.md are all derived
// from it. The options sit in groups (run, disk, connection, load, observe,
// report, qualify, lab), each beside the key lists of the commands that use
// them; this file assembles them and answers for all.
import { CONNECTION_OPTIONS } from './connection-options.js';
import { DISK_OPTION_KEYS, DISK_OPTIONS } from './disk-options.js';
import {
  BURST_LAB_DEFAULTS,
  BURST_LAB_HELP,
  BURST_LAB_OPTION_KEYS,
  LAB_HELP,
  LAB_OPTION_KEYS,
  LAB_OPTIONS,
  NETWORK_LAB_DEFAULTS,
  NETWORK_LAB_HELP,
  NETWORK_LAB_OPTION_KEYS,
  REPLAY_LAB_DEFAULTS,
  REPLAY_LAB_HELP,
  REPLAY_LAB_OPTION_KEYS,
} from './lab-options.js';
import { LOAD_HELP, LOAD_OPTION_KEYS, LOAD_OPTIONS } from './load-options.js';
import { OBSERVE_HELP, OBSERVE_OPTION_KEYS, OBSERVE_OPTIONS } from './observe-options.js';
import { QUALIFY_DEFAULTS, QUALIFY_HELP, QUALIFY_OPTION_KEYS, QUALIFY_OPTIONS } from './qualify-options.js';
import { REPORT_OPTIONS } from './report-options.js';
import { RUN_OPTIONS } from './run-options.js';
import { APPLIES_WORDS, type Applies, type OptionSpec } from './spec.js';

export { LOAD_TRANSPORTS } from './load-options.js';
export {
  BURST_LAB_OPTION_KEYS,
  DISK_OPTION_KEYS,
  LAB_OPTION_KEYS,
  LOAD_OPTION_KEYS,
  NETWORK_LAB_OPTION_KEYS,
  OBSERVE_OPTION_KEYS,
  REPLAY_LAB_OPTION_KEYS,
};
export { QUALIFY_OPTION_KEYS };

export const OPTIONS = {
  ...RUN_OPTIONS,
  ...DISK_OPTIONS,
  ...CONNECTION_OPTIONS,
  ...LOAD_OPTIONS,
  ...OBSERVE_OPTIONS,
  ...REPORT_OPTIONS,
  ...QUALIFY_OPTIONS,
  ...LAB_OPTIONS,
} as const;

export type OptionKey = keyof typeof OPTIONS;
type ValueOf<S> = S extends OptionSpec<infer V> ? V : never;
/** Every option's value, typed from the table. */
export type OptionValues = { -readonly [K in OptionKey]: ValueOf<(typeof OPTIONS)[K]> };

/** A command that gives a shared option another meaning than `disk` does. */
export type CommandName = 'disk' | 'load' | 'qualify' | 'lab' | 'lab-network' | 'lab-burst' | 'lab-replay' | 'observe';

/** Each command's options, every key checked against the table (a typo in a group's list fails to compile). */
export const COMMAND_OPTION_KEYS = {
  disk: DISK_OPTION_KEYS,
  load: LOAD_OPTION_KEYS,
  qualify: QUALIFY_OPTION_KEYS,
  lab: LAB_OPTION_KEYS,
  'lab-network': NETWORK_LAB_OPTION_KEYS,
  'lab-burst': BURST_LAB_OPTION_KEYS,
  'lab-replay': REPLAY_LAB_OPTION_KEYS,
  observe: OBSERVE_OPTION_KEYS,
} as const satisfies Record<CommandName, readonly OptionKey[]>;

const HELP_IN: Partial<Record<CommandName, Partial<Record<OptionKey, string>>>> = {
  load: LOAD_HELP,
  qualify: QUALIFY_HELP,
  lab: LAB_HELP,
  'lab-network': NETWORK_LAB_HELP,
  'lab-burst': BURST_LAB_HELP,
  'lab-replay': REPLAY_LAB_HELP,
  observe: OBSERVE_HELP,
};

/** Defaults a command gives a shared option (the table's default is another command's); the command applies them. */
const DEFAULT_IN: Partial<Record<CommandName, Partial<Record<OptionKey, unknown>>>> = {
  qualify: QUALIFY_DEFAULTS,
  'lab-network': NETWORK_LAB_DEFAULTS,
  'lab-burst': BURST_LAB_DEFAULTS,
  'lab-replay': REPLAY_LAB_DEFAULTS,
};

/** The default of `key` in `command`. */
export function defaultIn(key: OptionKey, command: CommandName): unknown {
  return DEFAULT_IN[command]?.[key] ?? specOf(key).default;
}

/** An option's help text as `command` means it. */
export function helpOf(key: OptionKey, command: CommandName): string {
  const s = specOf(key);
  const help = HELP_IN[command]?.[key] ?? s.help;
  // Where it applies, from the table: "--mode wal: ...", "--workload kube: ...", "qualify: ...", where the
  // command offers the choice (disk its modes and streams, load its targets and workloads).
  const scope = s.when && SCOPES_IN[s.when].includes(command) ? `${APPLIES_WORDS[s.when]}: ` : '';
  return `${scope}${help}`;
}

/** The commands whose help names an option's scope: those where the scope is a choice. */
const SCOPES_IN: Record<Applies, readonly CommandName[]> = {
  seq: ['disk'],
  wal: ['disk'],
  commit: ['disk'],
  neighbours: ['disk'],
  local: ['load'],
  endpoints: ['load'],
  put: ['load'],
  kube: ['load'],
  qualify: ['disk', 'load', 'lab'],
  lab: ['disk', 'load', 'qualify'],
};

/** The keys among `keys` that apply only where `when` says (derived from the table, never listed by hand). */
export function keysWhen<K extends OptionKey>(when: Applies, keys: readonly K[]): K[] {
  return keys.filter((k) => specOf(k).when === when);
}

/** Looks an option up by key without losing the general spec type. */
export function specOf(key: OptionKey): OptionSpec<unknown> {
  return OPTIONS[key] as unknown as OptionSpec<unknown>;
}

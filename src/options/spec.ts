// The kinds of option value (size, duration, rate, ...): how each is parsed,
// checked, described in errors and help, and printed back. The option table
// is built from these, so every option validates the same way everywhere.
import { formatDuration, formatSize, parseBool, parseCount, parseDuration, parseRate, parseSize } from './units.js';

export type Raw = string | number | boolean;

/** How a value of type V is read, bounded and shown. */
export interface OptionSpec<V> {
  flag: string; // the long flag, e.g. '--block-size'
  aliases?: readonly string[]; // fio's spellings, e.g. '--bs'
  kind: 'size' | 'duration' | 'count' | 'factor' | 'rate' | 'bool' | 'enum' | 'path' | 'range' | 'list' | 'text';
  unit?: 'bytes' | 'ns' | 'ops/s' | 'ops';
  default: V;
  help: string;
  /** 'threshold' values go in a profile's "thresholds"; 'run' options (where, how to print) never in a profile. */
  group: 'workload' | 'threshold' | 'run';
  /** An environment variable that sets this option (etcdctl's ETCDCTL_*), below the command line. */
  env?: string;
  /** fio shorthands set other options: `--fdatasync 1` is sync method + interval. */
  expands?: (v: V) => Record<string, Raw>;
  /** Where it applies within its commands (a disk mode or stream, a load target or workload, a command of its own). */
  when?: Applies;
  /** The allowed forms, as printed in errors and the docs. */
  allowed: string;
  /** Parses and bounds-checks; returns the value or null when not allowed. */
  parse(raw: Raw): V | null;
  format(v: V): string;
}

/** Where an option applies, beyond the commands that take it. */
export type Applies =
  | 'seq'
  | 'wal'
  | 'commit'
  | 'neighbours'
  | 'local'
  | 'endpoints'
  | 'put'
  | 'kube'
  | 'qualify'
  | 'lab';

/** How help and errors name where an option applies. */
export const APPLIES_WORDS: Record<Applies, string> = {
  seq: '--mode seq',
  wal: '--mode wal',
  commit: 'with --commit',
  neighbours: 'with --neighbours',
  local: 'the local etcd (no --endpoints)',
  endpoints: 'with --endpoints',
  put: '--workload put',
  kube: '--workload kube',
  qualify: 'qualify',
  lab: 'lab',
};

type Common = Pick<OptionSpec<unknown>, 'flag' | 'aliases' | 'help' | 'env' | 'when'> & {
  group?: OptionSpec<unknown>['group'];
};
type WithExpand<V> = { expands?: (v: V) => Record<string, Raw> };

function bounded(n: number | null, min: number, max: number): number | null {
  return n !== null && n >= min && n <= max ? n : null;
}

function text(raw: Raw): string {
  return typeof raw === 'string' ? raw : String(raw);
}

/** Bytes; accepts 2300, 4k, 22m, 22MiB. */
export function sizeOption(o: Common & { default: number; min: number; max: number }): OptionSpec<number> {
  return {
    group: 'workload',
    ...o,
    kind: 'size',
    unit: 'bytes',
    allowed: `a size from ${formatSize(o.min)} to ${formatSize(o.max)}, e.g. 2300, 4k, 22m, 22MiB`,
    parse: (raw) => bounded(parseSize(text(raw)), o.min, o.max),
    format: formatSize,
  };
}

/** Nanoseconds; accepts 60, 60s, 500ms, 10m. `0` may mean "no limit" where min is 0. */
export function durationOption(o: Common & { default: number; min: number; max: number }): OptionSpec<number> {
  return {
    group: 'workload',
    ...o,
    kind: 'duration',
    unit: 'ns',
    allowed:
      `a duration from ${o.min === 0 ? '0' : formatDuration(o.min)} to ${formatDuration(o.max)}, e.g. 60s, ` +
      `500ms, 10m (a bare number is seconds)`,
    parse: (raw) => bounded(parseDuration(text(raw)), o.min, o.max),
    format: (v) => (v === 0 && o.min === 0 ? '0 (none)' : formatDuration(v)),
  };
}

/** A whole number of operations. */
export function countOption(
  o: Common & WithExpand<number> & { default: number; min: number; max: number },
): OptionSpec<number> {
  return {
    group: 'workload',
    ...o,
    kind: 'count',
    unit: 'ops',
    allowed: `a whole number from ${o.min} to ${o.max}`,
    parse: (raw) => bounded(parseCount(text(raw)), o.min, o.max),
    format: String,
  };
}

/** A multiplier such as 2 or 1.5. */
export function factorOption(o: Common & { default: number; min: number; max: number }): OptionSpec<number> {
  return {
    group: 'workload',
    ...o,
    kind: 'factor',
    allowed: `a number from ${o.min} to ${o.max}, e.g. 2 or 1.5`,
    parse: (raw) => {
      const t = text(raw).trim();
      return /^\d+(\.\d+)?$/.test(t) ? bounded(Number(t), o.min, o.max) : null;
    },
    format: String,
  };
}

/** Operations per second; 0 means unpaced (closed loop). */
export function rateOption(o: Common & { default: number; max: number }): OptionSpec<number> {
  return {
    group: 'workload',
    ...o,
    kind: 'rate',
    unit: 'ops/s',
    allowed: `operations per second from 0 (unpaced) to ${o.max}, e.g. 500, 2k`,
    parse: (raw) => bounded(parseRate(text(raw)), 0, o.max),
    format: (v) => (v === 0 ? '0 (unpaced)' : `${v}/s`),
  };
}

/** true/false; fio's 1/0 too. A bare flag means true. */
export function boolOption(o: Common & { default: boolean }): OptionSpec<boolean> {
  return {
    group: 'workload',
    ...o,
    kind: 'bool',
    allowed: 'true or false (also 1/0, yes/no)',
    parse: (raw) => (typeof raw === 'boolean' ? raw : parseBool(text(raw))),
    format: String,
  };
}

/** One of a fixed list of words. */
export function enumOption<const C extends readonly string[]>(
  o: Common & { choices: C; default: C[number] },
): OptionSpec<C[number]> {
  return {
    group: 'workload',
    ...o,
    kind: 'enum',
    allowed: `one of ${o.choices.join(', ')}`,
    parse: (raw) => (o.choices.includes(text(raw)) ? (text(raw) as C[number]) : null),
    format: String,
  };
}

/** Free text (a key prefix, user:password); `check` may refuse some forms. */
export function textOption(
  o: Common & { default: string; allowed: string; check?: (s: string) => boolean },
): OptionSpec<string> {
  return {
    group: 'workload',
    ...o,
    kind: 'text',
    parse: (raw) => (typeof raw === 'string' && !raw.includes('\0') && (o.check?.(raw) ?? true) ? raw : null),
    format: (v) => (v === '' ? '-' : v),
  };
}

/** A filesystem path (existence is checked later, by whoever uses it). */
export function pathOption(o: Common & { default: string }): OptionSpec<string> {
  return {
    group: 'workload',
    ...o,
    kind: 'path',
    allowed: 'a path',
    parse: (raw) => (typeof raw === 'string' && raw.trim() !== '' && !raw.includes('\0') ? raw : null),
    format: String,
  };
}

/** An inclusive range drawn uniformly per use: "2300" or "2200-2400" (sizes) / "1-8" (counts). */
export interface Range {
  min: number;
  max: number;
}

/** A range of sizes or counts; "N" means exactly N. */
export function rangeOption(
  o: Common & { of: 'size' | 'count'; default: Range; min: number; max: number },
): OptionSpec<Range> {
  const one = (s: string) => (o.of === 'size' ? parseSize(s) : parseCount(s));
  const show = (n: number) => (o.of === 'size' ? formatSize(n) : String(n));
  return {
    group: 'workload',
    ...o,
    kind: 'range',
    unit: o.of === 'size' ? 'bytes' : 'ops',
    allowed:
      `${o.of === 'size' ? 'a size' : 'a count'} or a range MIN-MAX (drawn uniformly) within ` +
      `${show(o.min)}-${show(o.max)}, e.g. ${o.of === 'size' ? '2300 or 2200-2400' : '1 or 1-8'}`,
    parse: (raw) => {
      const parts = text(raw).split('-');
      if (parts.length > 2) return null;
      const lo = one(parts[0]!);
      const hi = parts.length === 2 ? one(parts[1]!) : lo;
      if (lo === null || hi === null || lo > hi || lo < o.min || hi > o.max) return null;
      return { min: lo, max: hi };
    },
    format: (v) => (v.min === v.max ? show(v.min) : `${show(v.min)}-${show(v.max)}`),
  };
}

/** A comma-separated list of words from `choices`, no repeats; empty means off. */
export function listOption<const C extends readonly string[]>(
  o: Common & { choices: C; default: C[number][] },
): OptionSpec<C[number][]> {
  return {
    group: 'workload',
    ...o,
    kind: 'list',
    allowed: `a comma-separated list of ${o.choices.join(', ')} (empty: off)`,
    parse: (raw) => {
      const items = text(raw)
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');
      if (items.some((s) => !o.choices.includes(s)) || new Set(items).size !== items.length) return null;
      return items as C[number][];
    },
    format: (v) => (v.length === 0 ? 'off' : v.join(',')),
  };
}

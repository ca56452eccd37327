// Parsing of sizes, durations and counts as users type them (fio's spellings
// included). Each parser returns a number or null; the option table turns a
// null into a UsageError that names the option and the allowed forms.

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1024,
  kb: 1024,
  kib: 1024,
  m: 1024 ** 2,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  g: 1024 ** 3,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
  t: 1024 ** 4,
  tb: 1024 ** 4,
  tib: 1024 ** 4,
};

/** Bytes from "2300", "4k", "22m", "22MiB", "1g" (binary multiples, as fio's default kb_base=1024). */
export function parseSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!m) return null;
  const factor = SIZE_UNITS[(m[2] ?? '').toLowerCase()];
  if (factor === undefined) return null;
  const bytes = Number(m[1]) * factor;
  return Number.isSafeInteger(bytes) ? bytes : null;
}

const DURATION_UNITS: Record<string, number> = {
  '': 1e9,
  s: 1e9,
  sec: 1e9,
  ns: 1,
  us: 1e3,
  ms: 1e6,
  m: 60e9,
  min: 60e9,
  h: 3600e9,
  d: 86400e9,
};

/**
 * Nanoseconds from "60", "60s", "500ms", "10m", "1h", "7d", "1m30s" (a bare number is seconds, as fio's runtime).
 */
export function parseDuration(text: string): number | null {
  const s = text.trim().toLowerCase();
  if (s === '') return null;
  const part = /(\d+(?:\.\d+)?)(ns|us|ms|sec|min|s|m|h|d)?/y;
  let total = 0;
  let pos = 0;
  let parts = 0;
  while (pos < s.length) {
    part.lastIndex = pos;
    const m = part.exec(s);
    if (!m) return null;
    const unit = m[2] ?? '';
    if (unit === '' && pos + m[0].length < s.length) return null;
    total += Number(m[1]) * (DURATION_UNITS[unit] ?? NaN);
    pos += m[0].length;
    parts++;
  }
  if (parts === 0 || !Number.isFinite(total)) return null;
  return Math.round(total);
}

/** A whole number, optionally with k/m suffixes for thousands ("10k" = 10000). */
export function parseCount(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*$/i.exec(text);
  if (!m) return null;
  const factor = { '': 1, k: 1e3, m: 1e6 }[(m[2] ?? '').toLowerCase()] ?? 1;
  const n = Number(m[1]) * factor;
  return Number.isSafeInteger(n) ? n : null;
}

/** A rate in operations per second: "500", "2k", "500/s". */
export function parseRate(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([km]?)\s*(?:\/s)?\s*$/i.exec(text);
  if (!m) return null;
  const n = Number(m[1]) * ({ '': 1, k: 1e3, m: 1e6 }[(m[2] ?? '').toLowerCase()] ?? 1);
  return Number.isFinite(n) ? n : null;
}

/** Booleans as fio writes them (1/0) and as people do (true/false, yes/no, on/off). */
export function parseBool(text: string): boolean | null {
  const s = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off'].includes(s)) return false;
  return null;
}

/** "2300 B", "22 MiB": sizes printed back the way a reader expects. */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1 && Number.isInteger(v / 1024)) {
    v /= 1024;
    i++;
  }
  return `${v} ${units[i]}`;
}

/** "60 s", "500 ms": durations printed back. */
export function formatDuration(ns: number): string {
  if (ns % 86400e9 === 0 && ns >= 86400e9) return `${ns / 86400e9} d`;
  if (ns % 3600e9 === 0 && ns >= 3600e9) return `${ns / 3600e9} h`;
  if (ns % 60e9 === 0 && ns >= 60e9) return `${ns / 60e9} min`;
  if (ns >= 1e9) return `${+(ns / 1e9).toFixed(3)} s`;
  return `${+(ns / 1e6).toFixed(3)} ms`;
}

export const KiB = 1024;
export const MiB = 1024 ** 2;
export const TiB = 1024 ** 4;

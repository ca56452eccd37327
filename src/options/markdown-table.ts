// The options tables of docs/options.md, generated from the option table so the two
// cannot drift apart (a test compares them).
import { builtInProfiles } from './profiles.js';
import { defaultIn, helpOf, specOf, type CommandName, type OptionKey } from './table.js';

/** A Markdown table of `keys`: flag (with fio aliases), allowed values, default, meaning (as `command` means it). */
export function optionsMarkdown(keys: readonly OptionKey[], command: CommandName): string {
  const rows = ['| option | values | default | what it does |', '|---|---|---|---|'];
  for (const key of keys) {
    const s = specOf(key);
    const flags = [s.flag, ...(s.aliases ?? [])].map((f) => `\`${f}\``).join(', ');
    const values = key === 'profile' ? `${builtInProfiles(keys).join(', ')}, or a file` : s.allowed;
    // The default as this command has it (lab slow-network starts 3 members, not the table's 1).
    const dflt = s.expands ? '-' : s.kind === 'path' && s.default === '' ? '-' : s.format(defaultIn(key, command));
    const where = s.group === 'threshold' ? ' (threshold)' : '';
    rows.push(`| ${flags} | ${values.replace(/\|/g, '\\|')} | ${dflt} | ${helpOf(key, command)}${where} |`);
  }
  return rows.join('\n');
}

/** The generated sections of docs/options.md: one options table per command, between these markers. */
export function readmeMarkers(command: string): { begin: string; end: string } {
  return {
    begin: `<!-- options:${command} begin (generated: npm run docs) -->`,
    end: `<!-- options:${command} end -->`,
  };
}

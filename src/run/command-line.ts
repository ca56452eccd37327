// The command that reproduces a run, as a reader pastes it back into a shell.
import { TOOL } from '../core/version.js';

/** POSIX-shell quoting, so a report's command line can be pasted back. */
export function shellQuote(args: string[]): string {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}

/** The command line of a run from its recorded argv (argv[0] is the script): the tool's name, then the rest. */
export function commandLineOf(argv: string[]): string {
  return shellQuote([TOOL.name, ...argv.slice(1)]);
}

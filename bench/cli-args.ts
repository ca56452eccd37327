// The CLI as the benches start it: node's arguments as its bin runs (the
// flags of its shebang, src/core/gc-schedule.ts, then the script), so a
// figure measured here is the one a user's `etcd-disk-bench` gives.
import { join } from 'node:path';
import { NODE_FLAGS } from '../src/core/gc-schedule.js';
import { PACKAGE_ROOT } from '../src/core/paths.js';

export const cli = join(PACKAGE_ROOT, 'dist', 'src', 'cli', 'main.js');

/** Arguments for `process.execPath` that run the CLI with `args`. */
export function cliArgs(...args: string[]): string[] {
  return [...NODE_FLAGS, cli, ...args];
}

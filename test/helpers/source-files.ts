// The TypeScript files under a folder, for tests that read the code itself
// (the layering, the architecture map).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Every .ts file under `dir`, as paths joined to it. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(dir, f));
}

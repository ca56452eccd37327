// Fills a filesystem in tests: util-linux fallocate(1) reserves space at once.
import { execFileSync } from 'node:child_process';

export function fallocateSync(path: string, bytes: number): void {
  execFileSync('fallocate', ['-l', String(bytes), path]);
}

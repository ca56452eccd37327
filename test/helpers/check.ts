// A check as the grade and the views read it, for pure tests: id as title,
// ns against 10 ms unless the test says otherwise.
import type { Check } from '../../src/verdict/check.js';

export function check(id: string, status: Check['status'], measured: number | null, extra: Partial<Check> = {}): Check {
  return { id, title: id, unit: 'ns', comparison: '<', measured, limit: 10e6, status, source: 'test', ...extra };
}

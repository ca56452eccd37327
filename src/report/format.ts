// Number formatting shared by the text views.

/** All latencies print in milliseconds with microsecond resolution: one unit, scripts can read it. */
export function ms(ns: number | null): string {
  return ns === null ? '-' : (ns / 1e6).toFixed(3);
}

// When V8 starts marking the old generation. By default it starts as soon as
// the old generation's headroom is below the young generation's target size;
// for this tool's small heap (about 20 MB live, most of it loaded code) that
// is about once a second under a 500/s load, each mark retracing the same
// live code on V8's worker threads: measured, a third of the load client's
// CPU. V8's soft and hard triggers move the start to 90 % of the headroom
// used (at once from 95 %). V8 reads both at each allocation-limit check, so
// setting them at run time takes effect (checked: 9-12 mark-compacts in a
// 20 s kube load at 500/s before, 1 after). Process-wide: worker threads too.
import { setFlagsFromString } from 'node:v8';

export const MARKING_TRIGGERS = ['--incremental-marking-soft-trigger=90', '--incremental-marking-hard-trigger=95'];

/** Starts old-generation marking late in the headroom instead of early (see above). Once per process. */
export function markOldGenerationLate(): void {
  for (const flag of MARKING_TRIGGERS) setFlagsFromString(flag);
}

// When V8 starts marking the old generation: the flags the CLI's shebang
// starts node with. By default V8 starts an incremental mark-compact as soon
// as the old generation's headroom is below the young generation's size; for
// this tool's small heap (about 18 MB live, most of it loaded code) that was
// about once a second under the kube load at 500/s, each mark retracing the
// same code on V8's worker threads, and new space was never scavenged: 18
// mark-compacts in a 30 s load. With marking started at 90 % of the headroom
// (at once from 95 %): 1, and 15-20 % less client CPU a request. V8 takes
// them reliably only at startup (set from JavaScript they left 8-12), hence
// the shebang; `node dist/src/cli/main.js` runs without them, and the benches
// start the CLI as its bin does (bench/cli-args.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export const MARKING_TRIGGERS = ['--incremental-marking-soft-trigger=90', '--incremental-marking-hard-trigger=95'];

/**
 * No background threads for V8: garbage collection and optimising compiles run on the main thread. With them, a
 * scavenge's parallel tasks and the start-up's compile jobs took both CPUs of a 2-core host for 2-14 ms at a time,
 * and the disk writer waited for a CPU inside its fdatasync (bench:tail: 85 ms of run-queue wait in the slow
 * operations of three 12 s runs, behind V8's threads; issue 41).
 */
export const NO_BACKGROUND_THREADS = ['--single-threaded'];

/** Node's flags for the CLI. */
export const NODE_FLAGS = [...MARKING_TRIGGERS, ...NO_BACKGROUND_THREADS];

let gc: (() => void) | null = null;

/**
 * A full collection now: at the end of a disk phase's warm-up (disk/warm-up.ts), before any writer is timed. The
 * warm-up left 12.4 MB of the young generation in use, and a run allocates about 0.14 MB a second: a 20 s recipe
 * run met a scavenge 14 s in, 9.7 ms on the JS thread, which a writer sharing its CPU waits behind on a 2-core
 * host. After the collection, 0.3 MB is in use.
 *
 * gc() comes from V8's --expose-gc, set at run time and read from a new context (the main one lacks it),
 * not from the shebang: one more flag made the line 128 characters, and kernels before 5.1 cut it at 127.
 *
 * A caller that has just had code optimised must keep alive the objects that code saw: optimised code holds them
 * weakly, and V8 drops it when a collection frees them (disk/warm-up.ts keeps its last round's).
 */
export function collectNow(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}

/** The first line of the CLI's entry: node started with NODE_FLAGS. */
export const CLI_SHEBANG = `#!/usr/bin/env -S node ${NODE_FLAGS.join(' ')}`;

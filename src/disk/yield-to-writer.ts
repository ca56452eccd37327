// While a native writer is measured, the JS thread yields the CPU to it. That
// thread does everything else of the run (its batches, the ticks and, since V8
// runs without background threads, the garbage collection and compiles); on a
// 2-core host the writer, woken by its I/O, otherwise waited behind it for a
// CPU inside its fdatasync (bench:tail, issue 41). Linux's nice is per thread:
// this sets the JS thread's alone, and puts it back afterwards. Putting a nice
// value back down needs CAP_SYS_NICE, so only root yields; elsewhere nothing
// changes, and the report says which. The writer itself keeps its priority, as
// fio's does: the disk is not favoured over the host's other work.
import { getPriority, setPriority } from 'node:os';

/** The JS thread's nice value while a writer runs (0 is the default; 19 the lowest priority). */
export const YIELD_NICE = 5;

export interface Yielding {
  /** The JS thread's nice value during the run, or null when it was left as it was (not root). */
  niceDuring: number | null;
  restore(): void;
}

/** Lowers the calling (JS) thread's priority when it can be restored; restore() puts it back. */
export function yieldToWriter(isRoot = process.geteuid?.() === 0): Yielding {
  if (!isRoot) return { niceDuring: null, restore: () => {} };
  const before = getPriority(0);
  const during = Math.max(before, YIELD_NICE);
  try {
    setPriority(0, during);
  } catch {
    return { niceDuring: null, restore: () => {} };
  }
  return { niceDuring: during, restore: () => setPriority(0, before) };
}

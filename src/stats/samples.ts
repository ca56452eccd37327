// The layout of the sample batches both engines produce: five float64s per
// operation, all nanoseconds. Must match native/src/writer.h (SAMPLE_STRIDE).

/** Start of the op's write(), from the run's start. */
export const S_START = 0;
/** Duration of the write() call. */
export const S_WRITE = 1;
/** Duration of the sync call; -1 when this op had none. */
export const S_SYNC = 2;
/** write() start to sync end: what the caller waited. */
export const S_SERVICE = 3;
/** Intended start (open loop) to end; -1 when unpaced. */
export const S_RESPONSE = 4;
export const SAMPLE_STRIDE = 5;

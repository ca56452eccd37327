// Calls a function once a second, each time just after another whole second
// has passed since `t0` by the monotonic clock. setInterval(fn, 1000) can fire
// up to a millisecond before hrtime says a second has passed (libuv's loop
// clock is coarser), so the first tick read 0.999 s: "00:00" and no closed
// second to show. It also drifts; this does neither.

/** Stops the ticking. */
export type StopTicking = () => void;

/**
 * Calls `fn(elapsedNs)` after 1 s, 2 s, ... since `t0` (a process.hrtime.bigint()),
 * `marginMs` past each whole second (so the second's last samples have arrived);
 * elapsedNs is at least that many seconds.
 */
export function everySecond(t0: bigint, fn: (elapsedNs: number) => void, marginMs = 5): StopTicking {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let next = 1;
  const schedule = () => {
    const elapsedMs = Number(process.hrtime.bigint() - t0) / 1e6;
    timer = setTimeout(tick, Math.max(0, next * 1000 + marginMs - elapsedMs));
  };
  const tick = () => {
    if (stopped) return;
    const elapsedNs = Number(process.hrtime.bigint() - t0);
    if (elapsedNs < next * 1e9) return schedule();
    // a tick that came late by whole seconds does not fire for the ones it missed
    next = Math.floor(elapsedNs / 1e9) + 1;
    fn(elapsedNs);
    if (!stopped) schedule();
  };
  schedule();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

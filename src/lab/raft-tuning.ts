// etcd's tuning guide applied to a measured round trip: the heartbeat interval
// near the members' average round trip (0.5-1.5x), the election timeout at
// least ten times the round trip (and, as etcd itself requires, at least five
// heartbeats; its defaults keep ten). Below etcd's defaults they are kept.
// When a link was silent longer than that (a stall: the lab's --stall), the
// election timeout must also outlast the silence a follower sees: the longest
// delay measured on a link, with a quarter to spare, plus two heartbeats.

export const TUNING_SOURCE =
  "etcd tuning guide: --heartbeat-interval around the members' average round-trip time (0.5-1.5x), " +
  '--election-timeout at least 10x the round trip; defaults 100 ms and 1000 ms';

const up = (x: number, step: number) => Math.ceil(x / step) * step;

/**
 * The advice for a round trip (ns); `from` says what the figure is. `silenceNs`: the longest a link held a message
 * back (0: not known).
 */
export function raftTuning(
  rttNs: number,
  from: string,
  silenceNs = 0,
): { heartbeatMs: number; electionMs: number; text: string } {
  const rttMs = rttNs / 1e6;
  const heartbeatMs = Math.max(100, up(rttMs, 10));
  const byRtt = Math.min(50_000, Math.max(1000, up(10 * rttMs, 100), 10 * heartbeatMs));
  const bySilence = Math.min(50_000, up((1.25 * silenceNs) / 1e6 + 2 * heartbeatMs, 100));
  const electionMs = Math.max(byRtt, bySilence);
  const defaults = heartbeatMs === 100 && electionMs === 1000;
  return {
    heartbeatMs,
    electionMs,
    text:
      `${from}: ${rttMs.toFixed(1)} ms; ` +
      (defaults
        ? "etcd's defaults fit (--heartbeat-interval=100 --election-timeout=1000)"
        : `set --heartbeat-interval=${heartbeatMs} --election-timeout=${electionMs} on every member`) +
      (bySilence > byRtt
        ? ` (the election timeout outlasts the longest silence measured on a link, ${(silenceNs / 1e6).toFixed(0)} ` +
          `ms, with a quarter to spare and two heartbeats; ${byRtt} ms would do for the round trip alone)`
        : '') +
      ` (${TUNING_SOURCE})`,
  };
}

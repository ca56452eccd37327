// Calls expiring together on a paced wire: the session takes back the latest
// first. A stream's frames wait behind those of streams opened before it, so
// taking an earlier one back first frees the wire for a later expired call's
// HEADERS, and the pacer thread (here one that wins every race) writes them
// before the session reaches that call: a request already past its deadline
// would be sent. The wire below keeps the order and the connection's window
// as the native pacer does, and writes whatever is free the moment it can.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Wire, WireEvents } from '../../../src/etcd-grpc/h2/byte-wire.js';
import { CLIENT_DEADLINE, GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';

interface Queued {
  seq: number;
  flowBytes: number;
}

/** An ordered wire with a 64 KiB connection window that is never given back (a stopped server). */
function eagerWire(): { dial: (t: unknown, e: WireEvents) => Wire; written: number[] } {
  const written: number[] = [];
  const queue: Queued[] = [];
  let window = 65_535;
  let seq = 0;
  const pump = () => {
    while (queue.length > 0 && queue[0]!.flowBytes <= window) {
      const q = queue.shift()!;
      window -= q.flowBytes;
      written.push(q.flowBytes);
    }
  };
  const dial = (_t: unknown, events: WireEvents): Wire => {
    setImmediate(() => events.connected());
    let destroyed = false;
    return {
      borrowed: false,
      paced: true,
      keepsWindow: true,
      write(_bytes: Buffer, dueAtMs?: number, flowBytes = 0) {
        if (dueAtMs === undefined) return 0; // control frames go at once
        queue.push({ seq: ++seq, flowBytes });
        pump();
        return seq;
      },
      credit: () => undefined,
      withdraw(s: number) {
        const k = queue.findIndex((q) => q.seq === s);
        if (k < 0) return false;
        queue.splice(k, 1);
        pump(); // the pacer thread, faster than the session: what was behind goes now
        return true;
      },
      end: () => undefined,
      destroy: () => {
        destroyed = true;
        events.closed();
      },
      get destroyed() {
        return destroyed;
      },
    };
  };
  return { dial, written };
}

test('calls expiring together: the latest is taken back first, none written after its deadline', async () => {
  const wire = eagerWire();
  const s = new GrpcSession({ host: '127.0.0.1', port: 1, deadlineMs: 20, dialTimeoutMs: 5000, dial: wire.dial });
  // Due later than the twelve calls take to make even on a busy host: they share one deadline, due + 20 ms.
  const due = performance.now() + 300;
  const alive = setTimeout(() => undefined, 10_000); // the session's deadline timer does not hold the process
  const codes = await Promise.all(
    Array.from(
      { length: 12 },
      () =>
        new Promise<number>((resolve) =>
          s.call('/etcdserverpb.KV/Put', Buffer.alloc(50_000, 1), (code) => resolve(code), '', due),
        ),
    ),
  );
  clearTimeout(alive);
  s.close();
  // The first call's 50 KB fit the window; the second's HEADERS went, its DATA waits; the ten behind never went.
  assert.deepEqual(
    codes.map((c) => (c === CLIENT_DEADLINE ? 'taken back' : c)),
    [4, 4, ...Array(10).fill('taken back')],
  );
  // Written, by the DATA bytes in each: call 1's HEADERS and its message in 4 frames, then call 2's HEADERS only (its
  // frames are taken back last first, so its final frame cannot slip out behind the earlier ones).
  assert.deepEqual(wire.written, [0, 16_384, 16_384, 16_384, 853, 0]);
});

// The peer proxies' own thread: their timers must not wait behind the load
// generator's event loop (that wait would be added to the delay), so they run
// here. Started by peer-proxies.ts; answers its messages.
import { parentPort, workerData } from 'node:worker_threads';
import { DelayProxy, type LinkDelay, linkName, StallClock } from './delay-proxy.js';
import { dialerOf } from './socket-owner.js';

export interface ProxyWorkerInput {
  /** The members' real peer ports, by member index. */
  targetPorts: number[];
  delay: LinkDelay;
  /** null: every link is delayed; else only the links of this member (either end). */
  slowIndex: number | null;
}

const input = workerData as ProxyWorkerInput;
let pids: number[] = [];
const NONE: LinkDelay = { delayNs: 0, jitterNs: 0, stall: null };
const clock = new StallClock();

const proxies = input.targetPorts.map(
  (port, target) =>
    new DelayProxy(
      port,
      (remotePort, localPort) => {
        if (input.slowIndex === null) return input.delay;
        if (target === input.slowIndex) return input.delay;
        // A connection to a healthy member is held back only when the slowed member dialed it.
        return dialerOf(remotePort, localPort, pids) === input.slowIndex ? input.delay : NONE;
      },
      clock,
      (remotePort, localPort) => {
        const dialer = dialerOf(remotePort, localPort, pids);
        return dialer === null || dialer === target ? null : linkName(dialer, target);
      },
    ),
);

const ports = await Promise.all(proxies.map((p) => p.listen()));
parentPort!.postMessage({ type: 'ready', ports });
parentPort!.on('message', async (m: { type: string; pids?: number[] }) => {
  if (m.type === 'pids') pids = m.pids!;
  else if (m.type === 'start-stalls') clock.originMs = performance.now();
  else if (m.type === 'stop-stalls') clock.untilMs = performance.now();
  else if (m.type === 'stats')
    parentPort!.postMessage({
      type: 'stats',
      stats: proxies.map((p) => ({
        counts: p.stats,
        added: p.added.encode(),
        links: Object.fromEntries([...p.links].map(([k, l]) => [k, { chunks: l.chunks, added: l.added.encode() }])),
      })),
    });
  else if (m.type === 'close') {
    await Promise.all(proxies.map((p) => p.close()));
    parentPort!.postMessage({ type: 'closed' });
  }
});

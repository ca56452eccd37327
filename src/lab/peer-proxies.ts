// The delaying proxies in front of the lab's members' peer ports, run in a
// worker thread of their own. Each member advertises its proxy's address to
// the others, so every peer message passes one proxy: the one in front of
// the member the connection was dialed to (etcd's streams carry a member's
// messages back on connections its peers dialed). Holding both directions
// back by D gives each message D one way and each probe 2D round trip.
import { Worker } from 'node:worker_threads';
import type { CleanupRegistry } from '../run/cleanup.js';
import type { LinkDelay, ProxyStats } from './delay-proxy.js';
import type { ProxyWorkerInput } from './proxy-worker.js';

export interface ProxyReading {
  counts: ProxyStats;
  /** The added delays, ns, as LatencyHistogram.encode() wrote them. */
  added: string;
  /** The same per link ("0-2": the two members' indexes, lower first), with every chunk it carried, delayed or not. */
  links: Record<string, { chunks: number; added: string }>;
}

export class PeerProxies {
  private constructor(
    private readonly worker: Worker,
    /** The proxies' ports, by member index. */
    readonly ports: number[],
  ) {}

  static async start(
    targetPorts: number[],
    delay: LinkDelay,
    slowIndex: number | null,
    cleanup: CleanupRegistry,
  ): Promise<PeerProxies> {
    const input: ProxyWorkerInput = { targetPorts, delay, slowIndex };
    const worker = new Worker(new URL('./proxy-worker.js', import.meta.url), { workerData: input });
    const ports = await new Promise<number[]>((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { type: string; ports: number[] }) => resolve(m.ports));
    });
    const proxies = new PeerProxies(worker, ports);
    cleanup.add('stop the peer proxies', () => proxies.close());
    return proxies;
  }

  /** The members' process ids, by index: the proxies tell who dialed a connection by them. */
  setPids(pids: number[]): void {
    this.worker.postMessage({ type: 'pids', pids });
  }

  /** Stalls (when the delay has a plan for them) are counted from now. */
  startStalls(): void {
    this.worker.postMessage({ type: 'start-stalls' });
  }

  /** No stall starts from now (the load has ended): stalls are the load's scenario, not its teardown's. */
  stopStalls(): void {
    this.worker.postMessage({ type: 'stop-stalls' });
  }

  /** Each proxy's counts and the delays it added (an encoded histogram). */
  stats(): Promise<ProxyReading[]> {
    return this.ask<ProxyReading[]>('stats', 'stats');
  }

  private ask<T>(type: string, answer: string): Promise<T> {
    return new Promise((resolve) => {
      const on = (m: { type: string; stats?: T }) => {
        if (m.type !== answer) return;
        this.worker.off('message', on);
        resolve(m.stats as T);
      };
      this.worker.on('message', on);
      this.worker.postMessage({ type });
    });
  }

  private closed: Promise<void> | null = null;

  /** Closes every connection and the thread (once; later calls wait for the first). */
  close(): Promise<void> {
    this.closed ??= this.ask<void>('close', 'closed').then(async () => {
      await this.worker.terminate();
    });
    return this.closed;
  }
}

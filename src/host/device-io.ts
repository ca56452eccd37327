// What the target's block devices really did while a phase ran, from
// /proc/diskstats once a second: writes and flushes completed, bytes written
// and reads completed. These are the I/Os a cloud volume counts against its
// IOPS and burst credits, whoever issued them, after the kernel merged them.
// The devices counted are the physical ones under the filesystem (through
// partitions and device-mapper), which is what a provider bills.
import { readFileSync } from 'node:fs';

/** The counters of one device, as /proc/diskstats gives them since boot. */
export interface DiskCounters {
  reads: number;
  writes: number;
  sectorsWritten: number;
  /** Flushes completed (kernel 5.5 and later; 0 where the line has no such field). */
  flushes: number;
}

/** One second (or the phase) of device I/O. */
export interface DeviceIoFigures {
  writes: number;
  flushes: number;
  bytesWritten: number;
  reads: number;
}

/** A phase's device I/O, or why there is none. */
export type DeviceIo =
  | {
      available: true;
      /** The devices counted, summed. */
      devices: string[];
      /** From the first reading to the last, ns. */
      elapsedNs: number;
      perSecond: DeviceIoFigures[];
      totals: DeviceIoFigures;
      /** Writes completed per second over the phase. */
      writeIops: number;
    }
  | { available: false; reason: string };

/** The devices' counters, by name, from /proc/diskstats' text (fields as Documentation/admin-guide/iostats.rst). */
export function parseDiskstats(text: string): Map<string, DiskCounters> {
  const out = new Map<string, DiskCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14) continue;
    const n = (i: number) => Number(f[i] ?? 0) || 0;
    out.set(f[2]!, { reads: n(3), writes: n(7), sectorsWritten: n(9), flushes: f.length >= 20 ? n(18) : 0 });
  }
  return out;
}

function readCounters(devices: string[], path: string): DiskCounters | null {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return null;
  }
  const all = parseDiskstats(text);
  const sum: DiskCounters = { reads: 0, writes: 0, sectorsWritten: 0, flushes: 0 };
  for (const d of devices) {
    const c = all.get(d);
    if (!c) return null;
    sum.reads += c.reads;
    sum.writes += c.writes;
    sum.sectorsWritten += c.sectorsWritten;
    sum.flushes += c.flushes;
  }
  return sum;
}

const delta = (a: DiskCounters, b: DiskCounters): DeviceIoFigures => ({
  writes: b.writes - a.writes,
  flushes: b.flushes - a.flushes,
  // /proc/diskstats counts 512-byte sectors whatever the device's block size.
  bytesWritten: (b.sectorsWritten - a.sectorsWritten) * 512,
  reads: b.reads - a.reads,
});

/** Reads the devices' counters once a second from `start` to `stop`. */
export class DeviceIoSampler {
  private first: { at: bigint; c: DiskCounters } | null = null;
  private last: { at: bigint; c: DiskCounters } | null = null;
  private readonly perSecond: DeviceIoFigures[] = [];
  private timer: NodeJS.Timeout | null = null;
  private failed: string | null = null;

  /** `devices` empty: the filesystem has no block device, and `why` says so. */
  constructor(
    private readonly devices: string[],
    private readonly why = 'no block device under the target',
    private readonly path = '/proc/diskstats',
  ) {}

  start(): void {
    if (this.devices.length === 0) return;
    const c = readCounters(this.devices, this.path);
    if (!c) {
      this.failed = `${this.devices.join(', ')} not found in ${this.path}`;
      return;
    }
    this.first = { at: process.hrtime.bigint(), c };
    this.last = this.first;
    this.timer = setInterval(() => this.sample(), 1000);
    this.timer.unref();
  }

  private sample(): void {
    const c = readCounters(this.devices, this.path);
    if (!c || !this.last) return;
    this.perSecond.push(delta(this.last.c, c));
    this.last = { at: process.hrtime.bigint(), c };
  }

  /** Stops, with a last reading for the part-second since the previous one. */
  stop(): DeviceIo {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.devices.length === 0) return { available: false, reason: this.why };
    if (this.failed || !this.first) return { available: false, reason: this.failed ?? 'not started' };
    this.sample();
    const elapsedNs = Number(this.last!.at - this.first.at);
    const totals = delta(this.first.c, this.last!.c);
    return {
      available: true,
      devices: this.devices,
      elapsedNs,
      perSecond: this.perSecond,
      totals,
      writeIops: elapsedNs > 0 ? Math.round((totals.writes * 1e10) / elapsedNs) / 10 : 0,
    };
  }
}

/** The devices to count for a filesystem: its physical devices, or none with the reason. */
export function countedDevices(
  device: { physical: { name: string }[] } | null,
  fsType: string,
): {
  devices: string[];
  why: string;
} {
  if (!device || device.physical.length === 0)
    return { devices: [], why: `${fsType} has no block device here: no device I/O to count` };
  return { devices: device.physical.map((p) => p.name), why: '' };
}

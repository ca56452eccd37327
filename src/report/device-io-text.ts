// Device I/O and the burst forecast in words, for every text view that shows a
// phase's devices (disk, qualify).
import type { BurstForecast } from '../verdict/burst.js';
import type { DeviceIo } from '../host/device-io.js';

const mib = (b: number) => `${(b / 1048576).toFixed(1)} MiB`;

/** "device I/O: 10034 writes (5280.9/s), ..." or why nothing was counted; null for results before it. */
export function deviceIoLine(io: DeviceIo | undefined, perRequest?: number | null): string | null {
  if (!io) return null;
  if (!io.available) return `device I/O: not counted (${io.reason})`;
  const t = io.totals;
  return (
    `device I/O: ${t.writes} writes (${io.writeIops}/s), ${t.flushes} flushes, ${mib(t.bytesWritten)} written, ` +
    `${t.reads} reads on ${io.devices.join('+')} (all of the device's I/O, /proc/diskstats)` +
    (perRequest !== undefined && perRequest !== null ? `; ${perRequest} device writes per request` : '')
  );
}

/** The volume's model in one line (the demand and minutes to empty are the check's); null without --volume. */
export function burstLine(b: BurstForecast | null | undefined): string | null {
  if (!b) return null;
  const m = b.model;
  return (
    `volume:   ${b.volume}: baseline ${m.baselineIops} IOPS, burst ${m.burstIops}, ` +
    (m.creditsFull > 0
      ? `a bucket of ${m.creditsFull} credits that refills in ${b.minutesToRefill} min idle`
      : 'no credits')
  );
}

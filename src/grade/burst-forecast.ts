// The burst-credit forecast: a volume's bucket (--volume) against the device
// writes per second a run really issued. A demand at or below the baseline is
// sustainable; above it, a full bucket drains at (demand - baseline) credits a
// second, and refills at the baseline while idle; above the burst, the volume
// throttles at once.
import type { DeviceIo } from '../host/device-io.js';
import { parseVolume, type VolumeModel } from '../options/volume.js';
import type { Check } from '../verdict/check.js';
import type { BurstForecast } from '../verdict/burst.js';

/** Above this share of the baseline the check warns: little headroom for a busier hour. */
export const BURST_WARN_SHARE = 0.7;

const round1 = (n: number) => Math.round(n * 10) / 10;
/** Minutes to empty to a hundredth (0.6 s): a small bucket drains in seconds. */
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The forecast for `model` at the device writes `io` measured (`where`: which phase, at what rate). */
export function forecastBurst(model: VolumeModel, io: DeviceIo | undefined, where: string): BurstForecast {
  const demand = io?.available ? { writeIops: io.writeIops, source: where } : null;
  const d = demand?.writeIops ?? null;
  const minutesToEmpty =
    d === null || d <= model.baselineIops
      ? null
      : d > model.burstIops || model.creditsFull === 0
        ? 0
        : round2(model.creditsFull / (d - model.baselineIops) / 60);
  return {
    volume: model.spec,
    model: { baselineIops: model.baselineIops, burstIops: model.burstIops, creditsFull: model.creditsFull },
    demand,
    minutesToEmpty,
    minutesToRefill: model.creditsFull > 0 ? round1(model.creditsFull / model.baselineIops / 60) : null,
    sustainable: d === null ? null : d <= model.baselineIops,
    source: model.source,
  };
}

/** "sustained IOPS within the volume's baseline": fails above it, warns above 70 % of it. */
export function burstCheck(f: BurstForecast, hdd: boolean, whyNoDemand: string): Check {
  const base = {
    id: 'volume-baseline-iops',
    title: `sustained device writes within ${f.volume}'s baseline`,
    unit: 'ops/s',
    comparison: '<=',
    limit: f.model.baselineIops,
    source: f.source,
  } as const;
  if (hdd)
    return {
      ...base,
      measured: f.demand?.writeIops ?? null,
      status: 'fail',
      note: "a hard disk volume: etcd's WAL needs low-latency synced writes, which st1 and sc1 do not give",
    };
  if (!f.demand) return { ...base, measured: null, status: 'not-run', note: whyNoDemand };
  const d = f.demand.writeIops;
  const at = `at ${d} device writes/s (${f.demand.source})`;
  if (d > f.model.baselineIops)
    return {
      ...base,
      measured: d,
      status: 'fail',
      note:
        f.minutesToEmpty === 0
          ? `${at} the volume throttles at once: the demand exceeds its ${f.model.burstIops} IOPS ceiling`
          : `${at} a full bucket of ${f.model.creditsFull} credits empties in ${f.minutesToEmpty} min; then the ` +
            `volume runs at ${f.model.baselineIops} IOPS and etcd's fsyncs queue (the EBS gp2 incident)`,
    };
  if (d > BURST_WARN_SHARE * f.model.baselineIops)
    return {
      ...base,
      measured: d,
      status: 'warn',
      note: `${at}: over ${BURST_WARN_SHARE * 100} % of the baseline, little headroom for a busier hour`,
    };
  return { ...base, measured: d, status: 'pass', note: `${at}: sustainable without credits` };
}

/**
 * `--volume`'s forecast and its check from the device writes a phase issued (`where`: which phase, at what rate), for
 * the disk phase and qualify alike; null without --volume. `whyNotRun`: why there were no writes to read.
 */
export function volumeBurst(
  volume: string,
  io: DeviceIo | undefined,
  where: string,
  whyNotRun: string,
): { forecast: BurstForecast; check: Check } | null {
  const model = volume === '' ? null : parseVolume(volume);
  if (!model) return null;
  const forecast = forecastBurst(model, io, where);
  const why = io && !io.available ? `no device I/O: ${io.reason}` : whyNotRun;
  return { forecast, check: burstCheck(forecast, model.hdd, why) };
}

// The attribution rules' limits from resolved option values (percent options
// become shares); a command that lacks an option gets the table's default.
import { specOf, type OptionKey } from '../options/table.js';
import type { AttributionLimits } from '../verdict/attribution.js';

type Source = Partial<Record<OptionKey, unknown>>;

const num = (v: Source, k: OptionKey): number =>
  typeof v[k] === 'number' ? (v[k] as number) : (specOf(k).default as number);

/** The limits in force for a run with these option values. */
export function attributionLimits(v: Source): AttributionLimits {
  return {
    cpuWaitShare: num(v, 'cpuWaitLimit') / 100,
    cpuPressure: num(v, 'cpuPressureLimit') / 100,
    cpuBusy: num(v, 'cpuBusyLimit') / 100,
    steal: num(v, 'stealLimit') / 100,
    generatorDelayNs: num(v, 'generatorDelayLimit'),
  };
}

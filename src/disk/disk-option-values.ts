// The `disk` command's options, as typed values resolved from the table.
import type { ResolvedOptions } from '../options/resolve.js';
import type { OptionValues } from '../options/table.js';
import { DISK_OPTION_KEYS } from '../options/table.js';

export type DiskOptionKey = (typeof DISK_OPTION_KEYS)[number];
export type DiskOptions = Pick<OptionValues, DiskOptionKey>;
export type ResolvedDiskOptions = ResolvedOptions<DiskOptionKey>;
export { DISK_OPTION_KEYS };

// The library surface: run the disk phase from code, as the CLI does.
export { prepareDisk, runDisk, runDiskPlan, type DiskPhasePlan, type DiskRunContext } from './disk/run-disk.js';
export { diskGrading } from './grade/grade-disk.js';
export type { DiskResult } from './disk/disk-result.js';
export type { Check } from './verdict/check.js';
export { DISK_OPTION_KEYS, type DiskOptions } from './disk/disk-option-values.js';
export { resolveOptions } from './options/resolve.js';
export { loadProfile, builtInProfiles } from './options/profiles.js';
export { OPTIONS } from './options/table.js';
export { CleanupRegistry } from './run/cleanup.js';
export { UsageError, EnvironmentError, ExitCode } from './core/errors.js';

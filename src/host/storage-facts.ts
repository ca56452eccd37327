// The mount and the block devices behind a directory, together. An overlay
// (a container's root) writes to its upper directory and passes fsync through
// to the filesystem beneath: the device is that filesystem's.
import { existsSync } from 'node:fs';
import { deviceFacts, type DeviceFacts } from './block-device.js';
import { mountOf, overlayUpperDir, type MountFacts } from './mountinfo.js';

/** The mount and the device stack under a directory. */
export interface StorageFacts {
  mount: MountFacts | null;
  device: DeviceFacts | null;
}

/** Mount and device facts; a failure to read them is not a reason to fail a run (both null then). */
export function storageFacts(dir: string): StorageFacts {
  try {
    const mount = mountOf(dir);
    const upper = overlayUpperDir(mount);
    const backing = upper && existsSync(upper) ? mountOf(upper) : null;
    const under = backing ?? mount;
    return { mount, device: under ? deviceFacts(under.majMin) : null };
  } catch {
    return { mount: null, device: null };
  }
}

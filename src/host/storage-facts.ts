// The mount and the block devices behind a directory, together.
import { deviceFacts, type DeviceFacts } from './block-device.js';
import { mountOf, type MountFacts } from './mountinfo.js';

/** Mount and device facts; a failure to read them is not a reason to fail a run (both null then). */
export function storageFacts(dir: string): { mount: MountFacts | null; device: DeviceFacts | null } {
  try {
    const mount = mountOf(dir);
    return { mount, device: mount ? deviceFacts(mount.majMin) : null };
  } catch {
    return { mount: null, device: null };
  }
}

// Loads the C++ addon (native/) once, for the disk engine and the load's
// pacer alike, and refuses one whose ABI does not match this side's
// (abi.ts). Each user types the exports it needs.
import { createRequire } from 'node:module';
import { NATIVE_ADDON } from '../core/paths.js';
import { type AddonIdentity, abiMismatch } from './abi.js';

let cached: { addon: AddonIdentity & Record<string, unknown> } | { error: Error } | undefined;

/** The addon, or the reason it cannot load (not built, or built for another ABI). */
export function loadAddon(): { addon: AddonIdentity & Record<string, unknown> } | { error: Error } {
  if (cached) return cached;
  try {
    const addon = createRequire(import.meta.url)(NATIVE_ADDON) as AddonIdentity & Record<string, unknown>;
    const mismatch = abiMismatch(addon);
    if (mismatch) throw new Error(mismatch);
    cached = { addon };
  } catch (e) {
    cached = { error: e as Error };
  }
  return cached;
}

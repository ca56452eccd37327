// Where the package's own files are, wherever it is installed or run from.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (holds package.json, profiles/, native/). This file is compiled to dist/src/core/. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const PROFILES_DIR = join(PACKAGE_ROOT, 'profiles');
export const NATIVE_ADDON = join(PACKAGE_ROOT, 'native', 'build', 'Release', 'edb_native.node');

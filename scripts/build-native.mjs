#!/usr/bin/env node
// Builds the native writer (native/) with node-gyp, then slowfs (native/slowfs,
// a FUSE filesystem for the lab and the slow-disk tests) when libfuse3's
// headers are there. Run by `npm ci` as the package's install script. Without
// --strict a failed build only warns: the tool then falls back to its plain
// JavaScript engine and says so at run time; without slowfs only the lab
// cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const strict = process.argv.includes('--strict');
const nativeDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'native');

function nodeGypCommand() {
  // npm tells its lifecycle scripts where its own node-gyp lives.
  const fromNpm = process.env.npm_config_node_gyp;
  if (fromNpm && existsSync(fromNpm)) return [process.execPath, fromNpm];
  const bundled = join(
    dirname(process.execPath),
    '..',
    'lib',
    'node_modules',
    'npm',
    'node_modules',
    'node-gyp',
    'bin',
    'node-gyp.js',
  );
  if (existsSync(bundled)) return [process.execPath, bundled];
  return ['node-gyp'];
}

const [cmd, ...pre] = nodeGypCommand();
const args = [...pre, 'rebuild', `--directory=${nativeDir}`];
// Offline, node-gyp would try to download headers; point it at the ones installed beside this node
// (/usr for Debian's and NodeSource's packages, /usr/local for the official image).
const prefix = dirname(dirname(process.execPath));
if (!process.env.npm_config_nodedir && existsSync(join(prefix, 'include', 'node', 'common.gypi')))
  args.push(`--nodedir=${prefix}`);

const result = spawnSync(cmd, args, { stdio: 'inherit' });
buildSlowfs();
if (result.status !== 0) {
  const why = result.error ? result.error.message : `exit code ${result.status}`;
  process.stderr.write(
    `etcd-disk-bench: the native writer did not build (${why}).\n` +
      'etcd-disk-bench: the tool will fall back to --engine js, which has a noisier tail.\n',
  );
  process.exit(strict ? 1 : 0);
}

function buildSlowfs() {
  const flags = spawnSync('pkg-config', ['--cflags', '--libs', 'fuse3'], { encoding: 'utf8' });
  if (flags.status !== 0) {
    process.stderr.write(
      'etcd-disk-bench: slowfs not built: no libfuse3 headers (Debian: apt-get install libfuse3-dev fuse3); ' +
        '`lab slow-disk` needs it.\n',
    );
    return;
  }
  const out = join(nativeDir, 'build', 'slowfs');
  mkdirSync(dirname(out), { recursive: true });
  const cc = spawnSync(
    process.env.CC ?? 'cc',
    ['-O2', '-Wall', '-Wextra', '-o', out, join(nativeDir, 'slowfs', 'slowfs.c'), ...flags.stdout.trim().split(/\s+/)],
    { stdio: 'inherit' },
  );
  if (cc.status !== 0) process.stderr.write('etcd-disk-bench: slowfs did not build; `lab slow-disk` will not run.\n');
}

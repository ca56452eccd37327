#!/usr/bin/env node
// Runs a tier of the compiled tests: `unit` (pure: no root, etcd, fio or native
// writer; under a minute), `system` (files named *.system.test.js: real etcd,
// fio, tmpfs, slowfs, tmux; one file at a time), `all` (unit, then system) or
// `image` (files named *.image.test.js: the container image built and run with
// podman; minutes, so not in `all`) or `versions` (files named
// *.versions.test.js: the etcd version matrix, 3.4 to 3.7; minutes, so not in
// `all`: CI runs it as npm run test:versions) or `apiserver` (files named
// *.apiserver.test.js: a real kube-apiserver, built from Kubernetes' module by
// scripts/kube-apiserver.sh in minutes: not in `all` nor in CI). It ends with one summary of what was
// skipped, grouped by the reason (what the machine lacks), and the command that
// installs it all.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { skipsIn, summary } from './skip-summary.mjs';

const root = new URL('../dist/test', import.meta.url).pathname;
const tier = process.argv[2] ?? 'all';
if (!['unit', 'system', 'all', 'image', 'versions', 'apiserver'].includes(tier)) {
  process.stderr.write(`run-tests: tier "${tier}" is not one of unit, system, all, image, versions, apiserver\n`);
  process.exit(2);
}

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? e.name === 'helpers'
        ? []
        : files(join(dir, e.name))
      : e.name.endsWith('.test.js')
        ? [join(dir, e.name)]
        : [],
  );
}

const found = files(root).sort();
const image = found.filter((f) => f.endsWith('.image.test.js'));
const versions = found.filter((f) => f.endsWith('.versions.test.js'));
const apiserver = found.filter((f) => f.endsWith('.apiserver.test.js'));
const all = found.filter((f) => !image.includes(f) && !versions.includes(f) && !apiserver.includes(f));
const system = all.filter((f) => f.endsWith('.system.test.js'));
const unit = all.filter((f) => !system.includes(f));

function run(name, list, concurrency) {
  process.stdout.write(`# tier ${name}: ${list.length} files (${list.map((f) => relative(root, f)).join(', ')})\n`);
  // What the reader sees as usual (spec on a terminal, TAP otherwise), and TAP to a file for the summary.
  const dir = mkdtempSync(join(tmpdir(), 'edb-test-run-'));
  const tapFile = join(dir, 'run.tap');
  try {
    const r = spawnSync(
      process.execPath,
      [
        '--test',
        `--test-concurrency=${concurrency}`,
        `--test-reporter=${process.stdout.isTTY ? 'spec' : 'tap'}`,
        '--test-reporter-destination=stdout',
        '--test-reporter=tap',
        `--test-reporter-destination=${tapFile}`,
        ...list,
      ],
      { stdio: 'inherit' },
    );
    let tap = '';
    try {
      tap = readFileSync(tapFile, 'utf8');
    } catch {
      // the runner died before writing: its own output said why
    }
    process.stdout.write(summary(skipsIn(tap)));
    return r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One runner for `all`, so one summary line counts every test.
const code =
  tier === 'unit'
    ? run('unit', unit, 2)
    : tier === 'system'
      ? run('system', system, 1)
      : tier === 'image'
        ? run('image', image, 1)
        : tier === 'versions'
          ? run('versions', versions, 1)
          : tier === 'apiserver'
            ? run('apiserver', apiserver, 1)
            : run('all', [...unit, ...system], 1);
process.exit(code);

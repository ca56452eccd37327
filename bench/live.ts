// npm run bench:live - what the dashboard costs the measurement. The fio-etcd
// profile in a tmux pane, alternately with the dashboard on and with
// --no-tui (same terminal, same directory), BENCH_ROUNDS times each; reads
// the IOPS and fdatasync p99 each run printed. Figures are ratios within a
// round (on / off), since the machine is shared and noisy.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cliArgs } from './cli-args.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const base = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const PROFILE = process.env.BENCH_PROFILE ?? 'fio-etcd';
const tmux = (...a: string[]) => execFileSync('tmux', a, { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run {
  iops: number;
  p99Ms: number;
  dashboard: boolean;
}

async function once(dir: string, dashboard: boolean, n: number): Promise<Run> {
  const session = `edb-bench-live-${process.pid}-${n}`;
  const args = [
    process.execPath,
    ...cliArgs('disk', '--dir', dir, '--profile', PROFILE),
    ...(dashboard ? [] : ['--no-tui']),
  ];
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    '120',
    '-y',
    '40',
    `env -u CI TERM=tmux-256color ${args.join(' ')}; echo EXIT=$?; sleep 600`,
  );
  try {
    let screen = '';
    for (let i = 0; i < 1200 && !/EXIT=\d+/.test(screen); i++) {
      await sleep(250);
      screen = tmux('capture-pane', '-p', '-S', '-', '-t', session);
    }
    const iops = /result: .*: ([\d.]+) IOPS/.exec(screen);
    const p99 = /^(?:fdatasync|WAL fdatasync)\s+\d+\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)/m.exec(screen);
    if (!iops || !p99) throw new Error(`no result on screen:\n${screen}`);
    return { iops: Number(iops[1]), p99Ms: Number(p99[1]), dashboard };
  } finally {
    tmux('kill-session', '-t', session);
  }
}

const dir = mkdtempSync(join(base, 'edb-bench-live-'));
const rounds: [Run, Run][] = [];
try {
  for (let i = 0; i < ROUNDS; i++) {
    // Alternate which goes first, so a drifting disk does not favour one side.
    let on: Run;
    let off: Run;
    if (i % 2 === 0) {
      on = await once(dir, true, 2 * i);
      off = await once(dir, false, 2 * i + 1);
    } else {
      off = await once(dir, false, 2 * i + 1);
      on = await once(dir, true, 2 * i);
    }
    rounds.push([on, off]);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`| round | IOPS dashboard | IOPS --no-tui | IOPS on / off | p99 ms on | p99 ms off |`);
console.log('|---|---|---|---|---|---|');
for (const [i, [on, off]] of rounds.entries())
  console.log(
    `| ${i + 1} | ${on.iops} | ${off.iops} | ${(on.iops / off.iops).toFixed(3)} | ${on.p99Ms} | ${off.p99Ms} |`,
  );
const ratios = rounds.map(([on, off]) => on.iops / off.iops).sort((a, b) => a - b);
const median = ratios[Math.floor(ratios.length / 2)]!;
console.log(
  `\nmedian IOPS ratio (dashboard / --no-tui): ${median.toFixed(3)}; target >= 0.98 (costs < 2 %): ` +
    `${median >= 0.98 ? 'met' : 'NOT met'}`,
);

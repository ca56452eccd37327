// npm run bench:fio — fio's etcd recipe against our native and js engines on
// one directory, then once each on tmpfs (where fdatasync is free and only tool
// overhead shows). Prints sync percentiles, per-operation wall time, and ratios
// to fio measured side by side.
//
// On the disk, fio runs between every other run (F N F J F C F N ...): each run
// of ours is compared with the geometric mean of the fio runs just before and
// just after it, which cancels a latency level that drifts during the bench.
// C is fio again, judged the same way: its ratios are the noise floor, what
// "within 5 %" can mean on this machine right now.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/core/paths.js';
import { recordFigures } from './figures.js';
import { runFio, runOurs, type Measured } from './fio-runner.js';
import { compareWithNeighbours, type Compared, summarise, type Target } from './neighbour-ratios.js';
import { median } from './median.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
// The recipe's 22 MiB gives 10,029 samples: about 100 above p99. BENCH_SIZE=110m gives five times as many.
const SIZE = process.env.BENCH_SIZE ?? '22m';
const diskBase = process.argv[2] ?? process.env.BENCH_DIR ?? '/var/tmp';
const TARGETS: Target[] = [
  { name: 'p50', of: (m) => m.p50Ns, within: 0.05 },
  { name: 'p99', of: (m) => m.p99Ns, within: 0.1 },
  // The recipe's 10,029 samples leave about 10 above its p99.9: issue 41's bound for it is 25 %.
  { name: 'p99.9', of: (m) => m.p999Ns, within: 0.25 },
  { name: 'p99.99', of: (m) => m.p9999Ns },
  { name: 'wall/op', of: (m) => m.wallPerOpNs },
];
const TOOLS = ['native', 'js', 'fio (control)'] as const;
// Time-based pairs: the tail people run fio for ("--time_based --runtime"), where the file wraps. Each pair runs
// fio twice: its second run over its first is the time-based noise floor, as C is the recipe's.
const TB_PAIRS = Number(process.env.BENCH_TB_PAIRS ?? 4);
const TB_SECONDS = Number(process.env.BENCH_TB_SECONDS ?? 12);
const us = (ns: number) => (ns / 1000).toFixed(1);

function runTool(tool: string, dir: string, size: string): Measured {
  if (tool === 'native' || tool === 'js') return runOurs(dir, size, tool);
  return { ...runFio(dir, size), tool };
}

/** F X F Y F Z F ...: the middle tools rotate from round to round. */
function diskSequence(dir: string): Measured[] {
  const runs: Measured[] = [runFio(dir, SIZE)];
  for (let i = 0; i < ROUNDS; i++) {
    for (let k = 0; k < TOOLS.length; k++) {
      runs.push(runTool(TOOLS[(k + i) % TOOLS.length]!, dir, SIZE));
      runs.push(runFio(dir, SIZE));
    }
    process.stderr.write(`disk round ${i + 1}/${ROUNDS} done\n`);
  }
  return runs;
}

function diskTable(compared: Compared[]): string {
  const lines = [
    '| run | tool | samples | sync p50 us | sync p99 us | sync p99.9 us | sync p99.99 us | wall/op us | ' +
      `fio around: p50 | p99 | ${TARGETS.map((t) => `${t.name} / fio`).join(' | ')} |`,
    `|---|---|---|---|---|---|---|---|---|---|${TARGETS.map(() => '---').join('|')}|`,
  ];
  for (const c of compared) {
    const m = c.run;
    lines.push(
      `| ${c.index} | ${m.tool} | ${m.samples} | ${us(m.p50Ns)} | ${us(m.p99Ns)} | ${us(m.p999Ns)} | ` +
        `${us(m.p9999Ns)} | ${us(m.wallPerOpNs)} | ` +
        `${us(c.fio.p50Ns)} | ${us(c.fio.p99Ns)} | ${TARGETS.map((t) => c.ratios[t.name]!.toFixed(3)).join(' | ')} |`,
    );
  }
  return lines.join('\n');
}

/** How few samples the recipe's tail stands on. */
function tailNote(runs: Measured[]): string {
  const n = median(runs.map((m) => m.samples));
  return (
    `A run holds about ${n} samples: ${Math.round(n / 1000)} of them above its p99.9 and ` +
    `${Math.round(n / 10000)} above its p99.99, so those two move with a handful of operations.`
  );
}

function summaryTable(compared: Compared[]): string {
  const lines = [
    `| tool | runs | ${TARGETS.map((t) => `${t.name} / fio: median (min-max)`).join(' | ')} |`,
    `|---|---|${TARGETS.map(() => '---').join('|')}|`,
  ];
  const verdicts: string[] = [];
  const control = summarise(
    compared.filter((c) => c.run.tool === 'fio (control)'),
    TARGETS,
  );
  for (const tool of TOOLS) {
    const s =
      tool === 'fio (control)'
        ? control
        : summarise(
            compared.filter((c) => c.run.tool === tool),
            TARGETS,
          );
    lines.push(
      `| ${tool} | ${s.runs} | ` +
        `${s.cells.map((c) => `${c.median.toFixed(3)} (${c.min.toFixed(3)}-${c.max.toFixed(3)})`).join(' | ')} |`,
    );
    if (tool === 'fio (control)') continue;
    for (const c of s.cells) {
      if (c.within === undefined) continue;
      const floor = control.cells.find((x) => x.name === c.name)!;
      const note = floor.met
        ? ''
        : ` (fio against fio missed it too, ${floor.median.toFixed(3)}: this run's noise is above the target, ` +
          `repeat it)`;
      verdicts.push(
        `- ${tool} ${c.name}: median ${c.median.toFixed(3)}, target within ${(c.within * 100).toFixed(0)} %: ` +
          `${c.met ? 'met' : 'NOT met'}${note}`,
      );
    }
  }
  return [...lines, '', ...verdicts].join('\n');
}

/** One time-based pair, ours against fio, and fio run a second time: fio against itself is the noise floor. */
interface TimeBasedPair {
  ours: Measured;
  fio: Measured;
  control: Measured;
}

/** Ours and fio (twice) time-based on the same directory, the order rotating from pair to pair. */
function timeBasedPairs(dir: string): TimeBasedPair[] {
  const orders = [
    ['fio', 'ours', 'control'],
    ['ours', 'control', 'fio'],
    ['control', 'fio', 'ours'],
  ] as const;
  const pairs: TimeBasedPair[] = [];
  for (let i = 0; i < TB_PAIRS; i++) {
    const got: Partial<TimeBasedPair> = {};
    for (const who of orders[i % orders.length]!)
      got[who] = who === 'ours' ? runOurs(dir, SIZE, 'native', TB_SECONDS) : runFio(dir, SIZE, TB_SECONDS);
    pairs.push(got as TimeBasedPair);
    process.stderr.write(`time-based pair ${i + 1}/${TB_PAIRS} done\n`);
  }
  return pairs;
}

const TB_COLS: [string, (m: Measured) => number][] = [
  ['IOPS', (m) => m.iops],
  ['p50', (m) => m.p50Ns],
  ['p99', (m) => m.p99Ns],
  ['p99.9', (m) => m.p999Ns],
  ['p99.99', (m) => m.p9999Ns],
];
/** Issue 41's bounds for the median of ours over fio. */
const TB_BOUNDS: [string, number][] = [
  ['IOPS', 0.1],
  ['p50', 0.05],
  ['p99', 0.1],
  ['p99.9', 0.15],
];

function timeBasedTable(pairs: TimeBasedPair[]): string {
  const cols = TB_COLS;
  const lines = [
    '| pair | ours samples | fio samples | ours IOPS | fio IOPS | ours p50 us | fio p50 us | ours p99 us | ' +
      'fio p99 us | ours p99.9 us | fio p99.9 us | ours p99.99 us | fio p99.99 us | ' +
      `${cols.map(([n]) => `${n} ours / fio`).join(' | ')} |`,
    `|---|---|---|---|---|---|---|---|---|---|---|---|---|${cols.map(() => '---').join('|')}|`,
  ];
  pairs.forEach(({ ours, fio }, k) => {
    lines.push(
      `| ${k + 1} | ${ours.samples} | ${fio.samples} | ${ours.iops.toFixed(0)} | ${fio.iops.toFixed(0)} | ` +
        `${us(ours.p50Ns)} | ${us(fio.p50Ns)} | ${us(ours.p99Ns)} | ${us(fio.p99Ns)} | ${us(ours.p999Ns)} | ` +
        `${us(fio.p999Ns)} | ${us(ours.p9999Ns)} | ${us(fio.p9999Ns)} | ` +
        `${cols.map(([, f]) => (f(ours) / f(fio)).toFixed(3)).join(' | ')} |`,
    );
  });
  const medians = cols.map(([, f]) => median(pairs.map((p) => f(p.ours) / f(p.fio))));
  lines.push(`| median | | | | | | | | | | | | | ${medians.map((m) => m.toFixed(3)).join(' | ')} |`);
  lines.push('', 'fio against fio: the second fio run of each pair over its first, judged as ours is.', '');
  lines.push(
    `| pair | ${cols.map(([n]) => `${n} fio / fio`).join(' | ')} |`,
    `|---|${cols.map(() => '---').join('|')}|`,
  );
  pairs.forEach(({ fio, control }, k) => {
    lines.push(`| ${k + 1} | ${cols.map(([, f]) => (f(control) / f(fio)).toFixed(3)).join(' | ')} |`);
  });
  const floor = cols.map(([, f]) => median(pairs.map((p) => f(p.control) / f(p.fio))));
  lines.push(`| control median | ${floor.map((m) => m.toFixed(3)).join(' | ')} |`, '');
  for (const [name, within] of TB_BOUNDS) {
    const i = cols.findIndex(([n]) => n === name);
    const [m, c] = [medians[i]!, floor[i]!];
    const verdict = Math.abs(m - 1) <= within ? 'met' : 'NOT met';
    const note =
      Math.abs(c - 1) <= within
        ? ''
        : ` (fio against fio missed it too, ${c.toFixed(3)}: this disk's noise is above the target, repeat it)`;
    lines.push(`- ${name}: median ${m.toFixed(3)}, target within ${within * 100} %: ${verdict}${note}`);
  }
  return lines.join('\n');
}

function tmpfsTable(runs: Measured[]): string {
  const fio = runs[0]!;
  const lines = [
    '| tool | samples | sync p50 us | sync p99 us | sync p99.9 us | sync p99.99 us | wall/op us | wall / fio |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const m of runs)
    lines.push(
      `| ${m.tool} | ${m.samples} | ${us(m.p50Ns)} | ${us(m.p99Ns)} | ${us(m.p999Ns)} | ${us(m.p9999Ns)} | ` +
        `${us(m.wallPerOpNs)} | ` +
        `${(m.wallPerOpNs / fio.wallPerOpNs).toFixed(3)} |`,
    );
  return lines.join('\n');
}

const diskDir = mkdtempSync(join(diskBase, 'edb-bench-'));
const shmDir = mkdtempSync('/dev/shm/edb-bench-');
try {
  const timeBased = TB_PAIRS > 0 ? timeBasedPairs(diskDir) : [];
  const onDisk = ROUNDS > 0 ? diskSequence(diskDir) : [];
  const compared = compareWithNeighbours(onDisk, TARGETS);
  // 10x the recipe's size on tmpfs: 100k ops, so fio's millisecond runtime is precise enough.
  const onTmpfs = [runFio(shmDir, '220m'), runOurs(shmDir, '220m', 'native'), runOurs(shmDir, '220m', 'js')];
  const report = [
    `## bench:fio on ${diskBase} (${SIZE}, 2300 B, fdatasync each) and /dev/shm (220 MiB), ${new Date().toISOString()}`,
    '',
    `### real disk: ${diskBase}, ${ROUNDS} rounds, fio before and after every run (ratios to the geometric mean of ` +
      `the two)`,
    '',
    diskTable(compared),
    '',
    summaryTable(compared),
    '',
    'fio (control) is fio judged like ours: its spread is how far two fio runs disagree here.',
    tailNote(onDisk),
    '',
    `### time-based: ${TB_PAIRS} pairs of ${TB_SECONDS} s on ${diskBase}, ${SIZE} wrapping, and fio again each ` +
      'pair, the order rotating (native engine)',
    '',
    timeBasedTable(timeBased),
    '',
    '### tmpfs: /dev/shm (fdatasync is a no-op: tool overhead only)',
    '',
    tmpfsTable(onTmpfs),
  ].join('\n');
  process.stdout.write(`${report}\n`);
  for (const p of recordFigures('fio', report.replace(/^## /, ''))) process.stderr.write(`written: ${p}\n`);
  mkdirSync(join(PACKAGE_ROOT, 'results'), { recursive: true });
  const out = join(PACKAGE_ROOT, 'results', `bench-fio-${Date.now()}.json`);
  writeFileSync(out, JSON.stringify({ onDisk, compared, timeBased, onTmpfs }, null, 2));
  process.stderr.write(`raw figures: ${out}\n`);
} finally {
  rmSync(diskDir, { recursive: true, force: true });
  rmSync(shmDir, { recursive: true, force: true });
}

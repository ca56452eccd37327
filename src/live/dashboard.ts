// The live terminal view (blessed): header with progress, latency per stream
// for the last second and the run, p99 and ops/s over time, the durable
// latency histogram, etcd's own numbers, the checks so far and the letter
// they head to. It renders events only; `q` or Ctrl-C asks the run to stop.
import type { Check } from '../verdict/check.js';
import blessed from 'blessed';
import { ms } from '../report/format.js';
import { BUCKET_EDGES_NS } from '../stats/log-buckets.js';
import type { MemberNow, PhaseStartEvent, RunEvent, TickEvent } from '../events/events.js';

const SPARK = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const FRAME_MS = 250;

export interface DashboardOptions {
  /** Called once when the user presses q or Ctrl-C. */
  onStop: () => void;
  /** Another terminal than the process's (tests draw on a fake one and read it back with screenText()). */
  terminal?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

function clock(ns: number): string {
  const s = Math.max(0, Math.floor(ns / 1e9));
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

/** Column heads, each right-aligned in 9 characters. */
const columns = (heads: string[]) => heads.map((h) => h.padStart(9)).join('');

/**
 * A check's status in its 4-character column: wait (not run yet), the cause of a miss not the disk's, or the status.
 */
function statusCell(c: Check): string {
  if (c.status === 'not-run') return 'wait';
  if (c.status === 'inconclusive') return (c.cause ?? 'n/a').toUpperCase().slice(0, 4).padEnd(4);
  return c.status.toUpperCase().padEnd(4);
}

/** Green well inside the limit, amber passing but within a factor of 2 (or a warning), red failing. */
function colourOf(c: Check): string {
  if (c.status === 'fail') return 'red';
  if (c.status === 'warn') return 'yellow';
  if (c.status === 'inconclusive') return 'cyan';
  if (c.status === 'not-run' || c.measured === null) return 'white';
  const near =
    c.comparison === '<' || c.comparison === '<=' ? c.measured * 2 >= c.limit && c.limit > 0 : c.measured < c.limit * 2;
  return near ? 'yellow' : 'green';
}

/** A sparkline of `values` (null: nothing completed that second, drawn as a gap); red where over `redAbove`. */
export function sparkline(values: (number | null)[], width: number, redAbove = Infinity): string {
  const shown = values.slice(-width);
  const max = Math.max(1, ...shown.map((v) => v ?? 0));
  return shown
    .map((v) => {
      if (v === null) return ' ';
      const ch = SPARK[Math.min(SPARK.length - 1, Math.floor((v / max) * (SPARK.length - 1)))]!;
      return v >= redAbove ? `{red-fg}${ch}{/red-fg}` : ch;
    })
    .join('');
}

/** A value in its unit, short: 3.17ms, 4993/s, 0. */
function short(c: Check, v: number): string {
  if (c.unit === 'ns') return `${+(v / 1e6).toPrecision(3)}ms`;
  return c.unit === 'requests/s' || c.unit === 'ops/s' ? `${Math.round(v)}/s` : String(v);
}

/** Milliseconds without trailing zeros: 10, 0.5. */
const shortMs = (ns: number) => String(+(ns / 1e6).toFixed(3));
const bucketLabel = (k: number) =>
  k < BUCKET_EDGES_NS.length ? `<=${shortMs(BUCKET_EDGES_NS[k]!)}` : `>${shortMs(BUCKET_EDGES_NS[k - 1]!)}`;

export class Dashboard {
  private readonly screen: blessed.Widgets.Screen;
  private readonly header: blessed.Widgets.BoxElement;
  private readonly latency: blessed.Widgets.BoxElement;
  private readonly chart: blessed.Widgets.BoxElement;
  private readonly etcd: blessed.Widgets.BoxElement;
  private readonly checks: blessed.Widgets.BoxElement;
  private readonly hist: blessed.Widgets.BoxElement;
  private readonly footer: blessed.Widgets.BoxElement;
  private readonly help: blessed.Widgets.BoxElement;
  private readonly timer: NodeJS.Timeout;
  private phase: PhaseStartEvent | null = null;
  private phaseStartMs = Date.now();
  private tick: TickEvent | null = null;
  /** The latest checks of every phase so far, and the letter last seen. */
  private readonly checksByPhase = new Map<string, Check[]>();
  private letter: string | null = null;
  /** The durable-latency buckets last seen, and the phase they belong to (kept through a phase without syncs). */
  private buckets: { phase: string; counts: number[] } | null = null;
  private readonly ended: string[] = [];
  private warning: string | null = null;
  private stopping = false;
  private dirty = true;
  private lastHeader = '';
  private destroyed = false;
  private readonly restoreOnExit = () => this.destroy();

  constructor(private readonly o: DashboardOptions) {
    const term = process.env.TERM ?? '';
    // blessed cannot read tmux's and screen's terminfo; xterm's describes them well enough.
    const terminal = term === '' || /^(tmux|screen)/.test(term) ? 'xterm-256color' : term;
    // Unicode box lines instead of the alternate character set: they survive tmux capture and copy-paste.
    process.env.NCURSES_NO_UTF8_ACS ??= '1';
    this.screen = blessed.screen({
      // (@types/blessed has input and output the wrong way round.)
      ...(o.terminal
        ? ({ input: o.terminal.input, output: o.terminal.output } as unknown as blessed.Widgets.IScreenOptions)
        : {}),
      smartCSR: true,
      terminal,
      fullUnicode: true,
      forceUnicode: true,
      title: 'etcd-disk-bench',
      warnings: false,
    });
    const box = (opts: blessed.Widgets.BoxOptions) => {
      const b = blessed.box({ tags: true, border: { type: 'line' }, style: { border: { fg: 'cyan' } }, ...opts });
      this.screen.append(b);
      return b;
    };
    this.header = box({ top: 0, left: 0, width: '100%', height: 4 });
    this.latency = box({ top: 4, left: 0, width: '100%', height: 7, label: ' latency (ms) ' });
    this.chart = box({ top: 11, left: 0, width: '55%', height: 6, label: ' per second ' });
    this.etcd = box({ top: 17, left: 0, width: '55%', height: 4, label: " etcd's own numbers " });
    this.checks = box({ top: 11, left: '55%', width: '45%', height: 10, label: ' checks so far ' });
    this.hist = box({ top: 21, left: 0, width: '100%', height: '100%-22', label: ' sync latency so far ' });
    this.footer = blessed.box({ bottom: 0, left: 0, width: '100%', height: 1, tags: true });
    this.screen.append(this.footer);
    this.help = box({
      top: 'center',
      left: 'center',
      width: 60,
      height: 9,
      label: ' help ',
      hidden: true,
      content:
        ' q, Ctrl-C  stop the run cleanly: the report is marked\n            incomplete and everything is cleaned ' +
        'up\n ?          show or hide this help\n\n Latencies are in ms; red marks a value at or above the\n ' +
        "stream's limit (fdatasync 10 ms, commit 25 ms, request\n 100 ms: the profile's). Amber: within a " +
        'factor of 2.',
    });
    this.screen.key(['q', 'C-c'], () => this.stop());
    this.screen.key(['?'], () => {
      this.help.toggle();
      this.dirty = true;
      this.draw();
    });
    this.screen.on('resize', () => {
      this.dirty = true;
      this.draw();
    });
    process.once('exit', this.restoreOnExit);
    this.timer = setInterval(() => this.draw(), FRAME_MS);
    this.draw();
  }

  handle(e: RunEvent): void {
    if (this.destroyed) return;
    this.dirty = true;
    if (e.type === 'phase-start') {
      this.phase = e;
      this.phaseStartMs = Date.now();
      this.tick = null;
    } else if (e.type === 'tick') {
      this.tick = e;
      this.checksByPhase.set(e.phase, e.checks);
      if (e.letter) this.letter = e.letter;
      if (e.syncBuckets) this.buckets = { phase: e.phase, counts: e.syncBuckets };
    } else if (e.type === 'warning') this.warning = e.message;
    else this.ended.push(`${e.phase} ${e.status}`);
  }

  private stop(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.o.onStop();
    this.dirty = true;
    this.draw();
  }

  private limitNs(): number {
    return this.tick?.checks.find((c) => c.id === 'sync-p99')?.limit ?? 10e6;
  }

  private headerText(): string {
    const p = this.phase;
    const width = Math.max(10, (this.screen.width as number) - 4);
    if (!p) return 'etcd-disk-bench: starting...';
    const elapsedNs = (Date.now() - this.phaseStartMs) * 1e6;
    const planned = p.plannedNs;
    const barWidth = Math.max(10, Math.min(40, width - 50));
    const done = planned > 0 ? Math.min(1, elapsedNs / planned) : 0;
    const bar =
      planned > 0
        ? `[${'#'.repeat(Math.round(done * barWidth)).padEnd(barWidth, '.')}] ${clock(elapsedNs)} of ` +
          `${clock(planned)}, ${clock(planned - elapsedNs)} left`
        : `${clock(elapsedNs)} elapsed`;
    return (
      `{bold}etcd-disk-bench ${p.command}{/bold}  ${p.target}${p.profile ? `  profile ${p.profile}` : ''}\n` +
      `phase ${p.index}/${p.of} {bold}${p.phase}{/bold}  ` +
      `${bar}${this.stopping ? '  {yellow-fg}stopping...{/yellow-fg}' : ''}`
    );
  }

  private drawLatency(): void {
    const t = this.tick;
    if (t?.members) {
      this.drawMembers(t.members);
      return;
    }
    const lines = [
      `${''.padEnd(14)}${'last second'.padEnd(27)}| whole run`,
      `${'stream'.padEnd(14)}${columns(['p50', 'p99', 'max'])}|${columns(['p50', 'p99', 'p99.9', 'max'])}`,
    ];
    for (const s of t?.streams ?? []) {
      const l = s.lastSecond;
      // each stream is marked against its own bound (sync 10 ms, commit 25 ms, request 100 ms, write() the stall limit)
      const v = (ns: number | null | undefined) => {
        const text = ms(ns ?? null).padStart(8);
        return ns !== null && ns !== undefined && s.limitNs !== null && ns >= s.limitNs
          ? `{red-fg}${text}{/red-fg}`
          : text;
      };
      lines.push(
        `${s.name.padEnd(14)} ${v(l?.p50Ns)} ${v(l?.p99Ns)} ${v(l?.maxNs)}| ${v(s.total.p50Ns)} ` +
          `${v(s.total.p99Ns)} ${v(s.total.p999Ns)} ${v(s.total.maxNs)}`,
      );
    }
    if (!t) lines.push('waiting for the first second...');
    const limits = (t?.streams ?? []).filter((s) => s.limitNs !== null).map((s) => `${s.name} ${shortMs(s.limitNs!)}`);
    this.latency.setLabel(
      ` latency (ms${limits.length > 0 ? `; {red-fg}red{/red-fg} at or above ${limits.join(', ')}` : ''}) `,
    );
    this.latency.setContent(lines.join('\n'));
  }

  /** observe: one row per member, etcd's own figures as bucket ranges (red when its letter fails). */
  private drawMembers(members: MemberNow[]): void {
    const lines = [
      `${'member'.padEnd(14)}${'WAL fsync p99'.padEnd(14)}${'last interval'.padEnd(14)}${'commit p99'.padEnd(14)}` +
        `${'peer RTT p99'.padEnd(14)}leader ch.  grade`,
    ];
    for (const m of members) {
      const bad = m.letter === 'D' || m.letter === 'F';
      const row =
        `${m.name.slice(0, 13).padEnd(14)}${(m.walFsyncP99 ?? '-').padEnd(14)}` +
        `${(m.lastWalFsyncP99 ?? '-').padEnd(14)}` +
        `${(m.backendCommitP99 ?? '-').padEnd(14)}${(m.peerRttP99 ?? '-').padEnd(14)}` +
        `${String(m.leaderChanges ?? '-').padEnd(12)}${m.letter ?? '-'}`;
      lines.push(bad ? `{red-fg}${row}{/red-fg}` : row);
    }
    this.latency.setLabel(" members (etcd's own buckets: each figure is a range) ");
    this.latency.setContent(lines.join('\n'));
  }

  private drawChart(): void {
    const t = this.tick;
    const width = Math.max(10, (this.chart.width as number) - 12);
    const series = t?.series ?? [];
    const p99 = series.map((r) => r.p99Ns);
    const ops = series.map((r) => r.count);
    const peak = Math.max(0, ...p99.map((x) => x ?? 0));
    this.chart.setContent(
      `p99      ${sparkline(p99, width, t?.seriesLimitNs ?? Infinity)}\n         peak ${ms(peak)} ms over the last ` +
        `${series.length} s\n` +
        `ops/s    ${sparkline(ops, width)}\n         now ${t?.opsLastSecond ?? '-'}/s, ${t?.ops ?? 0} ` +
        `done${t && t.errors > 0 ? `, {red-fg}${t.errors} errors{/red-fg}` : ''}`,
    );
  }

  private drawEtcd(): void {
    const s = this.tick?.server;
    if (!s) {
      this.etcd.setContent(
        this.phase?.phase === 'etcd' || this.phase?.command === 'load' || this.phase?.command === 'observe'
          ? 'waiting for /metrics...'
          : 'not in this phase',
      );
      return;
    }
    const red = (x: number | null, bad: boolean) => (bad ? `{red-fg}${x}{/red-fg}` : String(x ?? '-'));
    this.etcd.setContent(
      `WAL fsync p99 ${s.walFsyncP99 ?? '-'}  backend commit p99 ${s.backendCommitP99 ?? '-'}\n` +
        `leader changes ${red(s.leaderChanges, (s.leaderChanges ?? 0) > 0)}  failed proposals ` +
        `${red(s.failedProposals, (s.failedProposals ?? 0) > 0)}  leader ` +
        `${s.hasLeader === 0 ? '{red-fg}no{/red-fg}' : s.hasLeader === null ? '-' : 'yes'}`,
    );
  }

  private drawChecks(): void {
    const lines: string[] = [];
    const several = this.checksByPhase.size > 1;
    for (const [phase, checks] of this.checksByPhase) {
      for (const c of checks) {
        const colour = colourOf(c);
        const value = c.range ?? (c.measured === null ? '-' : short(c, c.measured));
        const name = `${several ? `${phase} ` : ''}${c.id}`;
        lines.push(
          `{${colour}-fg}${statusCell(c)}{/${colour}-fg} ${name.padEnd(several ? 22 : 18)} ` +
            `${value} ${c.comparison} ${short(c, c.limit)}`,
        );
      }
    }
    const letter = this.letter ?? '-';
    const colour =
      letter === 'A' || letter === 'B' ? 'green' : letter === 'C' ? 'yellow' : letter === '-' ? 'white' : 'red';
    this.checks.setLabel(` checks so far, heading to {bold}{${colour}-fg}${letter}{/${colour}-fg}{/bold} `);
    this.checks.setContent(lines.join('\n'));
  }

  private drawHist(): void {
    const b = this.buckets?.counts;
    if (!b) {
      this.hist.setContent('no durable writes yet');
      return;
    }
    const first = b.findIndex((n) => n > 0);
    const last = b.length - 1 - [...b].reverse().findIndex((n) => n > 0);
    if (first < 0) {
      this.hist.setContent('nothing yet');
      return;
    }
    const rows = Math.max(1, (this.hist.height as number) - 2);
    const lo = Math.max(0, Math.min(first, last - rows + 1));
    const total = b.reduce((a, n) => a + n, 0);
    const max = Math.max(...b);
    const barWidth = Math.max(5, (this.hist.width as number) - 22);
    const lines: string[] = [];
    for (let k = lo; k <= last && lines.length < rows; k++) {
      const n = b[k]!;
      const bar = '█'.repeat(Math.round((n / max) * barWidth));
      const over = k > 0 && BUCKET_EDGES_NS[k - 1]! >= this.limitNs();
      lines.push(
        `${bucketLabel(k).padStart(8)} ${over ? `{red-fg}${bar}{/red-fg}` : bar} ${((n * 100) / total).toFixed(1)}%`,
      );
    }
    this.hist.setLabel(
      ` sync latency so far (ms)${this.buckets!.phase !== this.phase?.phase ? `, ${this.buckets!.phase} phase` : ''} `,
    );
    this.hist.setContent(lines.join('\n'));
  }

  /**
   * Draws only when something shown changed: a new event, a key, a resize, or
   * the header's clock moving on (once a second). Most frames cost nothing.
   */
  private draw(): void {
    if (this.destroyed) return;
    const header = this.headerText();
    if (!this.dirty && header === this.lastHeader) return;
    this.dirty = false;
    this.lastHeader = header;
    this.header.setContent(header);
    this.drawLatency();
    this.drawChart();
    this.drawEtcd();
    this.drawChecks();
    this.drawHist();
    const ended = this.ended.length > 0 ? `  done: ${this.ended.join(', ')}` : '';
    this.footer.setContent(
      ` {bold}q{/bold} stop   {bold}?{/bold} help${ended}${
        this.warning ? `   {yellow-fg}warning: ${this.warning}{/yellow-fg}` : ''
      }`,
    );
    this.screen.render();
  }

  /** The screen as drawn, one string a row (what a person would read), after drawing what changed. */
  screenText(): string[] {
    this.draw();
    const lines = (this.screen as unknown as { lines: [unknown, string][][] }).lines;
    return lines.map((row) =>
      row
        .map((cell) => cell[1])
        .join('')
        .trimEnd(),
    );
  }

  /** Restores the terminal; safe to call more than once. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    process.off('exit', this.restoreOnExit);
    this.screen.destroy();
  }
}

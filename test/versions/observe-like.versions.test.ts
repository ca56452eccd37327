// Per minor (3.4-3.7): observe of a member of that version under a load grades
// it from etcd's own WAL fsync; its report then sizes `qualify --profile quick
// --like`, whose etcd phase runs on a throwaway etcd of the same version
// (--etcd-bin): the report names the version, etcd's own checks judge (never
// NOT RUN) and the run is sized from the observed cluster. The four members
// are observed side by side; the qualify runs follow one at a time.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CleanupRegistry } from '../../src/run/cleanup.js';
import { startLocalEtcd } from '../../src/etcd/local-etcd.js';
import type { ObserveReport } from '../../src/observe/observe-report.js';
import type { QualifyReport } from '../../src/qualify/report.js';
import { runCli, startCli } from '../helpers/cli.js';
import { etcdProcessesWith } from '../helpers/etcd.js';
import { etcdVersions, MINORS, type Minor, needsEtcd } from '../helpers/etcd-versions.js';
import { needs } from '../helpers/needs.js';
import { listing, tempDir } from '../helpers/tmp.js';

const out = tempDir('edb-versions-out-');

/** What observing a member of one minor under load left: observe's exit code and output, and its report. */
interface Observed {
  code: number | null;
  stderr: string;
  file: string;
}

/** A member of `minor` (data in memory, off the disk qualify measures: its live-etcd guard) observed for 70 s. */
async function observeMinor(minor: Minor, cleanup: CleanupRegistry): Promise<Observed> {
  const { bin } = etcdVersions().get(minor)!;
  const data = mkdtempSync('/dev/shm/edb-obs-');
  cleanup.add('remove the observed data', () => rmSync(data, { recursive: true, force: true }));
  const cluster = await startLocalEtcd({
    bin,
    root: data,
    members: 1,
    cleanup,
    token: `versions-${process.pid}-${minor}`,
  });
  const ep = cluster.endpoints[0]!;
  const load = startCli(
    ['load', '--endpoints', ep, '--rate', '200', '--runtime', '75s', '--json', '--no-tui'],
    120_000,
  );
  const file = join(out, `o-${minor}.json`);
  const obs = await runCli(
    ['observe', '--endpoints', ep, '--runtime', '70s', '--interval', '1s', '--out', file],
    120_000,
  );
  await load.done;
  await cluster.stop();
  return { code: obs.code, stderr: obs.stderr, file };
}

// The observations run side by side from the start (each needs over a minute for its 1-minute rates: one after the
// other they took 5 of CI's minutes); each minor's test waits for its own, then runs its qualify alone.
const skipOf = (minor: Minor) => needsEtcd(minor) || needs('fio');
const cleanups = new CleanupRegistry();
after(() => cleanups.drain());
const observed = new Map<Minor, Promise<Observed>>();
for (const minor of MINORS) {
  if (skipOf(minor)) continue;
  const p = observeMinor(minor, cleanups);
  p.catch(() => {}); // reported by its test, which awaits it
  observed.set(minor, p);
}

for (const minor of MINORS) {
  test(`etcd ${minor}: observe grades a member of it; its report sizes qualify --like on a throwaway ${minor}`, {
    skip: skipOf(minor),
  }, async (t) => {
    const { version, bin } = etcdVersions().get(minor)!;
    const obs = await observed.get(minor)!;
    const obsFile = obs.file;
    const o = JSON.parse(readFileSync(obsFile, 'utf8')) as ObserveReport;
    t.diagnostic(`observe: exit ${obs.code}, grade ${o.grade.letter}: ${o.grade.reason}`);
    assert.ok([0, 1, 4].includes(obs.code ?? -1), obs.stderr);
    assert.equal(o.members.length, 1);
    const wal = o.members[0]!.checks.find((c) => c.id === 'etcd-wal-fsync-p99');
    assert.ok(wal && ['pass', 'fail', 'inconclusive'].includes(wal.status), `judged: ${wal?.status} ${wal?.note}`);
    assert.ok(wal.measured !== null && (wal.observations ?? 0) > 1000, `${wal.observations} WAL fsyncs read`);

    const dir = tempDir(`edb-v${minor}-`);
    const file = join(out, `q-${minor}.json`);
    const r = await runCli(
      ['qualify', '--profile', 'quick', '--dir', dir, '--etcd-bin', bin, '--like', obsFile, '--out', file],
      300_000,
    );
    assert.ok(existsSync(file), `qualify wrote no report: exit ${r.code}: ${r.stderr.slice(-800)}`);
    const rep = JSON.parse(readFileSync(file, 'utf8')) as QualifyReport;
    t.diagnostic(`qualify: etcd ${rep.etcd?.version}: exit ${r.code}, grade ${rep.grade.letter}: ${rep.verdict.text}`);
    assert.ok([0, 1, 4].includes(r.code ?? -1), r.stderr);
    assert.equal(rep.complete, true, rep.incompleteReason);
    assert.equal(rep.etcd?.version, version);
    assert.equal(rep.etcd?.source, `--etcd-bin ${bin}`);
    assert.equal(rep.phases.etcd.status, 'done', rep.phases.etcd.reason);
    const own = rep.checks.find((c) => c.id === 'etcd-wal-fsync-p99')!;
    assert.ok(['pass', 'fail', 'inconclusive'].includes(own.status), `etcd's WAL fsync check: ${own.status}`);
    assert.ok(
      rep.checks.filter((c) => /^(leader-changes|failed-proposals)$/.test(c.id)).every((c) => c.status !== 'not-run'),
      "etcd's Raft metrics were read",
    );
    // Sized from the observed cluster: its 200 writes/s, twice over.
    const like = rep.like!;
    assert.equal(like.source.kind, 'observe-report');
    const peak = like.figures.find((f) => f.id === 'write-rate-peak')!.value!;
    assert.ok(Math.abs(peak - 200) <= 20, `peak ${peak} writes/s observed for a 200/s load`);
    assert.deepEqual(rep.phases.etcd.result!.options.rate, { value: like.run.rate, source: 'like' });
    assert.equal(rep.phases.etcd.result!.server[0]!.version, version);
    assert.deepEqual(listing(dir), []);
    assert.deepEqual(etcdProcessesWith(dir), []);
  });
}

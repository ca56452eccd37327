// The short forms the README quotes are read out of the recorded tables: the
// right row of the right section, each figure where its bench wrote it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rowsStartingWith, section, SUMMARIES } from '../../bench/figure-summaries.js';

const FIO = `bench:fio on /var/tmp (22m, 2300 B, fdatasync each) and /dev/shm (220 MiB), 2026-12-06T23:54:50.120Z

### real disk: /var/tmp, 5 rounds, fio before and after every run (ratios to the geometric mean of the two)

| run | tool | samples | sync p50 us |
|---|---|---|---|
| 2 | native | 10029 | 69.4 |

| tool | runs | p50 / fio: median (min-max) | p99 / fio: median (min-max) | p99.9 / fio: median (min-max) |
|---|---|---|---|---|
| native | 5 | 0.961 (0.897-1.166) | 1.184 (0.933-1.634) | 1.515 (1.454-3.480) |
| js | 5 | 1.041 (0.839-1.084) | 1.067 (0.831-1.341) | 1.303 (0.535-2.933) |
| fio (control) | 5 | 1.000 (0.921-1.223) | 0.925 (0.805-1.309) | 0.810 (0.513-1.289) |

A run holds about 10029 samples: 10 of them above its p99.9 and 1 above its p99.99, so those two move.

### time-based: 4 pairs of 12 s on /var/tmp, 22m wrapping, alternating who goes first (native engine)

| pair | ours samples | IOPS ours / fio | p50 ours / fio | p99 ours / fio | p99.9 ours / fio | p99.99 ours / fio |
|---|---|---|---|---|---|---|
| 1 | 174468 | 1.061 | 0.970 | 0.951 | 0.971 | 1.248 |
| median | | 1.032 | 0.978 | 0.941 | 1.097 | 1.818 |

| pair | IOPS fio / fio | p50 fio / fio | p99 fio / fio | p99.9 fio / fio | p99.99 fio / fio |
|---|---|---|---|---|---|
| 1 | 0.990 | 1.010 | 1.020 | 1.180 | 0.950 |
| control median | 0.990 | 1.010 | 1.020 | 1.180 | 0.950 |

### tmpfs: /dev/shm (fdatasync is a no-op: tool overhead only)

| tool | samples | sync p50 us |
|---|---|---|
| native | 100298 | 0.2 |
`;

const CLIENT = `On this machine (2026-12-07, /var/tmp; BENCH_ROUNDS=3 BENCH_KUBE_ROUNDS=3 BENCH_MEMORY=600s):

| load | etcdctl us | ours us | ours / etcdctl | etcd beside etcdctl | etcd beside ours | etcdctl w/s | ours w/s |
|---|---|---|---|---|---|---|---|
| m | 281 | 148 | 0.53 | 374 | 321 | 991 | 984 |
| l | 103 | 69 | 0.67 | 180 | 137 | 5547 | 7484 |
| kube 500/s, own transport, native pacing (ours / etcd) | - | 117 | 0.30 | - | 392 | - | 495 |
| kube 500/s, grpc-js transport (ours / etcd) | - | 504 | 1.06 | - | 474 | - | 495 |

Client RSS over a 10-minute kube load (largest per minute, MiB): 168, 171; the largest after the first minute / \
the first minute's: 1.07 (limit 1.2)
`;

test('fio: the time-based medians and the recipe tail, each beside fio against fio, from its section', () => {
  assert.equal(
    SUMMARIES['fio-summary']!.make(FIO),
    '12 s time-based pairs, ours / fio, medians of 4 (2026-12-06): IOPS 1.032, p50 0.978, p99 0.941, p99.9 1.097, ' +
      "p99.99 1.818; fio against fio p99.9 1.180. fio's recipe (10029 writes, about 10 above p99.9), medians of 5: " +
      'p99 1.184, p99.9 1.515; fio against fio 0.925 and 0.810.\n',
  );
  // "native" starts a row in the recipe's summary and in the tmpfs table: the section decides.
  assert.equal(rowsStartingWith(FIO, 'native').length, 2);
  assert.deepEqual(rowsStartingWith(section(FIO, '### real disk'), 'native')[0]!.slice(0, 3), [
    'native',
    '5',
    '0.961 (0.897-1.166)',
  ]);
  assert.throws(() => SUMMARIES['fio-summary']!.make(FIO.replace('| median |', '| mid |')), /0 rows start/);
  assert.throws(
    () => SUMMARIES['fio-summary']!.make(FIO.replace('| control median |', '| x |')),
    /0 rows start with "control median"/,
  );
});

test('client: the check perf rows and the default kube path, the RSS growth, and the sentence the docs quote', () => {
  assert.equal(
    SUMMARIES['client-summary']!.make(CLIENT),
    [
      '2026-12-07, medians of 3:',
      '',
      '| load | etcdctl us | ours us | ours / etcdctl | etcd us beside etcdctl / ours | writes/s etcdctl / ours |',
      '|---|---|---|---|---|---|',
      '| check perf m | 281 | 148 | 0.53 | 374 / 321 | 991 / 984 |',
      '| check perf l | 103 | 69 | 0.67 | 180 / 137 | 5547 / 7484 |',
      '| kube 500/s, 61 watches | - | 117 | 0.30 of etcd | - / 392 | - / 495 |',
      '',
      "Our RSS over 10 minutes of kube load: 1.07x the first minute's.",
      '',
    ].join('\n'),
  );
  assert.equal(
    SUMMARIES['client-kube']!.make(CLIENT),
    "117 us of client CPU a request at 500/s, 0.30 of etcd's own for the same requests (bench:client, " +
      '2026-12-07, the median of 3 runs).\n',
  );
});

test('apiserver: the largest deviation with its day and etcd', () => {
  const text =
    'On this machine (2026-12-06; etcd 3.6.17, one member on `/var/tmp`):\n\n| a |\n\n**max deviation 8.3 %**\n';
  assert.equal(SUMMARIES['apiserver-summary']!.make(text), '**max deviation 8.3 %** (2026-12-06, etcd 3.6.17)\n');
  assert.throws(() => SUMMARIES['apiserver-summary']!.make('no figures'), /apiserver/);
});

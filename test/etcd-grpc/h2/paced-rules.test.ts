// The paced wire by HTTP/2's rules, against Node's http2 server (nghttp2,
// which enforces them): a request whose deadline comes before the pacer
// writes it is taken back, never written (no RST_STREAM reaches a stream the
// server has not seen, and the server never applies it); the connection's
// send window is spent when bytes go, so messages larger than the window
// arrive whole without a FLOW_CONTROL_ERROR; and a connection still dialling
// keeps the pacer alive while another goes idle.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLIENT_DEADLINE, GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';
import { dialPaced, pacingUnavailable } from '../../../src/load/transport/paced-wire.js';
import { PACKAGE_ROOT } from '../../../src/core/paths.js';
import { PATH, serve } from '../../helpers/h2-server.js';

const skip = pacingUnavailable() ?? false;
const target = (port: number, deadlineMs = 10_000) => ({
  host: '127.0.0.1',
  port,
  deadlineMs,
  dialTimeoutMs: 2000,
  dial: dialPaced,
});

const call = (s: GrpcSession, message: Buffer, dueAtMs = Number.NaN) =>
  new Promise<{ code: number; details: string; sentAtMs: number }>((resolve) =>
    s.call(PATH, message, (code, details, _r, sentAtMs) => resolve({ code, details, sentAtMs }), '', dueAtMs),
  );

/** An HTTP/2 server in a child process (so it can be stopped with SIGSTOP); it prints each stream it opens. */
async function childServer(): Promise<{ port: number; child: ChildProcess; streams: () => number }> {
  const helper = join(PACKAGE_ROOT, 'dist', 'test', 'helpers', 'h2-server.js');
  const script = [
    `import { serve } from ${JSON.stringify(helper)};`,
    'const s = await serve({}, () => false, 1);',
    "s.server.on('stream', () => process.stdout.write('stream\\n'));",
    "process.stdout.write('port ' + s.port + '\\n');",
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  const end = Date.now() + 10_000;
  while (!/port \d+/.test(out) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  return {
    port: Number(/port (\d+)/.exec(out)![1]),
    child,
    streams: () => (out.match(/^stream$/gm) ?? []).length,
  };
}

test('a deadline before the send: the request is taken back, never written; the connection stays good', {
  skip,
}, async () => {
  const srv = await childServer();
  try {
    const s = new GrpcSession(target(srv.port, 300));
    await s.settled;
    assert.equal((await call(s, Buffer.from([1]))).code, 0);
    // Stopped, the server gives no window back: what fits the connection's window goes, the rest waits in the pacer
    // until its deadline, and is then taken back.
    srv.child.kill('SIGSTOP');
    // However much window the server had given before it stopped, rounds of 1.2 MB exhaust it.
    const answers: Awaited<ReturnType<typeof call>>[] = [];
    for (let round = 0; round < 6 && !answers.some((a) => a.code === CLIENT_DEADLINE); round++) {
      const due = performance.now() + 5;
      answers.push(...(await Promise.all(Array.from({ length: 24 }, () => call(s, Buffer.alloc(50_000, 1), due)))));
    }
    srv.child.kill('SIGCONT');
    const withdrawn = answers.filter((a) => a.code === CLIENT_DEADLINE);
    const written = answers.filter((a) => a.code !== CLIENT_DEADLINE);
    assert.ok(withdrawn.length >= 1, `some waited past their deadline in the pacer: ${answers.map((a) => a.code)}`);
    for (const a of withdrawn) {
      assert.match(a.details, /before the request was sent: never written/);
      assert.ok(Number.isNaN(a.sentAtMs), 'no send time: never written');
    }
    // The others went (their send time may reach us after their deadline): answered, or reset after their HEADERS.
    for (const a of written) assert.ok([0, 4].includes(a.code), `${a.code} ${a.details}`);
    // No protocol error: the connection carries the next call, and the server never opened the withdrawn ones.
    assert.equal((await call(s, Buffer.from([1, 2, 3]))).code, 0);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(srv.streams(), 1 + written.length + 1, 'the server saw exactly the calls that were written');
    s.close();
  } finally {
    srv.child.kill('SIGCONT');
    srv.child.kill('SIGKILL');
  }
});

test('messages larger than the connection window arrive whole: the window is spent when the bytes go', {
  skip,
}, async () => {
  const got: number[] = [];
  const srv = await serve({}, () => false, 1);
  srv.server.prependListener('stream', (stream) => {
    const k = got.push(0) - 1;
    stream.on('data', (d: Buffer) => {
      got[k]! += d.length;
    });
  });
  const s = new GrpcSession(target(srv.port));
  await s.settled;
  const due = performance.now() + 20;
  // Three messages of 100 KB due together: 300 KB through a 64 KB connection window and 64 KB stream windows.
  const answers = await Promise.all([0, 1, 2].map(() => call(s, Buffer.alloc(100_000, 7), due)));
  assert.deepEqual(
    answers.map((a) => a.code),
    [0, 0, 0],
    answers.map((a) => a.details).join('; '),
  );
  assert.deepEqual(got, [100_005, 100_005, 100_005], 'every byte of each message (5-byte gRPC prefix)');
  assert.equal((await call(s, Buffer.from([1]))).code, 0, 'no FLOW_CONTROL_ERROR: the connection is still good');
  s.close();
  srv.close();
});

test('a connection dialling while another goes idle: the pacer is not stopped under it', { skip }, async () => {
  const srv = await serve();
  const first = new GrpcSession(target(srv.port));
  await first.settled;
  // The second is still connecting when the first, the pacer's only wire, closes.
  const second = new GrpcSession(target(srv.port));
  first.close();
  await second.settled;
  const r = await Promise.race([
    call(second, Buffer.from([1, 2, 3]), performance.now() + 5),
    new Promise<{ code: number }>((resolve) => setTimeout(() => resolve({ code: -99 }), 5000)),
  ]);
  assert.equal(r.code, 0, 'the call on the second connection went and was answered');
  second.close();
  srv.close();
});

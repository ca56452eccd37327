// How soon after its deadline a call fails, measured against a server that
// never answers (a timing, so in the system tier): never before it, and the
// median within 10 ms after it (one timer, armed for the earliest deadline); the
// largest lateness is printed, as a busy host can hold any timer back.
import assert from 'node:assert/strict';
import { createServer } from 'node:http2';
import { test } from 'node:test';
import { GrpcSession } from '../../../src/etcd-grpc/h2/grpc-session.js';

test('an unanswered call fails at its deadline: never before, the median within 10 ms after', async () => {
  const server = createServer();
  server.on('stream', (stream) => {
    stream.on('data', () => undefined);
    stream.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const deadlineMs = 200;
  const s = new GrpcSession({ host: '127.0.0.1', port, deadlineMs, dialTimeoutMs: 2000 });
  await s.settled;
  const late: number[] = [];
  await Promise.all(
    Array.from(
      { length: 30 },
      (_, k) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            const t0 = performance.now();
            s.call('/never/Answers', Buffer.from([k]), (code) => {
              assert.equal(code, 4, 'DEADLINE_EXCEEDED');
              late.push(performance.now() - t0 - deadlineMs);
              resolve();
            });
          }, k * 17),
        ),
    ),
  );
  s.close();
  server.close();
  late.sort((a, b) => a - b);
  const median = late[Math.floor(late.length / 2)]!;
  console.log(
    `# deadline lateness: min ${late[0]!.toFixed(1)}, median ${median.toFixed(1)}, ` +
      `max ${late.at(-1)!.toFixed(1)} ms`,
  );
  assert.ok(late[0]! >= -0.5, `a call failed ${(-late[0]!).toFixed(1)} ms before its deadline`);
  assert.ok(median <= 10, `median lateness ${median.toFixed(1)} ms`);
});

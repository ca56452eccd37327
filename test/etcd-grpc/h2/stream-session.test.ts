// The streaming session against Node's own HTTP/2 server (nghttp2): a
// bidirectional stream stays open while messages go both ways, messages split
// across frames and several in one frame are each handed over whole, 40 MiB
// flow through windows of 16 MiB (the session gives bytes back as it reads),
// trailers end a stream with their status, and a lost connection ends every
// stream with a reason.
import assert from 'node:assert/strict';
import { createServer, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { test } from 'node:test';
import { StreamSession } from '../../../src/etcd-grpc/h2/stream-session.js';

const framed = (payload: Buffer) => {
  const out = Buffer.alloc(5 + payload.length);
  out.writeUInt32BE(payload.length, 1);
  payload.copy(out, 5);
  return out;
};

async function server(onStream: (s: ServerHttp2Stream) => void) {
  const srv = createServer();
  const sockets: Socket[] = [];
  srv.on('connection', (x: Socket) => sockets.push(x));
  srv.on('stream', (s) => {
    s.on('error', () => undefined);
    onStream(s);
  });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return { srv, sockets, port: (srv.address() as AddressInfo).port };
}

test('a stream carries messages both ways; split and packed messages arrive whole; trailers end it', async () => {
  const asked: string[] = [];
  const { srv, port } = await server((s) => {
    s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    s.on('data', (d: Buffer) => {
      asked.push(d.subarray(5).toString());
      if (asked.length === 1) {
        const two = Buffer.concat([framed(Buffer.from('one')), framed(Buffer.from('two'))]);
        s.write(two);
        const big = framed(Buffer.alloc(40_000, 7));
        s.write(big.subarray(0, 3));
        s.write(big.subarray(3, 30_000));
        s.write(big.subarray(30_000));
      } else s.end();
    });
  });
  const session = new StreamSession({ host: '127.0.0.1', port, dialTimeoutMs: 5000 });
  try {
    await session.ready;
    const got: Buffer[] = [];
    const closed = new Promise<[number, string]>((resolve) => {
      const st = session.open('/etcdserverpb.Watch/Watch', '', {
        message: (m) => {
          got.push(Buffer.from(m));
          if (got.length === 3) st.send(Buffer.from('bye'));
        },
        closed: (code, details) => resolve([code, details]),
      });
      st.send(Buffer.from('hello'));
    });
    assert.deepEqual(await closed, [0, '']);
    assert.deepEqual(asked, ['hello', 'bye']);
    assert.deepEqual(
      got.map((m) => m.length),
      [3, 3, 40_000],
    );
    assert.equal(got[0]!.toString(), 'one');
    assert.ok(got[2]!.every((b) => b === 7));
  } finally {
    session.close();
    srv.close();
  }
});

test('40 MiB through 16 MiB windows: the session gives back what it reads, so the stream never stalls', async () => {
  const chunk = framed(Buffer.alloc(1 << 20, 1));
  const { srv, port } = await server((s) => {
    s.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    s.on('wantTrailers', () => s.sendTrailers({ 'grpc-status': '0' }));
    let left = 40;
    const more = () => {
      while (left > 0) {
        left--;
        if (!s.write(chunk)) return void s.once('drain', more);
      }
      s.end();
    };
    more();
  });
  const session = new StreamSession({ host: '127.0.0.1', port, dialTimeoutMs: 5000 });
  try {
    await session.ready;
    let messages = 0;
    const closed = await new Promise<number>((resolve) => {
      session.open('/x', '', { message: () => void messages++, closed: (code) => resolve(code) });
    });
    assert.equal(closed, 0);
    assert.equal(messages, 40);
  } finally {
    session.close();
    srv.close();
  }
});

test('a lost connection ends every open stream, saying so', async () => {
  const { srv, sockets, port } = await server((s) => {
    s.respond({ ':status': 200, 'content-type': 'application/grpc' });
    s.write(framed(Buffer.from('up')));
  });
  const session = new StreamSession({ host: '127.0.0.1', port, dialTimeoutMs: 5000 });
  try {
    await session.ready;
    const ends = [0, 1].map(
      () =>
        new Promise<[number, string]>((resolve) => {
          let seen = 0;
          session.open('/x', '', {
            message: () => {
              seen++;
              if (seen === 1)
                setImmediate(() => {
                  for (const x of sockets) x.destroy();
                });
            },
            closed: (code, details) => resolve([code, details]),
          });
        }),
    );
    for (const [code, details] of await Promise.all(ends)) {
      assert.equal(code, 14);
      assert.match(details, /connection to 127\.0\.0\.1:\d+ (closed|failed)/);
    }
  } finally {
    session.close();
    srv.close();
  }
});

// An HTTP/2 server for the session's tests (Node's http2, nghttp2): answers
// each gRPC-shaped call after `delayMs`, counts streams and the most open at
// once per connection, and lets a test answer a stream its own way.
import { createServer, type Http2Server, type ServerHttp2Session, type ServerHttp2Stream } from 'node:http2';

export const PATH = '/test.Echo/Call';
export const ANSWER = Buffer.from([0, 0, 0, 0, 2, 8, 1]);

export interface Server {
  port: number;
  server: Http2Server;
  sessions: ServerHttp2Session[];
  /** Streams open at most at once, per connection. */
  maxOpen: number;
  streams: number;
  close(): void;
}

/** An answering server; `onStream` may answer differently (return true when it did). */
export async function serve(
  settings: { maxConcurrentStreams?: number } = {},
  onStream: (stream: ServerHttp2Stream, n: number, session: ServerHttp2Session) => boolean = () => false,
  delayMs = 20,
): Promise<Server> {
  const server = createServer({ settings });
  const s: Server = {
    port: 0,
    server,
    sessions: [],
    maxOpen: 0,
    streams: 0,
    close: () => {
      for (const x of s.sessions) x.destroy();
      server.close();
    },
  };
  const open = new Map<ServerHttp2Session, number>();
  server.on('session', (x) => {
    s.sessions.push(x);
    open.set(x, 0);
  });
  server.on('stream', (stream) => {
    const session = stream.session as ServerHttp2Session;
    const n = ++s.streams;
    open.set(session, open.get(session)! + 1);
    s.maxOpen = Math.max(s.maxOpen, open.get(session)!);
    stream.on('close', () => open.set(session, open.get(session)! - 1));
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    stream.on('end', () => {
      if (onStream(stream, n, session)) return;
      setTimeout(() => {
        if (stream.destroyed) return;
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(ANSWER);
      }, delayMs);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.port = (server.address() as { port: number }).port;
  return s;
}

// bench:client's lower bound for Node's own HTTP/2 (nghttp2 through
// node:http2): check perf's puts (a 256-byte random key, a 1 KiB value)
// closed loop, CLIENTS in flight over CONNS connections for SECONDS, with no
// timing, histograms or error classes: what a node:http2 sender costs before
// it measures anything. Run as its own process so its CPU is read alone.
//   node dist/bench/node-http2-put.js ENDPOINT CLIENTS CONNS SECONDS
import { randomBytes } from 'node:crypto';
import { connect } from 'node:http2';
import { encodePut } from '../src/etcd-grpc/messages/etcd.js';

const [endpoint = 'http://127.0.0.1:2379', clientsArg = '500', connsArg = '100', secondsArg = '60'] =
  process.argv.slice(2);
const clients = Number(clientsArg);
const sessions = Array.from({ length: Number(connsArg) }, () => connect(endpoint));
const value = randomBytes(1024);
const end = performance.now() + Number(secondsArg) * 1000;
let answered = 0;
let failed = 0;

function one(k: number): void {
  if (performance.now() >= end) return;
  const message = encodePut(`/edb-bench-h2/${randomBytes(128).toString('hex')}`, value);
  const framed = Buffer.allocUnsafe(5 + message.length);
  framed[0] = 0;
  framed.writeUInt32BE(message.length, 1);
  message.copy(framed, 5);
  const stream = sessions[k % sessions.length]!.request({
    ':method': 'POST',
    ':path': '/etcdserverpb.KV/Put',
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  let ok = false;
  stream.on('trailers', (t) => {
    ok = t['grpc-status'] === '0';
  });
  stream.on('data', () => undefined);
  stream.on('error', () => undefined);
  stream.on('close', () => {
    if (ok) answered++;
    else failed++;
    one(k);
  });
  stream.end(framed);
}

for (let k = 0; k < clients; k++) one(k);
await new Promise((r) => setTimeout(r, Number(secondsArg) * 1000 + 2000));
for (const s of sessions) s.close();
process.stdout.write(`${JSON.stringify({ answered, failed })}\n`);

// A small authoritative DNS server on UDP 127.0.0.1 for tests: answers SRV
// queries for the names it is given and NXDOMAIN otherwise, so SRV discovery
// is tested against real DNS packets through Node's resolver.
import { createSocket } from 'node:dgram';
import { after } from 'node:test';

export interface SrvTarget {
  target: string;
  port: number;
}

function encodeName(name: string): Buffer {
  const parts = name.replace(/\.$/, '').split('.');
  return Buffer.concat([
    ...parts.map((p) => Buffer.concat([Buffer.from([p.length]), Buffer.from(p)])),
    Buffer.from([0]),
  ]);
}

/** The question's name and where the question ends. */
function readQuestion(q: Buffer): { name: string; end: number } {
  const labels: string[] = [];
  let i = 12;
  while (q[i]! !== 0) {
    labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString());
    i += q[i]! + 1;
  }
  return { name: labels.join('.').toLowerCase(), end: i + 5 };
}

function answer(q: Buffer, records: Map<string, SrvTarget[]>): Buffer {
  const { name, end } = readQuestion(q);
  const found = records.get(name) ?? [];
  const header = Buffer.alloc(12);
  q.copy(header, 0, 0, 2); // id
  header.writeUInt16BE(0x8400 | (q.readUInt16BE(2) & 0x0100) | (found.length === 0 ? 3 : 0), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(found.length, 6);
  const rrs = found.map((r, i) => {
    const target = encodeName(r.target);
    const rdata = Buffer.alloc(6);
    rdata.writeUInt16BE(10, 0);
    rdata.writeUInt16BE(100 - i, 2);
    rdata.writeUInt16BE(r.port, 4);
    const head = Buffer.alloc(12);
    head.writeUInt16BE(0xc00c, 0); // the question's name
    head.writeUInt16BE(33, 2); // SRV
    head.writeUInt16BE(1, 4); // IN
    head.writeUInt32BE(60, 6);
    head.writeUInt16BE(rdata.length + target.length, 10);
    return Buffer.concat([head, rdata, target]);
  });
  return Buffer.concat([header, q.subarray(12, end), ...rrs]);
}

/** Serves `records` (SRV name -> targets) until the test file ends; returns "127.0.0.1:PORT". */
export async function startDns(records: Record<string, SrvTarget[]>): Promise<string> {
  const table = new Map(Object.entries(records).map(([k, v]) => [k.toLowerCase(), v]));
  const socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    socket.send(answer(msg, table), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  after(() => socket.close());
  return `127.0.0.1:${socket.address().port}`;
}

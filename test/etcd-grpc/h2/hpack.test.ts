// HPACK decoding: the Huffman code derived from its lengths (a few codes and
// the Kraft sum), RFC 7541's request examples with Huffman strings and a
// growing dynamic table (C.4), and header blocks made by another encoder
// (Node's http2, nghttp2: Huffman, indexing, eviction) decoded to what it
// sent; the tool's own request block decoded back to its fields.
import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { EOS, huffmanCodes, huffmanDecode } from '../../../src/etcd-grpc/h2/huffman.js';
import { encodeHeaderBlock, HpackDecoder } from '../../../src/etcd-grpc/h2/hpack.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const decodeAll = (d: HpackDecoder, block: Buffer) => {
  const out: [string, string][] = [];
  d.decode(block, (n, v) => out.push([n, v]));
  return out;
};

test('the Huffman code from its lengths: known codes, a complete code (Kraft sum 1), EOS all ones', () => {
  const codes = huffmanCodes();
  assert.equal(codes.length, 257);
  assert.deepEqual(codes[0], { code: 0x1ff8, bits: 13 });
  assert.deepEqual(codes[' '.charCodeAt(0)], { code: 0x14, bits: 6 });
  assert.deepEqual(codes['a'.charCodeAt(0)], { code: 0x3, bits: 5 });
  assert.deepEqual(codes[255], { code: 0x3ffffee, bits: 26 });
  assert.deepEqual(codes[EOS], { code: 0x3fffffff, bits: 30 });
  assert.equal(
    codes.reduce((sum, c) => sum + 2 ** -c.bits, 0),
    1,
  );
});

test('Huffman strings decode; bad padding and EOS inside are refused', () => {
  const www = hex('f1e3 c2e5 f23a 6ba0 ab90 f4ff');
  assert.equal(huffmanDecode(www, 0, www.length), 'www.example.com');
  const noCache = hex('a8eb 1064 9cbf');
  assert.equal(huffmanDecode(noCache, 0, noCache.length), 'no-cache');
  // 'a' (00011) padded with zeros instead of ones.
  assert.throws(() => huffmanDecode(Buffer.from([0x18]), 0, 1), /padding/);
  // A whole byte of padding is more than 7 bits.
  assert.throws(() => huffmanDecode(Buffer.from([0x1f, 0xff]), 0, 2), /padding/);
  assert.throws(() => huffmanDecode(Buffer.from([0xff, 0xff, 0xff, 0xff]), 0, 4), /EOS/);
});

test('RFC 7541 C.4: three requests on one connection, the dynamic table carried between them', () => {
  const d = new HpackDecoder();
  const base: [string, string][] = [
    [':method', 'GET'],
    [':scheme', 'http'],
    [':path', '/'],
    [':authority', 'www.example.com'],
  ];
  assert.deepEqual(decodeAll(d, hex('8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff')), base);
  assert.deepEqual(decodeAll(d, hex('8286 84be 5886 a8eb 1064 9cbf')), [...base, ['cache-control', 'no-cache']]);
  assert.deepEqual(decodeAll(d, hex('8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf')), [
    [':method', 'GET'],
    [':scheme', 'https'],
    [':path', '/index.html'],
    [':authority', 'www.example.com'],
    ['custom-key', 'custom-value'],
  ]);
  assert.throws(() => new HpackDecoder().decode(hex('be'), () => undefined), /no table entry/);
  assert.throws(() => new HpackDecoder(100).decode(hex('3f e1 1f'), () => undefined), /over the limit/);
});

test('our request block decodes to its fields, pseudo-headers first, with no table entry made', () => {
  const fields: [string, string][] = [
    [':method', 'POST'],
    [':scheme', 'http'],
    [':path', '/etcdserverpb.KV/Put'],
    [':authority', '127.0.0.1:2379'],
    ['content-type', 'application/grpc'],
    ['te', 'trailers'],
    ['x-long', 'v'.repeat(300)],
  ];
  const d = new HpackDecoder();
  const block = encodeHeaderBlock(fields);
  assert.deepEqual(decodeAll(d, block), fields);
  assert.deepEqual(decodeAll(d, block), fields, 'the same bytes decode the same the second time');
  assert.equal(block[0], 0x83, ':method POST is the static entry 3');
});

/** The header blocks a real HTTP/2 client (Node's, nghttp2) sends for `requests`, decoded by our decoder. */
async function blocksFromNode(requests: Record<string, string>[]): Promise<[string, string][][]> {
  const bytes: Buffer[] = [];
  const server = createServer((s) => s.on('data', (c) => bytes.push(c)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const session = connect(`http://127.0.0.1:${port}`);
  session.on('error', () => undefined);
  for (const h of requests) session.request(h).on('error', () => undefined);
  const wanted = requests.length;
  const blocks: Buffer[] = [];
  for (let tries = 0; tries < 100 && blocks.length < wanted; tries++) {
    await new Promise((r) => setTimeout(r, 20));
    blocks.length = 0;
    const all = Buffer.concat(bytes);
    let p = 24; // the preface
    while (p + 9 <= all.length) {
      const length = all.readUIntBE(p, 3);
      if (all[p + 3] === 1) blocks.push(all.subarray(p + 9, p + 9 + length));
      p += 9 + length;
    }
  }
  session.destroy();
  server.close();
  const d = new HpackDecoder();
  return blocks.map((b) => decodeAll(d, b));
}

test("Node's own HTTP/2 client's header blocks (Huffman, indexing, eviction) decode to what it sent", async () => {
  const requests = Array.from({ length: 40 }, (_, k) => ({
    ':method': 'POST',
    ':path': `/etcdserverpb.KV/Put?k=${k}`,
    'content-type': 'application/grpc',
    'grpc-message': `etcdserver: request ${k} is too large; percent%20x`,
    'x-filler': `${k}`.repeat(200), // 200-600 bytes a field: the 4 KiB table evicts as it goes
  }));
  const decoded = await blocksFromNode(requests);
  assert.equal(decoded.length, requests.length);
  decoded.forEach((fields, k) => {
    const got = Object.fromEntries(fields.filter(([n]) => n !== ':scheme' && n !== ':authority'));
    assert.deepEqual(got, requests[k], `request ${k}`);
  });
});

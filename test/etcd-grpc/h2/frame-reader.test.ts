// The frame splitter both HTTP/2 sessions read their socket with: frames
// complete across chunks in any split, several in one chunk, a kept partial
// frame survives the socket reusing its buffer, and a frame larger than the
// tool advertises is refused.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FrameReader } from '../../../src/etcd-grpc/h2/frame-reader.js';
import * as f from '../../../src/etcd-grpc/h2/frames.js';

type Seen = [type: number, flags: number, id: number, payload: string];

function reader(): { r: FrameReader; seen: Seen[] } {
  const seen: Seen[] = [];
  const r = new FrameReader((type, flags, id, payload) => {
    seen.push([type, flags, id, payload.toString('latin1')]);
  });
  return { r, seen };
}

const frames = Buffer.concat([
  f.frame(f.SETTINGS, 0, 0),
  f.frame(f.DATA, f.END_STREAM, 3, Buffer.from('hello', 'latin1')),
  f.frame(f.PING, f.ACK, 0, Buffer.from('12345678', 'latin1')),
]);
const expected: Seen[] = [
  [f.SETTINGS, 0, 0, ''],
  [f.DATA, f.END_STREAM, 3, 'hello'],
  [f.PING, f.ACK, 0, '12345678'],
];

test('three frames in one chunk arrive in order', () => {
  const { r, seen } = reader();
  r.read(frames);
  assert.deepEqual(seen, expected);
});

test('every split into two chunks gives the same frames', () => {
  for (let cut = 0; cut <= frames.length; cut++) {
    const { r, seen } = reader();
    r.read(frames.subarray(0, cut));
    r.read(frames.subarray(cut));
    assert.deepEqual(seen, expected, `cut at ${cut}`);
  }
});

test('a byte at a time gives the same frames', () => {
  const { r, seen } = reader();
  for (let k = 0; k < frames.length; k++) r.read(frames.subarray(k, k + 1));
  assert.deepEqual(seen, expected);
});

test('a kept partial frame is a copy: the socket may reuse its read buffer', () => {
  const { r, seen } = reader();
  const buf = Buffer.from(frames);
  const cut = f.FRAME_HEADER + 2; // past the empty SETTINGS frame, inside DATA's header
  r.read(buf.subarray(0, cut));
  const rest = Buffer.from(buf.subarray(cut));
  buf.fill(0xee); // the socket reuses its buffer for the next read
  r.read(rest);
  assert.deepEqual(seen, expected);
});

test('the stream id drops the reserved bit', () => {
  const { r, seen } = reader();
  const one = f.frame(f.DATA, 0, 5, Buffer.from('x', 'latin1'));
  one[5] = one[5]! | 0x80;
  r.read(one);
  assert.deepEqual(seen, [[f.DATA, 0, 5, 'x']]);
});

test('a frame over the default maximum is refused before its payload arrives', () => {
  const { r, seen } = reader();
  const header = Buffer.alloc(f.FRAME_HEADER);
  f.writeFrameHeader(header, 0, f.DEFAULT_MAX_FRAME + 1, f.DATA, 0, 1);
  assert.throws(() => r.read(header), /a frame of 16385 bytes/);
  assert.deepEqual(seen, []);
});

test("the handler's error passes out, after the frames before it", () => {
  const seen: number[] = [];
  const r = new FrameReader((type) => {
    if (type === f.PING) throw new Error('bad ping');
    seen.push(type);
  });
  assert.throws(() => r.read(frames), /bad ping/);
  assert.deepEqual(seen, [f.SETTINGS, f.DATA]);
});

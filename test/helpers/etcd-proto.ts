// etcd's protobuf definitions as etcd3 ships them (its proto/rpc.proto, read
// by protobufjs as etcd3's own client reads it): the reference our
// hand-written messages are held to.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import protobuf from 'protobufjs';

const etcd3Dir = dirname(createRequire(import.meta.url).resolve('etcd3/package.json'));
const root = protobuf.loadSync(join(etcd3Dir, 'proto', 'rpc.proto'));
const type = (name: string) => root.lookupType(`etcdserverpb.${name}`);

/** A message of ours decoded by protobufjs, as a plain object (int64 as strings, bytes as base64). */
export const asObject = (name: string, bytes: Buffer) =>
  type(name).toObject(type(name).decode(bytes), { longs: String, bytes: String, defaults: false, oneofs: true });

/** protobufjs's encoding of `value` as etcd's message `name`. */
export const theirs = (name: string, value: object) =>
  Buffer.from(type(name).encode(type(name).fromObject(value)).finish());

export const b64 = (s: string) => Buffer.from(s).toString('base64');

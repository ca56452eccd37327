// Plain puts (etcd's benchmark `put`) and etcdctl check perf's shape: keys
// under our prefix, values of a fixed size, keys in order or at random.
import { randomBytes } from 'node:crypto';
import { encodePut, METHOD, putHeaderLength, writeField } from '../../etcd-grpc/messages/etcd.js';
import { RandomPool } from './random-pool.js';
import type { LoadWorkload, Request } from './workload.js';

export interface PutOptions {
  prefix: string;
  keySize: number;
  valueSize: number;
  keySpace: number;
  sequential: boolean;
}

/** A key of exactly `size` bytes after the prefix, from a number. */
function keyOf(prefix: string, n: number, size: number): string {
  const digits = String(n);
  return prefix + (digits.length >= size ? digits.slice(-size) : digits.padStart(size, '0'));
}

/** `put --key-size --val-size --key-space-size [--sequential-keys]`. */
export function putWorkload(o: PutOptions): LoadWorkload {
  const value = randomBytes(o.valueSize);
  const keyAt = (i: number) =>
    keyOf(o.prefix, o.sequential ? i % o.keySpace : Math.floor(Math.random() * o.keySpace), o.keySize);
  // One request object, filled in place: the runner reads it before asking for the next.
  const req: Request = { kind: 'put', method: METHOD.put, message: Buffer.alloc(0) };
  return {
    name: 'put',
    prefix: o.prefix,
    next(i: number): Request {
      req.message = encodePut(keyAt(i), value);
      return req;
    },
  };
}

/** etcdctl check perf: a fresh 256-byte random key and a 1024-byte value per put. */
export function checkPerfWorkload(prefix: string): LoadWorkload {
  const value = randomBytes(1024);
  const pool = new RandomPool();
  const prefixBytes = Buffer.from(prefix);
  const keyLength = prefixBytes.length + 256;
  // The value's field (tag, length, bytes) is the same in every request: made once, copied.
  const valueField = Buffer.allocUnsafe(putHeaderLength(value.length) + value.length);
  value.copy(valueField, writeField(valueField, 0, 0x12, value.length));
  const size = putHeaderLength(keyLength) + keyLength + valueField.length;
  const req: Request = { kind: 'put', method: METHOD.put, message: Buffer.alloc(0) };
  return {
    name: 'check-perf',
    prefix,
    next(): Request {
      const out = Buffer.allocUnsafe(size);
      let at = writeField(out, 0, 0x0a, keyLength);
      at += prefixBytes.copy(out, at);
      at = pool.hexInto(out, at, 128);
      valueField.copy(out, at);
      req.message = out;
      return req;
    },
  };
}

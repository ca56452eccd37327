// Plain puts (etcd's benchmark `put`) and etcdctl check perf's shape: keys
// under our prefix, values of a fixed size, keys in order or at random.
import { randomBytes } from 'node:crypto';
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
  return {
    name: 'put',
    prefix: o.prefix,
    next(i: number): Request {
      const n = o.sequential ? i % o.keySpace : Math.floor(Math.random() * o.keySpace);
      const key = keyOf(o.prefix, n, o.keySize);
      return {
        kind: 'put',
        send: (c) =>
          c
            .put(key)
            .value(value)
            .exec()
            .then(() => 'ok'),
      };
    },
  };
}

/** etcdctl check perf: a fresh 256-byte random key and a 1024-byte value per put. */
export function checkPerfWorkload(prefix: string): LoadWorkload {
  const value = randomBytes(1024);
  const pool = new RandomPool();
  return {
    name: 'check-perf',
    prefix,
    next(): Request {
      const key = prefix + pool.take(128).toString('hex');
      return {
        kind: 'put',
        send: (c) =>
          c
            .put(key)
            .value(value)
            .exec()
            .then(() => 'ok'),
      };
    },
  };
}

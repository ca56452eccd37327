// GET a URL's body as text, with the cluster's TLS material when it is https
// (fetch() cannot take a custom CA or a client certificate). Every read of an
// endpoint we do not control is bounded: a total deadline (not an idle one: a
// server that trickles forever is cut off too) and a size limit, so a broken
// proxy or a hostile endpoint can neither hold a run nor grow its memory.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { EnvironmentError } from '../core/errors.js';

export interface TlsMaterial {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** false: accept any server certificate (--insecure-skip-tls-verify). */
  rejectUnauthorized?: boolean;
  /** The most bytes one answer may have (--metrics-max-size); default DEFAULT_MAX_READ_BYTES. */
  maxBytes?: number;
}

/** A large etcd's /metrics is a few MB; a Prometheus range query over a week at 15 s steps, a few more. */
export const DEFAULT_MAX_READ_BYTES = 64 * 1024 * 1024;

/** An answer over its size limit: the run cannot trust the endpoint, and ends (exit 3), naming it and the limit. */
export class ReadLimitError extends EnvironmentError {
  constructor(
    readonly url: string,
    readonly limitBytes: number,
    what = 'answer',
  ) {
    super(
      `${url}: the ${what} went past ${limitBytes} bytes (--metrics-max-size) and was cut off: a broken proxy or an ` +
        'endpoint that is not what it seems; raise the limit only if it is really that large',
      'READ_LIMIT',
    );
  }
}

/** A 200's body as text; any other status is an error. */
export async function fetchText(url: string, tls: TlsMaterial, timeoutMs: number): Promise<string> {
  const r = await fetchBody(url, tls, timeoutMs);
  if (r.status !== 200) throw new Error(`GET ${url}: HTTP ${r.status}`);
  return r.text;
}

/** The status and body of a GET, bounded by the total deadline and the size limit. */
export function fetchBody(url: string, tls: TlsMaterial, timeoutMs: number): Promise<{ status: number; text: string }> {
  const limit = tls.maxBytes ?? DEFAULT_MAX_READ_BYTES;
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const { maxBytes: _, ...material } = tls;
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      u.protocol === 'https:' ? material : {},
      (res) => {
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > limit) {
          req.destroy(new ReadLimitError(url, limit));
          return;
        }
        const chunks: Buffer[] = [];
        let bytes = 0;
        res.on('data', (d: Buffer) => {
          bytes += d.length;
          if (bytes > limit) req.destroy(new ReadLimitError(url, limit));
          else chunks.push(d);
        });
        res.on('end', () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks, bytes).toString('utf8') });
        });
        res.on('error', reject);
      },
    );
    // The whole answer within the deadline, however it trickles in.
    const deadline = setTimeout(
      () =>
        req.destroy(Object.assign(new Error(`GET ${url}: no full answer within ${timeoutMs} ms`), { timeout: true })),
      timeoutMs,
    );
    deadline.unref();
    req.on('error', (e) => {
      clearTimeout(deadline);
      reject(e);
    });
    req.end();
  });
}

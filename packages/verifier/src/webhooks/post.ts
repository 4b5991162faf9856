/**
 * One webhook POST to a checked address: the socket connects to `target.address` (the lookup is
 * answered with it, so the name is never resolved again), while the URL's host name still goes
 * into the Host header and TLS SNI / certificate check. No redirects are followed.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from './target.ts';

export interface PostResult {
  status: number | null;
  /** Set when no HTTP answer came back: timeout, connection refused, TLS failure. */
  error?: string;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

export function postToTarget(target: ResolvedTarget, body: string, headers: Record<string, string>, timeoutMs: number): Promise<PostResult> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    // `timeout` below is socket inactivity only; this bounds the whole request, so a receiver
    // trickling bytes cannot hold a delivery past its lease.
    const deadline = setTimeout(() => request.destroy(new Error('timeout')), timeoutMs);
    const finish = (result: PostResult): void => {
      clearTimeout(deadline);
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const request = client.request(target.url, {
      method: 'POST',
      lookup: pinned,
      headers: { ...headers, 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) },
      timeout: timeoutMs,
      agent: false,
    }, (response) => {
      let received = 0;
      // The body is read only to free the socket; a large one is cut off.
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) response.destroy();
      });
      response.on('end', () => finish({ status: response.statusCode ?? null }));
      response.on('close', () => finish({ status: response.statusCode ?? null }));
      response.on('error', () => finish({ status: response.statusCode ?? null }));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', (error: NodeJS.ErrnoException) => finish({ status: null, error: error.code ?? error.message.slice(0, 40) }));
    request.end(body);
  });
}

/**
 * Webhook signatures (docs/verifier-webhooks.md). The verifier signs `<t>.<raw body>` with
 * HMAC-SHA256 under every active secret and sends
 *
 *   Ekyc-Signature: t=<unix seconds>,v1=<hex>,v1=<hex>...
 *
 * Binding the timestamp into the MAC is what lets a receiver refuse a replayed request: an old
 * capture fails the window, and moving its `t` breaks every v1. Several v1 values make secret
 * rotation seamless: the receiver accepts when any of its secrets matches any v1.
 *
 * This module is what an integrator's Node backend imports (`@ekyc/verifier/webhooks`): Node's
 * crypto only, no database or model code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { EkycError } from '@ekyc/core';

export const SIGNATURE_HEADER = 'Ekyc-Signature';
export const EVENT_ID_HEADER = 'Ekyc-Event-Id';
/** Default replay window: a delivery is accepted up to 5 minutes from its signed timestamp (either side, for clock skew). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const toBytes = (body: string | Uint8Array): Buffer => (typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength));

function mac(secret: string, timestamp: number, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

/** The header value for `body` at `timestamp` (unix seconds), one v1 per secret. */
export function signWebhook(body: string | Uint8Array, secrets: readonly string[], timestamp: number): string {
  if (secrets.length === 0) throw new EkycError('invalid_argument', 'At least one webhook secret is needed to sign.');
  const bytes = toBytes(body);
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${mac(secret, timestamp, bytes).toString('hex')}`)].join(',');
}

export interface VerifyWebhookOptions {
  /** The raw request body exactly as received (before any JSON parsing). */
  body: string | Uint8Array;
  /** The `Ekyc-Signature` header value. */
  header: string | undefined;
  /** The receiver's active secrets (during a rotation: the new one and the old one). */
  secrets: readonly string[];
  /** Replay window in seconds (default 300). */
  toleranceSeconds?: number;
  /** Current time, unix seconds (default: the clock). */
  now?: number;
}

/**
 * Checks a delivery: returns its signed timestamp when a v1 matches under one of `secrets` and the
 * timestamp is within the window; otherwise throws `EkycError` with `webhook_signature_invalid`
 * (malformed header, no match: body or timestamp changed, wrong secret) or
 * `webhook_timestamp_outside_window` (a valid signature, too old or too far ahead: a replay).
 * Dedupe on the `Ekyc-Event-Id` header afterwards: retries resend the same event id.
 */
export function verifyWebhookSignature(options: VerifyWebhookOptions): { timestamp: number } {
  const { header, secrets } = options;
  if (secrets.length === 0) throw new EkycError('invalid_argument', 'At least one webhook secret is needed to verify.');
  if (header === undefined || header.length > 4096) throw new EkycError('webhook_signature_invalid', 'Missing or oversized signature header.', { details: { reason: 'malformed' } });
  let timestamp: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[0-9a-f]{64}$/.test(value)) candidates.push(Buffer.from(value, 'hex'));
  }
  if (timestamp === undefined || candidates.length === 0) {
    throw new EkycError('webhook_signature_invalid', 'The signature header needs t= and at least one v1=.', { details: { reason: 'malformed' } });
  }
  const bytes = toBytes(options.body);
  const matched = secrets.some((secret) => {
    const expected = mac(secret, timestamp!, bytes);
    return candidates.some((candidate) => timingSafeEqual(candidate, expected));
  });
  if (!matched) throw new EkycError('webhook_signature_invalid', 'No signature matches the body and timestamp under these secrets.', { details: { reason: 'mismatch' } });
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(now - timestamp) > tolerance) {
    throw new EkycError('webhook_timestamp_outside_window', 'The signed timestamp is outside the replay window.', { details: { ageSeconds: now - timestamp, toleranceSeconds: tolerance } });
  }
  return { timestamp };
}

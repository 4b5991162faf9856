/** verifyWebhookSignature as an integrator calls it: valid, rotated, tampered, replayed, malformed. */
import { describe, expect, it } from 'vitest';
import { EkycError } from '@ekyc/core';
import { DEFAULT_TOLERANCE_SECONDS, signWebhook, verifyWebhookSignature } from './signature.ts';

const SECRET = 'whsec_current_0123456789abcdefghijklmnop';
const RETIRED = 'whsec_retired_0123456789abcdefghijklmnop';
const body = JSON.stringify({ id: 'evt_1', type: 'verification.decided', data: { sessionId: 'ses_1', outcome: 'approve' } });
const t = 1_780_000_000;

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof EkycError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('verifyWebhookSignature', () => {
  const header = signWebhook(body, [SECRET, RETIRED], t);

  it('accepts the body as sent, under either active secret, within the window', () => {
    expect(header).toMatch(/^t=1780000000,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature({ body, header, secrets: [SECRET], now: t })).toEqual({ timestamp: t });
    expect(verifyWebhookSignature({ body: Buffer.from(body), header, secrets: [RETIRED], now: t + DEFAULT_TOLERANCE_SECONDS })).toEqual({ timestamp: t });
    // A receiver mid-rotation holding both secrets, the verifier already on the new one only.
    expect(verifyWebhookSignature({ body, header: signWebhook(body, [SECRET], t), secrets: [RETIRED, SECRET], now: t })).toEqual({ timestamp: t });
  });

  it('refuses a tampered body, a moved timestamp and a wrong secret', () => {
    expect(codeOf(() => verifyWebhookSignature({ body: body.replace('approve', 'reject'), header, secrets: [SECRET], now: t }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyWebhookSignature({ body: `${body} `, header, secrets: [SECRET], now: t }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyWebhookSignature({ body, header: header.replace(`t=${t}`, `t=${t + 600}`), secrets: [SECRET], now: t + 600 }))).toBe('webhook_signature_invalid');
    expect(codeOf(() => verifyWebhookSignature({ body, header, secrets: ['whsec_other_0123456789abcdefghijklmnopqr'], now: t }))).toBe('webhook_signature_invalid');
  });

  it('refuses a replay older than the window, and a timestamp too far ahead', () => {
    expect(codeOf(() => verifyWebhookSignature({ body, header, secrets: [SECRET], now: t + DEFAULT_TOLERANCE_SECONDS + 1 }))).toBe('webhook_timestamp_outside_window');
    expect(codeOf(() => verifyWebhookSignature({ body, header, secrets: [SECRET], now: t - DEFAULT_TOLERANCE_SECONDS - 1 }))).toBe('webhook_timestamp_outside_window');
    expect(codeOf(() => verifyWebhookSignature({ body, header, secrets: [SECRET], now: t + 60, toleranceSeconds: 30 }))).toBe('webhook_timestamp_outside_window');
  });

  it('refuses malformed headers', () => {
    for (const bad of [undefined, '', `t=${t}`, 'v1=' + 'a'.repeat(64), `t=abc,v1=${'a'.repeat(64)}`, `t=${t},v1=zz`, 'x'.repeat(5000)]) {
      expect(codeOf(() => verifyWebhookSignature({ body, header: bad, secrets: [SECRET], now: t }))).toBe('webhook_signature_invalid');
    }
    expect(codeOf(() => verifyWebhookSignature({ body, header, secrets: [], now: t }))).toBe('invalid_argument');
  });
});

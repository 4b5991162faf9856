// The integrator's webhook receiver: checks the signature over the raw body before trusting a byte,
// then dedupes on the event id (the verifier retries with the same id).
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifyWebhookSignature } from '@ekyc/verifier/webhooks';

const seen = new Set();

/**
 * @param {string} rawBody the request body exactly as received
 * @param {Record<string, string | undefined>} headers lower-cased header names
 * @param {readonly string[]} secrets the active webhook secrets (two during a rotation)
 * @returns {{ status: number, event?: unknown, duplicate?: boolean, code?: string }}
 */
export function receiveWebhook(rawBody, headers, secrets) {
  try {
    verifyWebhookSignature({ body: rawBody, header: headers[SIGNATURE_HEADER.toLowerCase()], secrets });
  } catch (error) {
    // EkycError: webhook_signature_invalid or webhook_timestamp_outside_window.
    return { status: 400, code: error.code ?? 'webhook_signature_invalid' };
  }
  const id = headers[EVENT_ID_HEADER.toLowerCase()];
  if (id !== undefined && seen.has(id)) return { status: 200, duplicate: true };
  if (id !== undefined) seen.add(id);
  return { status: 200, event: JSON.parse(rawBody) };
}

/**
 * Webhook configuration from the environment, checked at start-up (docs/verifier-webhooks.md):
 *
 * - VERIFIER_WEBHOOK_URLS: comma list of target URLs (none: no webhooks);
 * - VERIFIER_WEBHOOK_SECRETS: comma list of active signing secrets (>= 32 characters each),
 *   required with URLs; during a rotation list the new and the old one;
 * - VERIFIER_WEBHOOK_ALLOW_PRIVATE: comma list of IPs / CIDRs exempt from the SSRF ranges
 *   (local development: `127.0.0.1/32,::1`);
 * - VERIFIER_WEBHOOK_MAX_ATTEMPTS, VERIFIER_WEBHOOK_RETRY_BASE_SECONDS,
 *   VERIFIER_WEBHOOK_MAX_DELAY_SECONDS, VERIFIER_WEBHOOK_TIMEOUT_MS: the retry schedule.
 */
import { EkycError } from '@ekyc/core';
import { DEFAULT_WEBHOOK_RETRY, targetOf, type WebhookSettings } from './delivery.ts';
import { checkTargetUrl, parseAllowList, refusedRange } from './target.ts';
import ipaddr from 'ipaddr.js';

type Env = Readonly<Record<string, string | undefined>>;

export const MIN_WEBHOOK_SECRET_LENGTH = 32;

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new EkycError('invalid_argument', `${name} must be an integer from ${min} to ${max}.`, { details: { name } });
  return value;
}

export function loadWebhookConfig(env: Env, production: boolean): WebhookSettings {
  const allow = parseAllowList(env.VERIFIER_WEBHOOK_ALLOW_PRIVATE);
  const targets = list(env.VERIFIER_WEBHOOK_URLS).map((raw, index) => {
    let url: URL;
    try {
      url = checkTargetUrl(raw, { requireHttps: production });
    } catch (error) {
      const reason = error instanceof EkycError ? String(error.details?.reason) : 'url';
      throw new EkycError('invalid_argument', `VERIFIER_WEBHOOK_URLS entry ${index + 1} is refused (${reason}${reason === 'scheme' && production ? ': https is required in production' : ''}).`, { cause: error, details: { name: 'VERIFIER_WEBHOOK_URLS', index, reason } });
    }
    // A literal address can be judged now; host names are resolved and checked at each delivery.
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (ipaddr.isValid(host)) {
      const range = refusedRange(host, allow);
      if (range !== null) throw new EkycError('invalid_argument', `VERIFIER_WEBHOOK_URLS entry ${index + 1} is a ${range} address; list it in VERIFIER_WEBHOOK_ALLOW_PRIVATE for local development.`, { details: { name: 'VERIFIER_WEBHOOK_URLS', index, range } });
    }
    return targetOf(url);
  });
  const secrets = list(env.VERIFIER_WEBHOOK_SECRETS);
  if (targets.length > 0 && secrets.length === 0) throw new EkycError('invalid_argument', 'VERIFIER_WEBHOOK_SECRETS is required when VERIFIER_WEBHOOK_URLS is set.', { details: { name: 'VERIFIER_WEBHOOK_SECRETS' } });
  const short = secrets.findIndex((secret) => secret.length < MIN_WEBHOOK_SECRET_LENGTH);
  if (short >= 0) throw new EkycError('invalid_argument', `VERIFIER_WEBHOOK_SECRETS entry ${short + 1} is shorter than ${MIN_WEBHOOK_SECRET_LENGTH} characters.`, { details: { name: 'VERIFIER_WEBHOOK_SECRETS', index: short } });
  return {
    targets,
    secrets,
    allow,
    maxAttempts: integer(env, 'VERIFIER_WEBHOOK_MAX_ATTEMPTS', DEFAULT_WEBHOOK_RETRY.maxAttempts, 1, 100),
    retryBaseSeconds: integer(env, 'VERIFIER_WEBHOOK_RETRY_BASE_SECONDS', DEFAULT_WEBHOOK_RETRY.retryBaseSeconds, 1, 3600),
    maxDelaySeconds: integer(env, 'VERIFIER_WEBHOOK_MAX_DELAY_SECONDS', DEFAULT_WEBHOOK_RETRY.maxDelaySeconds, 1, 7 * 24 * 3600),
    timeoutMs: integer(env, 'VERIFIER_WEBHOOK_TIMEOUT_MS', DEFAULT_WEBHOOK_RETRY.timeoutMs, 100, 120_000),
  };
}

/**
 * Operations settings from the environment: log level, the private ops listener (/metrics and
 * probes), proxy trust, per-route rate limits and the shutdown deadline. Every value is checked
 * at start-up; a bad one stops the start with an `invalid_argument` naming the variable.
 */
import { isIP } from 'node:net';
import { EkycError } from '@ekyc/core';

type Env = Readonly<Record<string, string | undefined>>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Route classes with their own limit (requests per window, per client address, per instance). */
export interface RateLimits {
  windowSeconds: number;
  /** POST /sessions (the integrator's backend). */
  sessions: number;
  /** POST /sessions/:id/key. */
  keys: number;
  /** POST /sessions/:id/evidence: whole bundles and chunks. */
  uploads: number;
  /** GET /sessions/:id (status polling). */
  status: number;
  /** Everything else except the probes and /metrics. */
  other: number;
}

export interface OpsConfig {
  logLevel: LogLevel;
  /** The ops listener (/healthz, /readyz, /metrics); null = none. */
  opsListener: { host: string; port: number } | null;
  /** Bearer token required on /metrics when set. */
  metricsToken: string | null;
  /** Fastify `trustProxy`: false, true (any proxy), or a comma list of proxy addresses / CIDRs. */
  trustProxy: boolean | string[];
  /** null = rate limiting off (VERIFIER_RATE_LIMIT=off). */
  rateLimits: RateLimits | null;
  /** After SIGTERM: in-flight requests and jobs get this long, then the process stops anyway. */
  shutdownTimeoutSeconds: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = { windowSeconds: 60, sessions: 600, keys: 300, uploads: 1200, status: 600, other: 300 };

function invalid(name: string, message: string): EkycError {
  return new EkycError('invalid_argument', `${name} ${message}`, { details: { name } });
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw invalid(name, `must be an integer from ${min} to ${max} (got "${raw}").`);
  return value;
}

const isLoopback = (host: string): boolean => host === 'localhost' || host === '::1' || /^127\./.test(host);

function parseTrustProxy(raw: string | undefined): OpsConfig['trustProxy'] {
  if (raw === undefined || raw.trim() === '' || raw === 'false') return false;
  if (raw === 'true') return true;
  const entries = raw.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  for (const entry of entries) {
    const [address, bits] = entry.split('/');
    if (isIP(address ?? '') === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits))) {
      throw invalid('VERIFIER_TRUST_PROXY', `is false, true, or a comma list of IP addresses / CIDRs (bad entry "${entry}").`);
    }
  }
  return entries;
}

export function loadOpsConfig(env: Env, production: boolean): OpsConfig {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw invalid('LOG_LEVEL', `is one of ${LOG_LEVELS.join(', ')}.`);

  const opsHost = env.VERIFIER_OPS_HOST ?? '127.0.0.1';
  const opsPortRaw = env.VERIFIER_OPS_PORT;
  const opsListener = opsPortRaw === undefined || opsPortRaw.trim() === '' ? null : { host: opsHost, port: integer(env, 'VERIFIER_OPS_PORT', 0, 0, 65535) };
  const metricsToken = env.VERIFIER_METRICS_TOKEN ?? null;
  if (metricsToken !== null && metricsToken.length < 16) throw invalid('VERIFIER_METRICS_TOKEN', 'must be at least 16 characters.');
  // Metrics name queue depths, error codes and timings: not personal data, but not for the public
  // either. A production ops listener reachable from other hosts must ask for a token.
  if (production && opsListener !== null && !isLoopback(opsListener.host) && metricsToken === null) {
    throw invalid('VERIFIER_METRICS_TOKEN', `is required in production when the ops listener binds a non-loopback address (VERIFIER_OPS_HOST=${opsListener.host}).`);
  }

  let rateLimits: RateLimits | null = null;
  if (env.VERIFIER_RATE_LIMIT !== 'off') {
    if (env.VERIFIER_RATE_LIMIT !== undefined && env.VERIFIER_RATE_LIMIT !== '' && env.VERIFIER_RATE_LIMIT !== 'on') throw invalid('VERIFIER_RATE_LIMIT', 'is on or off.');
    const max = 1_000_000;
    rateLimits = {
      windowSeconds: integer(env, 'VERIFIER_RATE_LIMIT_WINDOW_SECONDS', DEFAULT_RATE_LIMITS.windowSeconds, 1, 3600),
      sessions: integer(env, 'VERIFIER_RATE_LIMIT_SESSIONS', DEFAULT_RATE_LIMITS.sessions, 1, max),
      keys: integer(env, 'VERIFIER_RATE_LIMIT_KEYS', DEFAULT_RATE_LIMITS.keys, 1, max),
      uploads: integer(env, 'VERIFIER_RATE_LIMIT_UPLOADS', DEFAULT_RATE_LIMITS.uploads, 1, max),
      status: integer(env, 'VERIFIER_RATE_LIMIT_STATUS', DEFAULT_RATE_LIMITS.status, 1, max),
      other: integer(env, 'VERIFIER_RATE_LIMIT_OTHER', DEFAULT_RATE_LIMITS.other, 1, max),
    };
  }

  return {
    logLevel,
    opsListener,
    metricsToken,
    trustProxy: parseTrustProxy(env.VERIFIER_TRUST_PROXY),
    rateLimits,
    shutdownTimeoutSeconds: integer(env, 'VERIFIER_SHUTDOWN_TIMEOUT_SECONDS', 25, 1, 600),
  };
}

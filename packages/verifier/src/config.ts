/**
 * Configuration from the environment. In development (NODE_ENV !== 'production') secrets that
 * are missing are generated once, written to `<stateDir>/dev-secrets.json` (mode 0600) and
 * printed once; in production a missing secret is a start-up error naming the variable.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { EkycError } from '@ekyc/core';
import { DEFAULT_SESSION_CONFIG, sessionConfigSchema, type SessionConfig } from './session-config.ts';
import { loadReviewConfig, type ReviewConfig } from './review/config.ts';
import { loadOpsConfig, type OpsConfig } from './ops/config.ts';
import { loadWebhookConfig } from './webhooks/config.ts';
import type { WebhookSettings } from './webhooks/delivery.ts';
import { loadLockoutConfig } from './lockout/config.ts';
import type { LockoutPolicy } from './lockout/attempts.ts';
import { loadRetentionConfig, type RetentionConfig } from './retention/policy.ts';

export type VerifierRole = 'all' | 'api' | 'worker';

export interface VerifierConfig {
  host: string;
  port: number;
  databaseUrl: string;
  role: VerifierRole;
  production: boolean;
  /** P-256 ECDH private JWK with a `kid`: bundles are sealed to its public half. */
  verifierPrivateJwk: JWK;
  /** Older verifier keys (by `kid`) still accepted for bundles sealed before a rotation. */
  previousVerifierJwks: JWK[];
  apiKey: string;
  tokenSecret: Uint8Array;
  clientTokenTtlSeconds: number;
  kek: { id: string; base64url: string };
  /** Older KEKs still wrapping stored data keys (rotation). */
  previousKeks: { id: string; base64url: string }[];
  pepper: { id: string; base64url: string };
  previousPeppers: { id: string; base64url: string }[];
  sessionDefaults: SessionConfig;
  maxSealedBytes: number;
  /** Directory with fr-detect.onnx, fr-landmark68.onnx, fr-feature.onnx; default: the faceplugin package. */
  modelDir: string | undefined;
  /** Seconds a re-scoring job may run before pg-boss retries it on another worker. */
  jobExpireSeconds: number;
  /** Risk signals this deployment does not run (left out of the score, others rescaled). */
  riskOptionalSignals: string[];
  /** Set when development secrets were generated on this start (printed once by the bin). */
  generatedSecrets: string[];
  /** Review claims, screening list, duplicate threshold (src/review/config.ts). */
  review: ReviewConfig;
  /** Logs, ops listener (/metrics), proxy trust, rate limits, shutdown deadline (src/ops/config.ts). */
  ops: OpsConfig;
  /** Webhook targets, signing secrets, SSRF allow-list, retry schedule (src/webhooks/config.ts). */
  webhooks: WebhookSettings;
  /** Failed-liveness lockout (src/lockout/config.ts). */
  lockout: LockoutPolicy;
  /** Retention per data class and the purge schedule (src/retention/policy.ts). */
  retention: RetentionConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

function integerFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new EkycError('invalid_argument', `${name} must be an integer from ${min} to ${max}.`, { details: { name } });
  return value;
}

const randomSecret = (bytes = 32): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');

function parseKeyList(value: string | undefined, name: string): { id: string; base64url: string }[] {
  if (value === undefined || value.trim() === '') return [];
  return value.split(',').map((entry) => {
    const [id, key] = entry.split(':');
    if (!id || !key) throw new EkycError('invalid_argument', `${name} is a comma-separated list of id:base64url.`);
    return { id, base64url: key };
  });
}

interface DevSecrets {
  VERIFIER_PRIVATE_JWK: string;
  VERIFIER_API_KEY: string;
  VERIFIER_TOKEN_SECRET: string;
  VERIFIER_KEK: string;
  VERIFIER_PEPPER: string;
}

async function generateDevSecrets(): Promise<DevSecrets> {
  const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: `dev-${randomSecret(6)}`, alg: 'ECDH-ES+A256KW', use: 'enc' };
  return {
    VERIFIER_PRIVATE_JWK: JSON.stringify(jwk),
    VERIFIER_API_KEY: `dev_${randomSecret(24)}`,
    VERIFIER_TOKEN_SECRET: randomSecret(32),
    VERIFIER_KEK: randomSecret(32),
    VERIFIER_PEPPER: randomSecret(32),
  };
}

export async function loadConfig(env: Env = process.env, cwd = process.cwd()): Promise<VerifierConfig> {
  const production = env.NODE_ENV === 'production';
  const stateDir = path.resolve(cwd, env.VERIFIER_STATE_DIR ?? '.ekyc-verifier');
  const secretNames = ['VERIFIER_PRIVATE_JWK', 'VERIFIER_API_KEY', 'VERIFIER_TOKEN_SECRET', 'VERIFIER_KEK', 'VERIFIER_PEPPER'] as const;
  const values: Record<string, string | undefined> = Object.fromEntries(secretNames.map((name) => [name, env[name]]));
  const missing = secretNames.filter((name) => !values[name]);
  const generatedSecrets: string[] = [];
  if (missing.length > 0) {
    if (production) throw new EkycError('invalid_argument', `Missing configuration: ${missing.join(', ')}.`, { details: { missing } });
    const file = path.join(stateDir, 'dev-secrets.json');
    let stored: DevSecrets;
    if (existsSync(file)) {
      stored = JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
    } else {
      stored = await generateDevSecrets();
      mkdirSync(stateDir, { recursive: true });
      writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
      generatedSecrets.push(...missing);
    }
    for (const name of missing) values[name] = stored[name];
  }

  let verifierPrivateJwk: JWK;
  try {
    verifierPrivateJwk = JSON.parse(values.VERIFIER_PRIVATE_JWK!) as JWK;
  } catch (cause) {
    throw new EkycError('invalid_argument', 'VERIFIER_PRIVATE_JWK is not JSON.', { cause });
  }
  if (verifierPrivateJwk.kty !== 'EC' || verifierPrivateJwk.crv !== 'P-256' || typeof verifierPrivateJwk.d !== 'string') {
    throw new EkycError('invalid_argument', 'VERIFIER_PRIVATE_JWK must be a P-256 EC private JWK.');
  }
  let previousVerifierJwks: JWK[] = [];
  if (env.VERIFIER_PREVIOUS_PRIVATE_JWKS) {
    try {
      previousVerifierJwks = JSON.parse(env.VERIFIER_PREVIOUS_PRIVATE_JWKS) as JWK[];
    } catch (cause) {
      throw new EkycError('invalid_argument', 'VERIFIER_PREVIOUS_PRIVATE_JWKS is not a JSON array of JWKs.', { cause });
    }
    if (!Array.isArray(previousVerifierJwks) || previousVerifierJwks.some((jwk) => typeof jwk.kid !== 'string' || typeof jwk.d !== 'string')) {
      throw new EkycError('invalid_argument', 'VERIFIER_PREVIOUS_PRIVATE_JWKS entries are private JWKs with a kid.');
    }
  }
  const tokenSecret = new Uint8Array(Buffer.from(values.VERIFIER_TOKEN_SECRET!, 'base64url'));
  // Checked here so a bad value names its variable at start-up, not deep inside a key import.
  const secretBytes = (name: string, value: string, min: number, max = Infinity): void => {
    const bytes = Buffer.from(value, 'base64url').byteLength;
    if (bytes < min || bytes > max) throw new EkycError('invalid_argument', `${name} must be ${max === min ? `${min}` : `at least ${min}`} bytes of base64url (got ${bytes}).`, { details: { name } });
  };
  secretBytes('VERIFIER_TOKEN_SECRET', values.VERIFIER_TOKEN_SECRET!, 32);
  secretBytes('VERIFIER_KEK', values.VERIFIER_KEK!, 32, 32);
  secretBytes('VERIFIER_PEPPER', values.VERIFIER_PEPPER!, 16);
  let sessionOverrides: unknown = {};
  if (env.VERIFIER_SESSION_CONFIG) {
    try {
      sessionOverrides = JSON.parse(env.VERIFIER_SESSION_CONFIG);
    } catch (cause) {
      throw new EkycError('invalid_argument', 'VERIFIER_SESSION_CONFIG is not JSON.', { cause, details: { name: 'VERIFIER_SESSION_CONFIG' } });
    }
  }
  const parsedSession = sessionConfigSchema.safeParse({ ...DEFAULT_SESSION_CONFIG, ...(typeof sessionOverrides === 'object' && sessionOverrides !== null ? sessionOverrides : {}) });
  if (!parsedSession.success) {
    const fields = parsedSession.error.issues.map((issue) => issue.path.join('.') || '(root)');
    throw new EkycError('invalid_argument', `VERIFIER_SESSION_CONFIG has invalid fields: ${fields.join(', ')}.`, { details: { name: 'VERIFIER_SESSION_CONFIG', fields } });
  }
  const sessionDefaults = parsedSession.data;
  const role = (env.VERIFIER_ROLE ?? 'all') as VerifierRole;
  if (!['all', 'api', 'worker'].includes(role)) throw new EkycError('invalid_argument', 'VERIFIER_ROLE is all, api or worker.');
  const port = integerFrom(env, 'PORT', 8787, 0, 65535);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    databaseUrl: env.DATABASE_URL ?? path.join(stateDir, 'pglite'),
    role,
    production,
    verifierPrivateJwk,
    previousVerifierJwks,
    apiKey: values.VERIFIER_API_KEY!,
    tokenSecret,
    clientTokenTtlSeconds: integerFrom(env, 'VERIFIER_CLIENT_TOKEN_TTL', 900, 30, 24 * 3600),
    kek: { id: env.VERIFIER_KEK_ID ?? 'kek-1', base64url: values.VERIFIER_KEK! },
    previousKeks: parseKeyList(env.VERIFIER_PREVIOUS_KEKS, 'VERIFIER_PREVIOUS_KEKS'),
    pepper: { id: env.VERIFIER_PEPPER_ID ?? 'pepper-1', base64url: values.VERIFIER_PEPPER! },
    previousPeppers: parseKeyList(env.VERIFIER_PREVIOUS_PEPPERS, 'VERIFIER_PREVIOUS_PEPPERS'),
    sessionDefaults,
    maxSealedBytes: integerFrom(env, 'VERIFIER_MAX_SEALED_BYTES', 32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    modelDir: env.VERIFIER_MODEL_DIR,
    jobExpireSeconds: integerFrom(env, 'VERIFIER_JOB_EXPIRE_SECONDS', 300, 1, 24 * 3600),
    riskOptionalSignals: (env.VERIFIER_RISK_OPTIONAL_SIGNALS ?? '').split(',').map((name) => name.trim()).filter((name) => name !== ''),
    generatedSecrets,
    review: loadReviewConfig(env),
    ops: loadOpsConfig(env, production),
    webhooks: loadWebhookConfig(env, production),
    lockout: loadLockoutConfig(env),
    retention: loadRetentionConfig(env),
  };
}

/** The public half of the verifier key, as handed to clients to seal evidence to. */
export function publicJwkOf(privateJwk: JWK): JWK {
  const { kty, crv, x, y, kid } = privateJwk;
  return { kty, crv, x, y, ...(kid === undefined ? {} : { kid }), alg: 'ECDH-ES+A256KW', use: 'enc' };
}

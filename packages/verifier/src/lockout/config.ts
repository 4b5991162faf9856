/**
 * Lockout settings from the environment, checked at start-up:
 * VERIFIER_LIVENESS_MAX_FAILURES (5: a 6th failure locks), VERIFIER_LIVENESS_FAILURE_WINDOW_SECONDS
 * (180), VERIFIER_LIVENESS_LOCKOUT_SECONDS (900).
 */
import { EkycError } from '@ekyc/core';
import { DEFAULT_LOCKOUT_POLICY, type LockoutPolicy } from './attempts.ts';

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new EkycError('invalid_argument', `${name} must be an integer from ${min} to ${max}.`, { details: { name } });
  return value;
}

export function loadLockoutConfig(env: Env): LockoutPolicy {
  return {
    maxFailures: integer(env, 'VERIFIER_LIVENESS_MAX_FAILURES', DEFAULT_LOCKOUT_POLICY.maxFailures, 1, 1000),
    windowSeconds: integer(env, 'VERIFIER_LIVENESS_FAILURE_WINDOW_SECONDS', DEFAULT_LOCKOUT_POLICY.windowSeconds, 10, 24 * 3600),
    lockoutSeconds: integer(env, 'VERIFIER_LIVENESS_LOCKOUT_SECONDS', DEFAULT_LOCKOUT_POLICY.lockoutSeconds, 1, 7 * 24 * 3600),
  };
}

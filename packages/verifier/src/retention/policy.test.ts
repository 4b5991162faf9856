/** Retention and lockout settings from the environment: defaults, durations, and start-up errors naming the variable. */
import { describe, expect, it } from 'vitest';
import { loadLockoutConfig } from '../lockout/config.ts';
import { DEFAULT_RETENTION, loadRetentionConfig, parseDuration } from './policy.ts';

describe('retention and lockout configuration', () => {
  it('reads durations with units, defaults to 30/90/1826/1826 days and a 15-minute schedule', () => {
    expect(loadRetentionConfig({})).toEqual({ policy: DEFAULT_RETENTION, schedule: '*/15 * * * *' });
    expect(DEFAULT_RETENTION).toEqual({ evidence: 30 * 86_400, fields: 90 * 86_400, decision: 1826 * 86_400, audit: 1826 * 86_400 });
    expect([parseDuration('X', '45s'), parseDuration('X', '90m'), parseDuration('X', '12h'), parseDuration('X', '7d'), parseDuration('X', '3600')]).toEqual([45, 5400, 43_200, 604_800, 3600]);
    const config = loadRetentionConfig({ VERIFIER_RETENTION_EVIDENCE: '1d', VERIFIER_RETENTION_FIELDS: '2d', VERIFIER_RETENTION_DECISION: '3d', VERIFIER_RETENTION_AUDIT: '1h', VERIFIER_RETENTION_SCHEDULE: 'off' });
    expect(config).toEqual({ policy: { evidence: 86_400, fields: 172_800, decision: 259_200, audit: 3600 }, schedule: null });
  });

  it('refuses bad values at start-up, naming the variable', () => {
    expect(() => loadRetentionConfig({ VERIFIER_RETENTION_EVIDENCE: '30 days' })).toThrow(/VERIFIER_RETENTION_EVIDENCE is a duration/);
    expect(() => loadRetentionConfig({ VERIFIER_RETENTION_FIELDS: '0d' })).toThrow(/VERIFIER_RETENTION_FIELDS is a duration/);
    expect(() => loadRetentionConfig({ VERIFIER_RETENTION_EVIDENCE: '100d' })).toThrow(/VERIFIER_RETENTION_EVIDENCE <= VERIFIER_RETENTION_FIELDS <= VERIFIER_RETENTION_DECISION/);
    expect(() => loadRetentionConfig({ VERIFIER_RETENTION_SCHEDULE: 'hourly' })).toThrow(/VERIFIER_RETENTION_SCHEDULE/);
    expect(loadLockoutConfig({})).toEqual({ maxFailures: 5, windowSeconds: 180, lockoutSeconds: 900 });
    expect(loadLockoutConfig({ VERIFIER_LIVENESS_LOCKOUT_SECONDS: '60' }).lockoutSeconds).toBe(60);
    expect(() => loadLockoutConfig({ VERIFIER_LIVENESS_MAX_FAILURES: '0' })).toThrow(/VERIFIER_LIVENESS_MAX_FAILURES must be an integer/);
    expect(() => loadLockoutConfig({ VERIFIER_LIVENESS_LOCKOUT_SECONDS: 'soon' })).toThrow(/VERIFIER_LIVENESS_LOCKOUT_SECONDS/);
  });
});

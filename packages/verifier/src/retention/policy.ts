/**
 * The retention policy (docs/verifier-retention.md): how long each class of data is kept, counted
 * from the session's last decision (the reviewer's when there is one), or from its creation when
 * it was never decided.
 *
 * - evidence: the encrypted bundle (images, the device's reading, the transcript), uploads still
 *   in progress, and selfie embeddings (biometric);
 * - fields: personal data outside the bundle: screening matches, liveness-attempt hashes, the
 *   session's signing key; a reviewer's note is rewritten to its SHA-256;
 * - decision: the decision record (automatic and reviewer decisions, reason codes, score record,
 *   document-number hash, duplicate signals, webhook events) and the session row itself;
 * - audit: audit-log entries, by their own time.
 */
import { EkycError } from '@ekyc/core';

export const DATA_CLASSES = ['evidence', 'fields', 'decision', 'audit'] as const;
export type DataClass = (typeof DATA_CLASSES)[number];

export type RetentionPolicy = Record<DataClass, number>;

const DAY = 86_400;
/** Seconds. Five years for the decision record and the audit log: the usual AML record-keeping period. */
export const DEFAULT_RETENTION: RetentionPolicy = { evidence: 30 * DAY, fields: 90 * DAY, decision: 1826 * DAY, audit: 1826 * DAY };

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: DAY };

/** `30d`, `12h`, `90m`, `3600s` or a plain number of seconds. */
export function parseDuration(name: string, raw: string): number {
  const match = /^(\d{1,9})([smhd]?)$/.exec(raw.trim());
  if (match === null || Number(match[1]) === 0) throw new EkycError('invalid_argument', `${name} is a duration such as 30d, 12h, 90m or 3600s (got "${raw}").`, { details: { name } });
  return Number(match[1]) * UNITS[match[2] || 's']!;
}

type Env = Readonly<Record<string, string | undefined>>;

export interface RetentionConfig {
  policy: RetentionPolicy;
  /** pg-boss cron for the purge job; null = no schedule (VERIFIER_RETENTION_SCHEDULE=off). */
  schedule: string | null;
}

/**
 * VERIFIER_RETENTION_EVIDENCE, _FIELDS, _DECISION, _AUDIT (durations) and VERIFIER_RETENTION_SCHEDULE
 * (cron, default every 15 minutes, `off` for none). Evidence <= fields <= decision: personal data
 * may not outlive the record that says why it was collected.
 */
export function loadRetentionConfig(env: Env): RetentionConfig {
  const policy = { ...DEFAULT_RETENTION };
  for (const dataClass of DATA_CLASSES) {
    const name = `VERIFIER_RETENTION_${dataClass.toUpperCase()}`;
    const raw = env[name];
    if (raw !== undefined && raw !== '') policy[dataClass] = parseDuration(name, raw);
  }
  if (policy.evidence > policy.fields || policy.fields > policy.decision) {
    throw new EkycError('invalid_argument', 'VERIFIER_RETENTION_EVIDENCE <= VERIFIER_RETENTION_FIELDS <= VERIFIER_RETENTION_DECISION is required.', { details: { name: 'VERIFIER_RETENTION_FIELDS' } });
  }
  const rawSchedule = env.VERIFIER_RETENTION_SCHEDULE?.trim();
  const schedule = rawSchedule === 'off' ? null : (rawSchedule || '*/15 * * * *');
  if (schedule !== null && schedule.split(/\s+/).length !== 5) throw new EkycError('invalid_argument', 'VERIFIER_RETENTION_SCHEDULE is a 5-field cron expression or off.', { details: { name: 'VERIFIER_RETENTION_SCHEDULE' } });
  return { policy, schedule };
}

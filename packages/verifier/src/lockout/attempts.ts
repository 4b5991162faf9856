/**
 * Liveness retries and lockout (docs/verifier-webhooks.md, "Retries and lockout").
 *
 * - A session allows 1 + `config.maxRetries` liveness attempts; the client reports each finished
 *   attempt and the attempt that would exceed the limit is refused (`session_retries_exhausted`).
 * - More than `maxFailures` (5) failed attempts within `windowSeconds` (180) from one device id or
 *   one client address lock that device / address out for `lockoutSeconds`
 *   (`liveness_locked_out`, with the seconds left) — the AWS Rekognition liveness guidance.
 *
 * Device ids and addresses are stored only as HMAC-SHA-256 under the pepper; an IPv6 address
 * counts by its /64 (one subscriber usually holds a whole /64 and could rotate within it).
 */
import { createHmac } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { EkycError } from '@ekyc/core';
import type { Database, SqlClient } from '../db/driver.ts';
import type { SessionConfig } from '../session-config.ts';

export interface LockoutPolicy {
  /** Failures tolerated in the window; one more locks out. */
  maxFailures: number;
  windowSeconds: number;
  lockoutSeconds: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { maxFailures: 5, windowSeconds: 180, lockoutSeconds: 900 };

export interface AttemptReport {
  sessionId: string;
  /** Pseudonymous id the client keeps per device (not a hardware id). */
  deviceId: string;
  /** The client address as the HTTP layer sees it (proxy trust applied there). */
  ip: string;
  passed: boolean;
}

export interface AttemptRecorded {
  attempt: number;
  attemptsAllowed: number;
  attemptsRemaining: number;
}

/** The address a lockout counts: IPv4 as is (mapped IPv6 unwrapped), IPv6 by its /64. */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return `raw:${ip}`;
  let address = ipaddr.parse(ip);
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress()) address = (address as ipaddr.IPv6).toIPv4Address();
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((part) => part.toString(16));
  return `${parts.join(':')}::/64`;
}

export class LivenessAttempts {
  constructor(
    private readonly db: Database,
    private readonly hashKey: Uint8Array,
    private readonly policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY,
  ) {}

  private hash(kind: 'device' | 'ip', value: string): string {
    return createHmac('sha256', this.hashKey).update(`ekyc-lockout:${kind}:${value}`).digest('hex');
  }

  subjects(deviceId: string | null, ip: string): { device: string | null; ip: string } {
    return { device: deviceId === null ? null : `device:${this.hash('device', deviceId)}`, ip: `ip:${this.hash('ip', addressKey(ip))}` };
  }

  private async lockedUntil(client: SqlClient, subjects: readonly string[], now: Date): Promise<Date | null> {
    const result = await client.query<{ until: Date | string | null }>(
      'SELECT max(locked_until) AS until FROM verifier_lockouts WHERE subject = ANY($1) AND locked_until > $2', [subjects, now],
    );
    const until = result.rows[0]?.until ?? null;
    return until === null ? null : new Date(until);
  }

  private lockedOut(until: Date, now: Date): EkycError {
    const retryAfterSeconds = Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
    return new EkycError('liveness_locked_out', 'Too many failed liveness attempts from this device or address.', { details: { retryAfterSeconds } });
  }

  /** Throws `liveness_locked_out` while the address (or the device, when given) is locked out. */
  async assertNotLockedOut(ip: string, deviceId: string | null, now: Date): Promise<void> {
    const subjects = this.subjects(deviceId, ip);
    const until = await this.lockedUntil(this.db, [subjects.ip, ...(subjects.device === null ? [] : [subjects.device])], now);
    if (until !== null) throw this.lockedOut(until, now);
  }

  /**
   * Records one finished attempt. Refuses while locked out (nothing recorded), past the session's
   * allowance, or for an unknown / expired / already delivered session. A failure that takes the
   * device or the address over the limit is recorded, locks it out, and is answered with the lockout.
   */
  async record(report: AttemptReport, now: Date): Promise<AttemptRecorded> {
    const subjects = this.subjects(report.deviceId, report.ip);
    const both = [subjects.device!, subjects.ip];
    const outcome = await this.db.transaction(async (tx) => {
      const until = await this.lockedUntil(tx, both, now);
      if (until !== null) throw this.lockedOut(until, now);
      // The session row lock serializes one session's reports, so attempt numbers never collide.
      const session = (await tx.query<{ config: SessionConfig; expires_at: Date | string; nonce_consumed_at: Date | null }>(
        'SELECT config, expires_at, nonce_consumed_at FROM verifier_sessions WHERE id = $1 FOR UPDATE', [report.sessionId],
      )).rows[0];
      if (session === undefined) throw new EkycError('session_not_found', 'No session has this id.');
      if (session.nonce_consumed_at !== null) throw new EkycError('session_retries_exhausted', 'The session\'s evidence was already delivered.', { details: { reason: 'delivered' } });
      if (new Date(session.expires_at).getTime() <= now.getTime()) throw new EkycError('session_expired', 'The session expired.');
      const allowed = 1 + session.config.maxRetries;
      const used = Number((await tx.query<{ n: string | number }>('SELECT count(*) AS n FROM verifier_liveness_attempts WHERE session_id = $1', [report.sessionId])).rows[0]?.n ?? 0);
      if (used >= allowed) throw new EkycError('session_retries_exhausted', 'Every liveness attempt of this session was used.', { details: { attemptsAllowed: allowed } });
      const attempt = used + 1;
      await tx.query(
        `INSERT INTO verifier_liveness_attempts (session_id, attempt, passed, device_hash, ip_hash, attempted_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [report.sessionId, attempt, report.passed, subjects.device, subjects.ip, now],
      );
      let lockedUntil: Date | null = null;
      if (!report.passed) {
        const since = new Date(now.getTime() - this.policy.windowSeconds * 1000);
        const failures = (await tx.query<{ device: string | number; ip: string | number }>(
          `SELECT count(*) FILTER (WHERE device_hash = $1) AS device, count(*) FILTER (WHERE ip_hash = $2) AS ip
           FROM verifier_liveness_attempts WHERE NOT passed AND attempted_at > $3 AND attempted_at <= $4 AND (device_hash = $1 OR ip_hash = $2)`,
          [subjects.device, subjects.ip, since, now],
        )).rows[0]!;
        const over = [[subjects.device!, Number(failures.device)], [subjects.ip, Number(failures.ip)]] as const;
        for (const [subject, count] of over) {
          if (count <= this.policy.maxFailures) continue;
          lockedUntil = new Date(now.getTime() + this.policy.lockoutSeconds * 1000);
          await tx.query(
            `INSERT INTO verifier_lockouts (subject, locked_at, locked_until, failures) VALUES ($1, $2, $3, $4)
             ON CONFLICT (subject) DO UPDATE SET locked_at = EXCLUDED.locked_at, locked_until = EXCLUDED.locked_until, failures = EXCLUDED.failures`,
            [subject, now, lockedUntil, count],
          );
        }
      }
      return { recorded: { attempt, attemptsAllowed: allowed, attemptsRemaining: allowed - attempt }, lockedUntil };
    });
    if (outcome.lockedUntil !== null) throw this.lockedOut(outcome.lockedUntil, now);
    return outcome.recorded;
  }

  /** Lockouts that ended and attempts older than the window: nothing left to count (run by the retention job). */
  async purgeExpired(now: Date): Promise<{ lockouts: number }> {
    const lockouts = await this.db.query('DELETE FROM verifier_lockouts WHERE locked_until <= $1', [now]);
    return { lockouts: lockouts.rowCount };
  }
}

import { EkycError } from '../errors.ts';
import type { EvidenceManifest } from './schema.ts';

export interface TimestampPolicy {
  now: Date;
  /** Longest accepted session (startedAt to completedAt). */
  maxSessionMs: number;
  /** Oldest accepted bundle at verification time (a bundle may wait offline in the outbox). */
  maxAgeMs: number;
  /** Tolerated difference between device and verifier clocks. */
  clockSkewMs: number;
}

export const DEFAULT_TIMESTAMP_POLICY: Omit<TimestampPolicy, 'now'> = {
  maxSessionMs: 60 * 60 * 1000,
  maxAgeMs: 7 * 24 * 60 * 60 * 1000,
  clockSkewMs: 5 * 60 * 1000,
};

function fail(message: string, details: Record<string, unknown>): never {
  throw new EkycError('evidence_timestamp_invalid', message, { details });
}

/** Every recorded time lies inside the session, events are in order, and the session is recent. */
export function verifyTimestamps(manifest: EvidenceManifest, policy: TimestampPolicy): void {
  const started = Date.parse(manifest.session.startedAt);
  const completed = Date.parse(manifest.session.completedAt);
  if (completed < started) fail('Session completes before it starts.', {});
  if (completed - started > policy.maxSessionMs) fail('Session lasts longer than allowed.', { ms: completed - started, maxSessionMs: policy.maxSessionMs });
  const now = policy.now.getTime();
  if (completed > now + policy.clockSkewMs) fail('Session completes in the future.', { aheadMs: completed - now });
  if (now - completed > policy.maxAgeMs) fail('Bundle is older than allowed.', { ageMs: now - completed, maxAgeMs: policy.maxAgeMs });

  const inside = (iso: string, field: string): void => {
    const at = Date.parse(iso);
    if (at < started || at > completed) fail('A timestamp lies outside the session.', { field });
  };
  inside(manifest.consent.grantedAt, 'consent.grantedAt');
  for (const artifact of manifest.artifacts) inside(artifact.capturedAt, `artifacts.${artifact.id}.capturedAt`);
  for (const challenge of manifest.liveness?.challenges ?? []) {
    inside(challenge.issuedAt, `liveness.challenges.${challenge.order}.issuedAt`);
    inside(challenge.completedAt, `liveness.challenges.${challenge.order}.completedAt`);
    if (Date.parse(challenge.completedAt) < Date.parse(challenge.issuedAt)) fail('A challenge completes before it is issued.', { order: challenge.order });
  }
  let previous = started;
  for (const event of manifest.events) {
    inside(event.at, `events.${event.seq}.at`);
    const at = Date.parse(event.at);
    if (at < previous) fail('Events are out of time order.', { seq: event.seq });
    previous = at;
  }
}

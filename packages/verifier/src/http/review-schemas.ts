/** Schemas of the review, audit and operator routes (zod; the OpenAPI document is generated from them). */
import { z } from 'zod';
import { publicKeyJwkSchema } from '@ekyc/core';
import { outcomeSchema, sessionIdSchema } from './schemas.ts';

export const queueParamsSchema = z.object({ queue: z.enum(['review', 'escalation']).describe('`review`: routed to review; `escalation`: routed to escalate (e.g. a screening hit)') });
export const queueQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional().describe('Default 50'),
  after: z.iso.datetime().optional().describe('Paging: the last item\'s decidedAt'),
  afterSessionId: sessionIdSchema.optional().describe('Paging: the last item\'s sessionId (orders cases decided at the same time)'),
});

export const claimSchema = z.object({ sessionId: sessionIdSchema, operatorId: z.string(), claimedAt: z.iso.datetime(), expiresAt: z.iso.datetime() });

export const queueResponseSchema = z.object({
  queue: z.enum(['review', 'escalation']),
  items: z.array(z.object({
    sessionId: sessionIdSchema, outcome: outcomeSchema, score: z.number(), decidedAt: z.iso.datetime(), reasonCodes: z.array(z.string()),
    claim: claimSchema.nullable().describe('A live claim by a reviewer; null when unclaimed or expired'),
  })),
});

export const reviewerDecisionSchema = z.object({
  sessionId: sessionIdSchema, operatorId: z.string(), decidedAt: z.iso.datetime(), outcome: z.enum(['approve', 'reject']), note: z.string(), automaticOutcome: outcomeSchema,
});

export const caseResponseSchema = z.object({
  sessionId: sessionIdSchema,
  status: z.enum(['created', 'key_bound', 'received', 'decided']),
  createdAt: z.iso.datetime(),
  automaticDecision: z.object({
    outcome: outcomeSchema, score: z.number(), decidedAt: z.iso.datetime(), reasonCodes: z.array(z.string()),
    signals: z.array(z.unknown()).describe('Every risk signal with its source, score, reason codes and measurements'),
    hardRules: z.array(z.unknown()),
  }).nullable(),
  reviewerDecision: reviewerDecisionSchema.nullable(),
  effectiveDecision: z.object({ outcome: outcomeSchema, decidedBy: z.enum(['automatic', 'reviewer']), decidedAt: z.iso.datetime() }).nullable(),
  claim: claimSchema.nullable(),
  duplicates: z.array(z.object({
    kind: z.enum(['document_number', 'face']), otherSessionId: z.string(), similarity: z.number().nullable(),
    direction: z.enum(['found', 'found_by']).describe('`found`: this session\'s re-scoring found the other; `found_by`: a later session found this one'),
    detectedAt: z.iso.datetime(),
  })),
  screening: z.array(z.object({
    listId: z.string(), entryId: z.string(), category: z.string(), nameScore: z.number(),
    birthDate: z.enum(['match', 'contradicts', 'unknown']), nationality: z.enum(['match', 'contradicts', 'unknown']), screenedAt: z.iso.datetime(),
  })),
});

export const decisionBodySchema = z.object({
  outcome: z.enum(['approve', 'reject']),
  note: z.string().min(1).max(2000).describe('Why; kept with the decision for reviewers and auditors, never sent to the integrator or the user'),
}).strict();

export const releaseResponseSchema = z.object({ sessionId: sessionIdSchema, released: z.boolean() });

export const auditEntrySchema = z.object({
  seq: z.number().int(), at: z.iso.datetime(), actorKind: z.enum(['system', 'operator', 'integrator']), actorId: z.string().nullable(),
  action: z.string(), sessionId: z.string().nullable(), details: z.record(z.string(), z.unknown()),
  prevHash: z.string().describe('hash of the previous entry (64 zeros for the first)'), hash: z.string().describe('SHA-256 over prevHash and this entry\'s canonical text'),
});
export const auditQuerySchema = z.object({
  after: z.coerce.number().int().min(0).optional().describe('Entries after this seq (paging)'),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe('Default 100'),
  sessionId: sessionIdSchema.optional(),
});
export const auditLogResponseSchema = z.object({ entries: z.array(auditEntrySchema), next: z.number().int().nullable().describe('`after` for the next page; null at the end') });
export const chainResponseSchema = z.object({
  entries: z.number().int(), valid: z.boolean(), firstBadSeq: z.number().int().nullable(), lastSeq: z.number().int().nullable(), lastHash: z.string().nullable(),
});

export const operatorResponseSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(['reviewer', 'auditor']) });

/** The auditor's view of one stored session: its evidence and what the verifier recorded about it. */
export const auditEvidenceResponseSchema = z.object({
  sessionId: sessionIdSchema,
  nonce: z.string().describe('The nonce the verifier issued for this session (consumed at intake)'),
  signingKey: publicKeyJwkSchema.nullable().describe('The session signing public key bound before intake (POST /sessions/{id}/key); null if none was bound'),
  receivedAt: z.iso.datetime().describe('When the evidence arrived (expiry and age were judged on this day)'),
  sealedBytes: z.number().int().describe('Size of the sealed bundle as received'),
  sealedHeader: z.string().nullable().describe('The sealed bundle\'s JWE protected header as received (base64url; alg, enc, epk, kid, the session id and nonce it was sealed for); null for evidence stored before it was kept'),
  config: z.record(z.string(), z.unknown()).describe('The session configuration it was judged by (accepted documents and countries, thresholds, liveness challenge count)'),
  container: z.string().describe('The verified bundle as its EKB1 container (docs/evidence.md), base64'),
});

/** Request and response schemas of the HTTP API (zod); the OpenAPI document is generated from them. */
import { evidenceAckSchema, evidencePartialSchema, publicKeyJwkSchema } from '@ekyc/core';
import { z } from 'zod';
import { sessionConfigSchema } from '../session-config.ts';

export const sessionIdSchema = z.string().regex(/^ses_[A-Za-z0-9_-]{22}$/).describe('Session id');
export const sessionParamsSchema = z.object({ id: sessionIdSchema });

export const errorBodySchema = z.object({ code: z.string().describe('An EkycError code (docs/errors.md); never a message') }).describe('Refusal');
export const evidenceErrorBodySchema = z.object({ type: z.literal('ekyc.evidence.error'), version: z.literal(1), code: z.string() }).describe('Refusal of an upload (docs/evidence.md)');

export const createSessionBodySchema = z.object({
  reference: z.string().min(1).max(128).regex(/^[\x21-\x7e]+$/).optional().describe('The integrator\'s own opaque reference (no personal data)'),
}).strict();

export const verifierJwkSchema = z.object({
  kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string(), y: z.string(), kid: z.string().optional(),
  alg: z.literal('ECDH-ES+A256KW'), use: z.literal('enc'),
}).describe('The verifier public key to seal evidence to');

export const createSessionResponseSchema = z.object({
  sessionId: sessionIdSchema,
  nonce: z.string().describe('Single-use nonce; goes into the manifest'),
  expiresAt: z.iso.datetime(),
  ttlSeconds: z.number().int(),
  config: sessionConfigSchema,
  verifierKey: verifierJwkSchema,
  clientToken: z.string().describe('Short-lived bearer token for the client: key binding and upload for this session only'),
  clientTokenExpiresAt: z.iso.datetime(),
  endpoints: z.object({ key: z.string(), evidence: z.string(), status: z.string() }),
});

export const bindKeyBodySchema = z.object({ publicKeyJwk: publicKeyJwkSchema }).strict();
export const bindKeyResponseSchema = z.object({ sessionId: sessionIdSchema, bound: z.literal(true) });

export const sessionStatusSchema = z.enum(['created', 'key_bound', 'received', 'decided', 'expired']);
export const outcomeSchema = z.enum(['approve', 'review', 'reject', 'escalate']);

export const sessionStatusResponseSchema = z.object({
  sessionId: sessionIdSchema,
  status: sessionStatusSchema,
  createdAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  decision: z.object({
    outcome: outcomeSchema.describe('The decision in force: a reviewer\'s supersedes the automatic one. With a client token `escalate` reads `review`'),
    score: z.number().describe('0-100 (of the automatic decision)'),
    decidedAt: z.iso.datetime(),
    decidedBy: z.enum(['automatic', 'reviewer']),
    reasonCodes: z.array(z.string()).optional().describe('For the integrator only: absent with a client token'),
  }).nullable(),
  automaticDecision: z.object({ outcome: outcomeSchema, score: z.number(), decidedAt: z.iso.datetime(), reasonCodes: z.array(z.string()) }).nullable().optional()
    .describe('For the integrator only: the automatic decision, kept when a reviewer superseded it'),
  reviewerDecision: z.object({ outcome: z.enum(['approve', 'reject']), decidedAt: z.iso.datetime(), operatorId: z.string() }).nullable().optional()
    .describe('For the integrator only: the reviewer\'s decision (the note stays with reviewers and auditors)'),
  userMessage: z.string().describe('Generic text for the user; never reveals a signal'),
});

export const ackResponseSchema = evidenceAckSchema;
export const partialResponseSchema = evidencePartialSchema;

export const healthResponseSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.enum(['ok', 'failed'])).optional() });

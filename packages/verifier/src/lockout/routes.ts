/** POST /sessions/:id/liveness-attempts: the client reports each finished liveness attempt (retries and lockout). */
import { EkycError } from '@ekyc/core';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireClient } from '../http/auth.ts';
import type { ApiContext } from '../http/context.ts';
import { errorBodySchema, sessionIdSchema, sessionParamsSchema } from '../http/schemas.ts';
import type { LivenessAttempts } from './attempts.ts';

export const livenessAttemptBodySchema = z.object({
  deviceId: z.string().min(16).max(128).regex(/^[A-Za-z0-9_-]+$/).describe('Pseudonymous id the client keeps per device (random, e.g. 16+ bytes base64url); stored only as a keyed hash'),
  outcome: z.enum(['passed', 'failed']).describe('How the attempt ended on the device'),
}).strict();

export const livenessAttemptResponseSchema = z.object({
  sessionId: sessionIdSchema,
  attempt: z.number().int().describe('1 for the first attempt'),
  attemptsAllowed: z.number().int().describe('1 + the session config maxRetries'),
  attemptsRemaining: z.number().int(),
});

export const lockedOutBodySchema = z.object({ code: z.literal('liveness_locked_out'), retryAfterSeconds: z.number().int() }).describe('Locked out; also in the Retry-After header');

const STATUS: Record<string, number> = { liveness_locked_out: 429, session_retries_exhausted: 409, session_not_found: 404, session_expired: 422, auth_failed: 401 };

/** Answers the lockout with Retry-After (seconds) and the same number in the body. */
export function replyLockedOut(reply: FastifyReply, error: EkycError): FastifyReply {
  const retryAfterSeconds = Number(error.details?.retryAfterSeconds ?? 1);
  return reply.code(429).header('Retry-After', String(retryAfterSeconds)).send({ code: 'liveness_locked_out', retryAfterSeconds });
}

export function livenessAttemptsPlugin(context: ApiContext, attempts: LivenessAttempts): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/sessions/:id/liveness-attempts', {
      schema: {
        summary: 'Report a finished liveness attempt',
        description: 'Client token. Call once per attempt (first try and each retry), before sealing evidence. Refused with 409 `session_retries_exhausted` past 1 + `maxRetries` attempts, and with 429 `liveness_locked_out` (Retry-After) while the device or address is locked out: more than 5 failures within 3 minutes lock it out for the configured period (the report that crosses the limit is recorded and answered 429).',
        tags: ['sessions'],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        body: livenessAttemptBodySchema,
        response: { 201: livenessAttemptResponseSchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema, 429: lockedOutBodySchema },
      },
    }, async (request, reply) => {
      try {
        await requireClient(request, context, request.params.id);
        const recorded = await attempts.record({ sessionId: request.params.id, deviceId: request.body.deviceId, ip: request.ip, passed: request.body.outcome === 'passed' }, context.now());
        return reply.code(201).send({ sessionId: request.params.id, ...recorded });
      } catch (error) {
        if (!(error instanceof EkycError) || STATUS[error.code] === undefined) throw error;
        context.logger.info({ sessionId: request.params.id, code: error.code }, 'liveness attempt refused');
        if (error.code === 'liveness_locked_out') return replyLockedOut(reply, error);
        return reply.code(STATUS[error.code] as 409).send({ code: error.code });
      }
    });
  };
}

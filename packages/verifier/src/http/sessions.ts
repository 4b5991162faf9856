/** Sessions: creation by the integrator, key binding by the client, status for both. */
import { EkycError, generateNonce, risk } from '@ekyc/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { isIntegrator, requireClient, requireIntegrator } from './auth.ts';
import type { ApiContext } from './context.ts';
import { getReviewerDecision } from '../review/case.ts';
import { effectiveDecision, outcomeForUser } from '../review/effective.ts';
import {
  bindKeyBodySchema, bindKeyResponseSchema, createSessionBodySchema, createSessionResponseSchema, errorBodySchema,
  sessionParamsSchema, sessionStatusResponseSchema,
} from './schemas.ts';

type SessionStatusOut = 'created' | 'key_bound' | 'received' | 'decided' | 'expired';

const newSessionId = (): string => `ses_${Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(16))).toString('base64url')}`;

export function sessionsPlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post('/sessions', {
      schema: {
        summary: 'Create a verification session',
        description: 'Integrator API key (`Authorization: Bearer <key>`). Returns the nonce, session configuration, verifier key and a client token.',
        tags: ['sessions'],
        security: [{ integratorKey: [] }],
        body: createSessionBodySchema.optional(),
        response: { 201: createSessionResponseSchema, 400: errorBodySchema, 401: errorBodySchema },
      },
    }, async (request, reply) => {
      requireIntegrator(request, context);
      const now = context.now();
      const config = context.sessionDefaults;
      const id = newSessionId();
      const expiresAt = new Date(now.getTime() + config.ttlSeconds * 1000);
      const nonce = generateNonce();
      await context.store.createSession({ id, nonce, createdAt: now, expiresAt, config, integratorReference: request.body?.reference ?? null });
      const client = await context.tokens.issue(id, expiresAt);
      context.logger.info({ sessionId: id }, 'session created');
      return reply.code(201).send({
        sessionId: id,
        nonce,
        expiresAt: expiresAt.toISOString(),
        ttlSeconds: config.ttlSeconds,
        config,
        verifierKey: context.verifierPublicJwk as never,
        clientToken: client.token,
        clientTokenExpiresAt: client.expiresAt.toISOString(),
        endpoints: { key: `/sessions/${id}/key`, evidence: `/sessions/${id}/evidence`, status: `/sessions/${id}` },
      });
    });

    app.post('/sessions/:id/key', {
      schema: {
        summary: 'Bind the per-session signing key',
        description: 'Client token. Registers the public key the client will sign this session\'s evidence with; a bundle signed by any other key is refused (`evidence_key_mismatch`).',
        tags: ['sessions'],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        body: bindKeyBodySchema,
        response: { 200: bindKeyResponseSchema, 201: bindKeyResponseSchema, 401: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema, 422: errorBodySchema },
      },
    }, async (request, reply) => {
      await requireClient(request, context, request.params.id);
      const result = await context.store.bindSigningKey(request.params.id, request.body.publicKeyJwk, context.now());
      switch (result) {
        case 'bound': return reply.code(201).send({ sessionId: request.params.id, bound: true });
        case 'already_bound': return reply.code(200).send({ sessionId: request.params.id, bound: true });
        case 'not_found': throw new EkycError('session_not_found', 'No session has this id.');
        case 'conflict': throw new EkycError('session_key_conflict', 'Another key is already registered for this session.');
        case 'closed': throw new EkycError('session_key_conflict', 'The session no longer accepts a key.', { details: { reason: 'closed' } });
      }
    });

    app.get('/sessions/:id', {
      schema: {
        summary: 'Session status and decision',
        description: 'With the integrator API key: the decision with reason codes. With the session\'s client token: status and the user-safe message only.',
        tags: ['sessions'],
        security: [{ integratorKey: [] }, { clientToken: [] }],
        params: sessionParamsSchema,
        response: { 200: sessionStatusResponseSchema, 401: errorBodySchema, 404: errorBodySchema },
      },
    }, async (request) => {
      const integrator = isIntegrator(request, context);
      if (!integrator) await requireClient(request, context, request.params.id);
      const session = await context.store.getSession(request.params.id);
      if (session === null) throw new EkycError('session_not_found', 'No session has this id.');
      const decision = session.status === 'decided' ? await context.store.getDecision(session.id) : null;
      const reviewer = decision === null ? null : await getReviewerDecision(context.store.db, session.id);
      const effective = decision === null ? null : effectiveDecision(decision, reviewer);
      const expired = session.nonceConsumedAt === null && session.expiresAt.getTime() <= context.now().getTime();
      const status: SessionStatusOut = expired ? 'expired' : session.status;
      return {
        sessionId: session.id,
        status,
        createdAt: session.createdAt.toISOString(),
        expiresAt: session.expiresAt.toISOString(),
        decision: decision === null || effective === null ? null : {
          outcome: integrator ? effective.outcome : outcomeForUser(effective.outcome),
          score: decision.score,
          decidedAt: effective.decidedAt.toISOString(),
          decidedBy: effective.decidedBy,
          ...(integrator ? { reasonCodes: decision.reasonCodes } : {}),
        },
        ...(integrator ? {
          automaticDecision: decision === null ? null : { outcome: decision.outcome, score: decision.score, decidedAt: decision.decidedAt.toISOString(), reasonCodes: decision.reasonCodes },
          reviewerDecision: reviewer === null ? null : { outcome: reviewer.outcome, decidedAt: reviewer.decidedAt.toISOString(), operatorId: reviewer.operatorId },
        } : {}),
        userMessage: effective === null
          ? (expired ? risk.USER_MESSAGES.expired : risk.USER_MESSAGES.pending)
          : risk.USER_MESSAGES[outcomeForUser(effective.outcome)],
      };
    });
  };
}

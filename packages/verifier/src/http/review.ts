/**
 * The review API (reviewers; the case view also for auditors): queues, claims, the case view and
 * the reviewer's decision. Handlers are thin: src/review does the work, every access is audited.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { appendAudit } from '../audit/log.ts';
import { loadCase } from '../review/case.ts';
import { recordReviewerDecision } from '../review/decide.ts';
import { claimCase, listQueue, releaseClaim, type Claim } from '../review/queue.ts';
import type { ReviewerDecision } from '../review/effective.ts';
import { requireOperator } from './auth.ts';
import type { ApiContext } from './context.ts';
import {
  caseResponseSchema, claimSchema, decisionBodySchema, queueParamsSchema, queueQuerySchema, queueResponseSchema, releaseResponseSchema, reviewerDecisionSchema,
} from './review-schemas.ts';
import { errorBodySchema, sessionParamsSchema } from './schemas.ts';

const iso = (date: Date): string => date.toISOString();
const claimOut = (claim: Claim) => ({ sessionId: claim.sessionId, operatorId: claim.operatorId, claimedAt: iso(claim.claimedAt), expiresAt: iso(claim.expiresAt) });
const reviewerOut = (decision: ReviewerDecision) => ({ ...decision, decidedAt: iso(decision.decidedAt) });
const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema, 409: errorBodySchema };

export function reviewPlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const security = [{ operatorToken: [] }];

    app.get('/review/queues/:queue', {
      schema: {
        summary: 'List a review queue', description: 'Reviewer. Cases the automatic decision routed to review (or escalate) and no reviewer has decided, oldest first, with their live claim.',
        tags: ['review'], security, params: queueParamsSchema, querystring: queueQuerySchema, response: { 200: queueResponseSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['reviewer']);
      const now = context.now();
      const items = await listQueue(context.store.db, request.params.queue, now, { limit: request.query.limit, after: request.query.after === undefined ? undefined : new Date(request.query.after), afterSessionId: request.query.afterSessionId });
      await appendAudit(context.store.db, { actorKind: 'operator', actorId: operator.id, action: 'queue.listed', sessionId: null, details: { queue: request.params.queue, count: items.length }, at: now });
      return {
        queue: request.params.queue,
        items: items.map((item) => ({ ...item, decidedAt: iso(item.decidedAt), claim: item.claim === null ? null : claimOut(item.claim) })),
      };
    });

    app.post('/review/cases/:id/claim', {
      schema: {
        summary: 'Claim a case', description: `Reviewer. Atomic: of two reviewers claiming at once exactly one gets it, the other \`review_claim_conflict\` (409). Lasts VERIFIER_REVIEW_CLAIM_SECONDS; claiming one's own case again renews it.`,
        tags: ['review'], security, params: sessionParamsSchema, response: { 200: claimSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['reviewer']);
      const now = context.now();
      const claim = await claimCase(context.store.db, { sessionId: request.params.id, operatorId: operator.id, now, ttlSeconds: context.claimTtlSeconds });
      await appendAudit(context.store.db, { actorKind: 'operator', actorId: operator.id, action: 'case.claimed', sessionId: claim.sessionId, details: { expiresAt: iso(claim.expiresAt) }, at: now });
      return claimOut(claim);
    });

    app.delete('/review/cases/:id/claim', {
      schema: {
        summary: 'Release a claim', description: 'Reviewer. Gives one\'s own claim back before it expires.',
        tags: ['review'], security, params: sessionParamsSchema, response: { 200: releaseResponseSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['reviewer']);
      const released = await releaseClaim(context.store.db, request.params.id, operator.id);
      if (released) await appendAudit(context.store.db, { actorKind: 'operator', actorId: operator.id, action: 'case.released', sessionId: request.params.id, details: {}, at: context.now() });
      return { sessionId: request.params.id, released };
    });

    app.get('/review/cases/:id', {
      schema: {
        summary: 'A case', description: 'Reviewer or auditor. The automatic decision with its signals, the reviewer decision, the decision in force, the claim, duplicate signals (other session ids) and screening matches. No images: the decrypted bundle is for auditors (GET /audit/sessions/:id/bundle).',
        tags: ['review'], security, params: sessionParamsSchema, response: { 200: caseResponseSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['reviewer', 'auditor']);
      const now = context.now();
      const view = await loadCase(context.store, request.params.id, now);
      await appendAudit(context.store.db, { actorKind: 'operator', actorId: operator.id, action: 'case.viewed', sessionId: view.sessionId, details: { role: operator.role }, at: now });
      return {
        ...view,
        createdAt: iso(view.createdAt),
        automaticDecision: view.automaticDecision === null ? null : { ...view.automaticDecision, decidedAt: iso(view.automaticDecision.decidedAt) },
        reviewerDecision: view.reviewerDecision === null ? null : reviewerOut(view.reviewerDecision),
        effectiveDecision: view.effectiveDecision === null ? null : { ...view.effectiveDecision, decidedAt: iso(view.effectiveDecision.decidedAt) },
        claim: view.claim === null ? null : claimOut(view.claim),
        duplicates: view.duplicates.map((link) => ({ ...link, detectedAt: iso(link.detectedAt) })),
        screening: view.screening.map((match) => ({ ...match, screenedAt: iso(match.screenedAt) })),
      };
    });

    app.post('/review/cases/:id/decision', {
      schema: {
        summary: 'Decide a claimed case', description: 'Reviewer holding a live claim. Approve or reject with a note; supersedes the automatic decision, which is kept. Audited, and the integrator\'s webhook event is written in the same transaction.',
        tags: ['review'], security, params: sessionParamsSchema, body: decisionBodySchema, response: { 201: reviewerDecisionSchema, 400: errorBodySchema, ...refusals },
      },
    }, async (request, reply) => {
      const operator = await requireOperator(request, context, ['reviewer']);
      const decision = await recordReviewerDecision(context.store.db, { sessionId: request.params.id, operatorId: operator.id, outcome: request.body.outcome, note: request.body.note, now: context.now() });
      context.logger.info({ sessionId: decision.sessionId, operatorId: operator.id, outcome: decision.outcome }, 'case reviewed');
      return reply.code(201).send(reviewerOut(decision));
    });
  };
}

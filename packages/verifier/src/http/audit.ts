/**
 * Auditor routes: the stored bundle decrypted (only for this role; the access is logged before a
 * byte leaves), alone or with what the verifier recorded about the session (nonce, bound signing
 * key, arrival, configuration) so an auditor can check the key binding and the nonce, the audit
 * log, and a verification of its hash chain.
 */
import { EkycError } from '@ekyc/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit, readAuditLog, verifyAuditChain } from '../audit/log.ts';
import { openEnvelope } from '../crypto/envelope.ts';
import { evidenceAad } from '../intake/intake.ts';
import { requireOperator } from './auth.ts';
import type { ApiContext } from './context.ts';
import { auditEvidenceResponseSchema, auditLogResponseSchema, auditQuerySchema, chainResponseSchema } from './review-schemas.ts';
import { errorBodySchema, sessionParamsSchema } from './schemas.ts';

/** The EKB1 evidence container (docs/evidence.md), as core's decodeContainer reads it. */
export const CONTAINER_MEDIA_TYPE = 'application/vnd.ekyc.evidence-container';

export function auditPlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const security = [{ operatorToken: [] }];
    const refusals = { 401: errorBodySchema, 403: errorBodySchema, 404: errorBodySchema };

    app.get('/audit/sessions/:id/bundle', {
      schema: {
        summary: 'The stored evidence, decrypted', description: `Auditor only. The verified bundle as its EKB1 container (\`${CONTAINER_MEDIA_TYPE}\`, core's decodeContainer reads it). The access is written to the audit log first.`,
        tags: ['audit'], security, params: sessionParamsSchema, produces: [CONTAINER_MEDIA_TYPE],
        response: { 200: z.any().describe('EKB1 container bytes').meta({ format: 'binary' }), ...refusals },
      },
    }, async (request, reply) => {
      const operator = await requireOperator(request, context, ['auditor']);
      const stored = await context.store.loadEvidence(request.params.id);
      if (stored === null) throw new EkycError('session_not_found', 'No stored evidence for this session.');
      await appendAudit(context.store.db, {
        actorKind: 'operator', actorId: operator.id, action: 'bundle.accessed', sessionId: stored.sessionId, details: { sealedBytes: stored.sealedBytes }, at: context.now(),
      });
      const container = await openEnvelope(stored.envelope, context.keks, evidenceAad(stored.sessionId, stored.idempotencyKey));
      context.logger.info({ sessionId: stored.sessionId, operatorId: operator.id }, 'bundle accessed');
      return reply.header('content-type', CONTAINER_MEDIA_TYPE).header('cache-control', 'no-store').send(Buffer.from(container.buffer, container.byteOffset, container.byteLength));
    });

    app.get('/audit/sessions/:id/evidence', {
      schema: {
        summary: 'The stored evidence with the session record', description: 'Auditor only. The verified bundle (EKB1 container, base64) with what the verifier recorded for the session: the nonce it issued, the signing public key bound before intake, when the evidence arrived and the session configuration, so the auditor can check key binding and the nonce itself. The access is written to the audit log first.',
        tags: ['audit'], security, params: sessionParamsSchema, response: { 200: auditEvidenceResponseSchema, ...refusals },
      },
    }, async (request, reply) => {
      const operator = await requireOperator(request, context, ['auditor']);
      const stored = await context.store.loadEvidence(request.params.id);
      const session = stored === null ? null : await context.store.getSession(stored.sessionId);
      if (stored === null || session === null) throw new EkycError('session_not_found', 'No stored evidence for this session.');
      await appendAudit(context.store.db, {
        actorKind: 'operator', actorId: operator.id, action: 'bundle.accessed', sessionId: stored.sessionId, details: { sealedBytes: stored.sealedBytes, withRecord: true }, at: context.now(),
      });
      const container = await openEnvelope(stored.envelope, context.keks, evidenceAad(stored.sessionId, stored.idempotencyKey));
      context.logger.info({ sessionId: stored.sessionId, operatorId: operator.id }, 'bundle accessed');
      reply.header('cache-control', 'no-store');
      return {
        sessionId: stored.sessionId, nonce: session.nonce, signingKey: session.signingKey, receivedAt: stored.receivedAt.toISOString(), sealedBytes: stored.sealedBytes, sealedHeader: stored.sealedHeader ?? null,
        config: { ...session.config }, container: Buffer.from(container.buffer, container.byteOffset, container.byteLength).toString('base64'),
      };
    });

    app.get('/audit/log', {
      schema: {
        summary: 'Read the audit log', description: 'Auditor only. Entries in order (seq), each with the previous entry\'s hash and its own. Reading is itself logged.',
        tags: ['audit'], security, querystring: auditQuerySchema, response: { 200: auditLogResponseSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['auditor']);
      const limit = request.query.limit ?? 100;
      const entries = await readAuditLog(context.store.db, { afterSeq: request.query.after, limit, sessionId: request.query.sessionId });
      await appendAudit(context.store.db, {
        actorKind: 'operator', actorId: operator.id, action: 'audit.read', sessionId: request.query.sessionId ?? null,
        details: { after: request.query.after ?? 0, count: entries.length }, at: context.now(),
      });
      return {
        entries: entries.map((entry) => ({ ...entry, at: entry.at.toISOString(), details: { ...entry.details } })),
        next: entries.length === limit ? entries.at(-1)!.seq : null,
      };
    });

    app.get('/audit/log/verify', {
      schema: {
        summary: 'Verify the audit log\'s hash chain', description: 'Auditor only. Recomputes every hash and link; `firstBadSeq` names the first entry that does not verify.',
        tags: ['audit'], security, response: { 200: chainResponseSchema, ...refusals },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['auditor']);
      const report = await verifyAuditChain(context.store.db);
      await appendAudit(context.store.db, { actorKind: 'operator', actorId: operator.id, action: 'audit.verified', sessionId: null, details: { entries: report.entries, valid: report.valid }, at: context.now() });
      return report;
    });
  };
}

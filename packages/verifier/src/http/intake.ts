/** Evidence upload (docs/evidence.md, upload protocol v1): whole bundles and chunks, idempotent by key. */
import { CHUNK_MEDIA_TYPE, EkycError, SEALED_MEDIA_TYPE, evidenceErrorAnswer } from '@ekyc/core';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireClient } from './auth.ts';
import type { ApiContext } from './context.ts';
import { httpStatusOf } from './errors.ts';
import { ackResponseSchema, evidenceErrorBodySchema, partialResponseSchema, sessionParamsSchema } from './schemas.ts';

export function intakePlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    // Sealed bytes and chunks stay raw; this scope only.
    fastify.addContentTypeParser([SEALED_MEDIA_TYPE, CHUNK_MEDIA_TYPE], { parseAs: 'buffer', bodyLimit: context.bodyLimit }, (_request, body, done) => done(null, body));
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.post('/sessions/:id/evidence', {
      bodyLimit: context.bodyLimit,
      schema: {
        summary: 'Upload sealed evidence',
        description: 'Client token. `Idempotency-Key: <sha256 hex of the sealed bytes>`; body `application/jose` (whole) or `application/octet-stream` chunks with `Evidence-Chunk` and `Evidence-Total-Bytes`. 201 on first receipt, 200 for a repeat, 202 while chunks are missing.',
        tags: ['evidence'],
        consumes: [SEALED_MEDIA_TYPE, CHUNK_MEDIA_TYPE],
        security: [{ clientToken: [] }],
        params: sessionParamsSchema,
        headers: z.object({
          'idempotency-key': z.string().describe('SHA-256 (lower-case hex) of the sealed bytes'),
          'evidence-chunk': z.string().optional().describe('<index>/<count> for a chunk'),
          'evidence-total-bytes': z.string().optional().describe('Total sealed bytes, with a chunk'),
        }).passthrough(),
        body: z.any().describe('Sealed bytes (application/jose) or one chunk (application/octet-stream)').meta({ format: 'binary' }),
        response: {
          200: ackResponseSchema, 201: ackResponseSchema, 202: partialResponseSchema,
          400: evidenceErrorBodySchema, 401: evidenceErrorBodySchema, 404: evidenceErrorBodySchema, 413: evidenceErrorBodySchema,
          422: evidenceErrorBodySchema, 429: evidenceErrorBodySchema, 503: evidenceErrorBodySchema,
        },
      },
    }, async (request, reply) => {
      const started = performance.now();
      try {
        await requireClient(request, context, request.params.id);
        // A locked-out address may not deliver the evidence of further attempts either (docs/verifier-webhooks.md).
        await context.attempts?.assertNotLockedOut(request.ip, null, context.now());
        if (!(request.body instanceof Uint8Array)) throw new EkycError('evidence_upload_invalid', 'The body must be application/jose or application/octet-stream.');
        const answer = await context.intake.receive({
          sessionId: request.params.id,
          header: (name) => {
            const value = request.headers[name.toLowerCase()];
            return Array.isArray(value) ? value[0] : value;
          },
          body: new Uint8Array(request.body.buffer, request.body.byteOffset, request.body.byteLength),
        });
        if (answer.status !== 202) context.logger.info({ sessionId: request.params.id, status: answer.status, ms: Math.round(performance.now() - started) }, 'evidence received');
        return reply.code(answer.status).send(answer.body as never);
      } catch (error) {
        if (!(error instanceof EkycError)) throw error;
        const status = httpStatusOf(error);
        if (error.code === 'evidence_upload_busy') void reply.header('Retry-After', '5');
        if (error.code === 'liveness_locked_out') void reply.header('Retry-After', String(error.details?.retryAfterSeconds ?? 1));
        context.logger.warn({ sessionId: request.params.id, code: error.code, status }, 'evidence refused');
        return reply.code(status as 400).send(evidenceErrorAnswer(error.code) as never);
      }
    });
  };
}

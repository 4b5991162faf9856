import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiContext } from './context.ts';
import { healthResponseSchema } from './schemas.ts';

export function healthPlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/healthz', { schema: { summary: 'Liveness', tags: ['health'], response: { 200: healthResponseSchema } } }, async () => ({ status: 'ok' as const }));
    app.get('/readyz', { schema: { summary: 'Readiness: database and queue reachable', tags: ['health'], response: { 200: healthResponseSchema, 503: healthResponseSchema } } }, async (_request, reply) => {
      const checks = await context.ready();
      const ok = Object.values(checks).every((value) => value === 'ok');
      return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
    });
  };
}

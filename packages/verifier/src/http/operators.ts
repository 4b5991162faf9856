/** Who an operator token belongs to (operators are added and disabled with the CLI, never over HTTP). */
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireOperator } from './auth.ts';
import type { ApiContext } from './context.ts';
import { operatorResponseSchema } from './review-schemas.ts';
import { errorBodySchema } from './schemas.ts';

export function operatorsPlugin(context: ApiContext): FastifyPluginAsync {
  return async (fastify) => {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get('/operators/me', {
      schema: {
        summary: 'The signed-in operator', description: 'Reviewer or auditor token: its operator id, name and role.',
        tags: ['operators'], security: [{ operatorToken: [] }], response: { 200: operatorResponseSchema, 401: errorBodySchema },
      },
    }, async (request) => {
      const operator = await requireOperator(request, context, ['reviewer', 'auditor']);
      return { id: operator.id, name: operator.name, role: operator.role };
    });
  };
}

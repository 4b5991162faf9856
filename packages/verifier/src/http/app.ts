/**
 * The Fastify app: one plugin per concern (sessions, intake, health), zod schemas on every
 * route through fastify-type-provider-zod, and the OpenAPI document generated from those
 * schemas by @fastify/swagger (served at /openapi.json).
 */
import fastifySwagger from '@fastify/swagger';
import { EkycError } from '@ekyc/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiContext } from './context.ts';
import { httpStatusOf } from './errors.ts';
import { healthPlugin } from './health.ts';
import { intakePlugin } from './intake.ts';
import { sessionsPlugin } from './sessions.ts';

export const API_VERSION = '1.0.0';

export async function buildApp(context: ApiContext): Promise<FastifyInstance> {
  // Fastify's own request logging is off: our log lines carry ids only, never bodies or headers.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) return reply.code(400).send({ code: 'invalid_argument' });
    if (error instanceof EkycError) return reply.code(httpStatusOf(error)).send({ code: error.code });
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return reply.code(413).send({ code: 'evidence_too_large' });
    if (status === 415) return reply.code(415).send({ code: 'invalid_argument' });
    if (status !== undefined && status >= 400 && status < 500) return reply.code(status).send({ code: 'invalid_argument' });
    context.logger.error({ err: { name: (error as Error).name, message: (error as Error).message }, url: request.routeOptions.url }, 'unhandled error');
    return reply.code(500).send({ code: 'internal_error' });
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'eKYC reference verifier', version: API_VERSION, description: 'Sessions, evidence intake and decisions. See docs/verifier.md.' },
      components: {
        securitySchemes: {
          integratorKey: { type: 'http', scheme: 'bearer', description: 'The integrator API key (VERIFIER_API_KEY)' },
          clientToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Short-lived client token from POST /sessions' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(sessionsPlugin(context));
  await app.register(intakePlugin(context));
  await app.register(healthPlugin(context));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

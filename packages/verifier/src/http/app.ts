/**
 * The Fastify app: one plugin per concern (sessions, intake, health), zod schemas on every
 * route through fastify-type-provider-zod, and the OpenAPI document generated from those
 * schemas by @fastify/swagger (served at /openapi.json).
 */
import fastifySwagger from '@fastify/swagger';
import { EkycError, evidenceErrorAnswer, type EkycErrorCode } from '@ekyc/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { ApiContext } from './context.ts';
import type { VerifierMetrics } from '../observability/metrics.ts';
import type { OpsConfig, RateLimits } from '../ops/config.ts';
import { applyBodyLimits, registerRateLimits } from '../ops/limits.ts';
import { instrumentHttp } from './metrics.ts';
import { httpStatusOf } from './errors.ts';
import { healthPlugin } from './health.ts';
import { auditPlugin } from './audit.ts';
import { operatorsPlugin } from './operators.ts';
import { reviewPlugin } from './review.ts';
import { handoffPlugin } from './handoff.ts';
import { intakePlugin } from './intake.ts';
import { livenessAttemptsPlugin } from '../lockout/routes.ts';
import { sessionsPlugin } from './sessions.ts';

export const API_VERSION = '1.0.0';

/** Operations wiring (src/ops): metrics hooks, per-route rate limits, proxy trust. All optional. */
export interface AppOptions {
  metrics?: VerifierMetrics;
  rateLimits?: RateLimits | null;
  trustProxy?: OpsConfig['trustProxy'];
  /** True once a graceful shutdown began: responses then close their connection. */
  draining?: () => boolean;
}

export async function buildApp(context: ApiContext, options: AppOptions = {}): Promise<FastifyInstance> {
  // Fastify's own request logging is off: our log lines carry ids only, never bodies or headers.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024, trustProxy: options.trustProxy ?? false });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Before any route: body limits per route, latency and intake metrics, rate limits.
  applyBodyLimits(app);
  if (options.metrics) instrumentHttp(app, options.metrics);
  if (options.rateLimits) await registerRateLimits(app, options.rateLimits, options.metrics);
  const draining = options.draining;
  if (draining) {
    // A keep-alive socket whose request was in flight when the drain began would otherwise stay
    // open until its idle timeout and hold `close()` for that long.
    app.addHook('onSend', async (_request, reply, payload) => {
      if (draining()) void reply.header('connection', 'close');
      return payload;
    });
  }
  app.setErrorHandler((error, request, reply) => {
    // The upload route answers refusals in the upload protocol's own shape (docs/evidence.md).
    const upload = request.routeOptions.url === '/sessions/:id/evidence';
    const refuse = (status: number, code: EkycErrorCode | 'internal_error') => reply.code(status).send(
      upload && code !== 'internal_error' ? evidenceErrorAnswer(code) : { code },
    );
    if (hasZodFastifySchemaValidationErrors(error)) return refuse(400, upload ? 'evidence_upload_invalid' : 'invalid_argument');
    if (error instanceof EkycError) return refuse(httpStatusOf(error), error.code);
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 413) return refuse(413, upload ? 'evidence_too_large' : 'request_too_large');
    if (status !== undefined && status >= 400 && status < 500) return refuse(status, upload ? 'evidence_upload_invalid' : 'invalid_argument');
    context.logger.error({ err: { name: (error as Error).name, message: (error as Error).message }, url: request.routeOptions.url }, 'unhandled error');
    return refuse(500, 'internal_error');
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'eKYC reference verifier', version: API_VERSION, description: 'Sessions, evidence intake and decisions. See docs/verifier.md.' },
      components: {
        securitySchemes: {
          integratorKey: { type: 'http', scheme: 'bearer', description: 'The integrator API key (VERIFIER_API_KEY)' },
          clientToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Short-lived client token from POST /sessions' },
          operatorToken: { type: 'http', scheme: 'bearer', description: 'A reviewer\'s or auditor\'s token (`ekyc-verifier operator add`), docs/verifier-review.md' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(sessionsPlugin(context));
  await app.register(intakePlugin(context));
  await app.register(handoffPlugin(context));
  await app.register(healthPlugin(context));
  await app.register(reviewPlugin(context));
  await app.register(auditPlugin(context));
  await app.register(operatorsPlugin(context));
  if (context.attempts) await app.register(livenessAttemptsPlugin(context, context.attempts));
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.ready();
  return app;
}

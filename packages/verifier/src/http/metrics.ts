/**
 * HTTP instrumentation (latency by route pattern and status, requests in flight, evidence intake
 * by result and bytes) as root hooks, and the `/metrics` route in Prometheus text format, behind
 * a bearer token when one is configured.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { VerifierMetrics } from '../observability/metrics.ts';

const STARTED = Symbol('ekyc.started');
const REFUSAL_CODE = Symbol('ekyc.refusalCode');
type Timed = FastifyRequest & { [STARTED]?: number; [REFUSAL_CODE]?: string };

const INTAKE_ROUTE = '/sessions/:id/evidence';

function intakeResult(status: number): 'accepted' | 'repeat' | 'partial' | 'refused' {
  if (status === 201) return 'accepted';
  if (status === 200) return 'repeat';
  if (status === 202) return 'partial';
  return 'refused';
}

/** Adds the hooks on the root instance (call before the route plugins are registered). */
export function instrumentHttp(app: FastifyInstance, metrics: VerifierMetrics): void {
  app.addHook('onRequest', async (request) => {
    (request as Timed)[STARTED] = performance.now();
    metrics.httpInFlight.inc();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    // The refusal's error code, read from the small JSON body the error paths send (never a bundle).
    if (reply.statusCode >= 400 && request.routeOptions.url === INTAKE_ROUTE && typeof payload === 'string' && payload.length < 512) {
      const code = /"code":"([a-z_]{1,60})"/.exec(payload)?.[1];
      if (code !== undefined) (request as Timed)[REFUSAL_CODE] = code;
    }
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    const started = (request as Timed)[STARTED];
    metrics.httpInFlight.dec();
    const route = request.routeOptions.url ?? 'unmatched';
    if (started !== undefined) metrics.httpSeconds.observe({ method: request.method, route, status_code: String(reply.statusCode) }, (performance.now() - started) / 1000);
    if (route === INTAKE_ROUTE && request.method === 'POST') {
      const result = intakeResult(reply.statusCode);
      metrics.intakeRequests.inc({ result, code: result === 'refused' ? ((request as Timed)[REFUSAL_CODE] ?? `http_${reply.statusCode}`) : '' });
      const bytes = Number(request.headers['content-length'] ?? 0);
      if (Number.isFinite(bytes) && bytes > 0) metrics.intakeBytes.inc({ result }, bytes);
    }
  });
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

/** GET /metrics (hidden from the OpenAPI document: it is an operator's endpoint, not the integrator's). */
export function metricsPlugin(options: { metrics: VerifierMetrics; token: string | null }): FastifyPluginAsync {
  return async (app) => {
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (options.token !== null && !tokenMatches(request.headers.authorization, options.token)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ code: 'auth_failed' });
      }
      const { contentType, body } = await options.metrics.exposition();
      return reply.type(contentType).send(body);
    });
  };
}

/**
 * Per-route rate limits (@fastify/rate-limit, one in-memory counter per instance, keyed by route
 * class and client address) and per-route body limits. Probes and /metrics are never limited.
 * A refusal is a typed `rate_limited` (429 with Retry-After) or `request_too_large` (413).
 */
import rateLimit from '@fastify/rate-limit';
import { EkycError } from '@ekyc/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { VerifierMetrics } from '../observability/metrics.ts';
import type { RateLimits } from './config.ts';

export type RouteClass = keyof Omit<RateLimits, 'windowSeconds'> | 'exempt';

const EXEMPT = new Set(['/healthz', '/readyz', '/metrics']);

export function routeClassOf(method: string, url: string | undefined): RouteClass {
  if (url === undefined || EXEMPT.has(url)) return 'exempt';
  if (url === '/sessions' && method === 'POST') return 'sessions';
  if (url === '/sessions/:id/key') return 'keys';
  if (url === '/sessions/:id/evidence') return 'uploads';
  if (url === '/sessions/:id' && method === 'GET') return 'status';
  return 'other';
}

const classOf = (request: FastifyRequest): RouteClass => routeClassOf(request.method, request.routeOptions.url);

/** Registers the limiter on the root instance: every route registered afterwards is covered. */
export async function registerRateLimits(app: FastifyInstance, limits: RateLimits, metrics?: VerifierMetrics): Promise<void> {
  await app.register(rateLimit, {
    global: true,
    timeWindow: limits.windowSeconds * 1000,
    keyGenerator: (request) => `${classOf(request)}|${request.ip}`,
    allowList: (request) => classOf(request) === 'exempt',
    max: (request) => {
      const routeClass = classOf(request);
      return routeClass === 'exempt' ? Number.MAX_SAFE_INTEGER : limits[routeClass];
    },
    // Retry-After carries the seconds; the body is the typed refusal, shaped by the error handler.
    addHeaders: { 'x-ratelimit-limit': true, 'x-ratelimit-remaining': true, 'x-ratelimit-reset': true, 'retry-after': true },
    errorResponseBuilder: (request) => {
      metrics?.rateLimited.inc({ route: classOf(request) });
      return new EkycError('rate_limited', 'Too many requests for this route from this client.', { details: { route: classOf(request) } });
    },
  });
}

/** Largest JSON body per route (the upload route sets its own, from VERIFIER_MAX_SEALED_BYTES). */
export const JSON_BODY_LIMITS: Readonly<Record<string, number>> = {
  '/sessions': 4 * 1024,
  '/sessions/:id/key': 4 * 1024,
};
export const DEFAULT_JSON_BODY_LIMIT = 64 * 1024;

/** Sets each route's body limit as it is registered, unless the route chose its own. */
export function applyBodyLimits(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.bodyLimit === undefined) route.bodyLimit = JSON_BODY_LIMITS[route.url] ?? DEFAULT_JSON_BODY_LIMIT;
  });
}

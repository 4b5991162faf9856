/**
 * The ops listener (VERIFIER_OPS_HOST:VERIFIER_OPS_PORT): /healthz, /readyz and /metrics on a port
 * of their own, for probes and Prometheus on a private network. Every role can have one; a
 * worker-only process has no other HTTP server.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { metricsPlugin } from '../http/metrics.ts';
import type { VerifierMetrics } from '../observability/metrics.ts';
import type { Check } from './readiness.ts';

export interface OpsServer {
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

export async function startOpsServer(options: {
  host: string; port: number; metrics: VerifierMetrics; token: string | null; ready: () => Promise<Record<string, Check>>;
}): Promise<OpsServer> {
  const app = Fastify({ logger: false, bodyLimit: 1024 });
  app.get('/healthz', async () => ({ status: 'ok' as const }));
  app.get('/readyz', async (_request, reply) => {
    const checks = await options.ready();
    const ok = Object.values(checks).every((value) => value === 'ok');
    return reply.code(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', checks });
  });
  await app.register(metricsPlugin({ metrics: options.metrics, token: options.token }));
  const url = await app.listen({ host: options.host, port: options.port });
  return { url, app, close: () => app.close() };
}

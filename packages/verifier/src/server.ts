/**
 * Assembles a verifier: database (PGlite or PostgreSQL) and migrations, the job queue, the HTTP
 * API and/or the re-scoring worker (VERIFIER_ROLE = all | api | worker).
 */
import path from 'node:path';
import { ChunkAssembler, risk } from '@ekyc/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { publicJwkOf, type VerifierConfig } from './config.ts';
import { importKek, type KeyEncryptionKey } from './crypto/envelope.ts';
import { parsePepper } from './crypto/pepper.ts';
import { createTokenIssuer } from './crypto/tokens.ts';
import { openDatabase, type Database } from './db/driver.ts';
import { migrate } from './db/migrate.ts';
import { ServerFaceEngine } from './face/engine.ts';
import { buildApp } from './http/app.ts';
import { EvidenceIntake } from './intake/intake.ts';
import { runRescoreJob } from './jobs/rescore-worker.ts';
import { startJobQueue, type JobQueue } from './jobs/queue.ts';
import { SqlChunkStore } from './storage/chunk-store.ts';
import { SessionStore } from './storage/session-store.ts';
import { reviewApiContext, reviewWorkerDeps } from './review/wiring.ts';
import { createLogger, errorFields } from './observability/logger.ts';
import { VerifierMetrics } from './observability/metrics.ts';
import { startOpsServer, type OpsServer } from './ops/ops-server.ts';
import { createReadiness, type ReadinessState } from './ops/readiness.ts';
import { RESCORE_QUEUE } from './jobs/queue.ts';
import { purgeAuditLogBefore } from './audit/log.ts';
import { LivenessAttempts } from './lockout/attempts.ts';
import { startRetentionJob } from './retention/job.ts';
import { runRetentionPass } from './retention/purge.ts';
import { WebhookDispatcher } from './webhooks/delivery.ts';

export interface Verifier {
  db: Database;
  store: SessionStore;
  queue: JobQueue;
  app: FastifyInstance | null;
  /** The URL the API listens on (null for a worker-only process or before `listen`). */
  url: string | null;
  /** The ops listener's URL (/healthz, /readyz, /metrics) when VERIFIER_OPS_PORT is set. */
  opsUrl: string | null;
  metrics: VerifierMetrics;
  /** Readiness checks as /readyz answers them. */
  ready(): Promise<Record<string, 'ok' | 'failed'>>;
  /**
   * Graceful stop: /readyz turns 503, the API stops accepting and finishes in-flight requests,
   * the worker takes no new job and finishes the running ones (pg-boss graceful stop), then the
   * face models and the database pool close. Resolves 'drained', or 'timeout' when the deadline
   * (VERIFIER_SHUTDOWN_TIMEOUT_SECONDS) passed first and the rest was closed without waiting.
   */
  close(): Promise<'drained' | 'timeout'>;
  /** The webhook dispatcher of a worker process with VERIFIER_WEBHOOK_URLS set; null otherwise. */
  webhooks: WebhookDispatcher | null;
}

export interface VerifierOptions {
  logger?: Logger;
  /** Listen on config.host:config.port (default true); tests may use `app.inject` instead. */
  listen?: boolean;
  /** Load the face models (default true); without them face signals are marked missing. */
  faceModels?: boolean;
  /** Worker polling interval (pg-boss minimum 0.5 s). */
  pollingIntervalSeconds?: number;
  now?: () => Date;
  riskPolicy?: risk.RiskPolicy;
  /** How often the webhook dispatcher polls the outbox (default 1000 ms). */
  webhookPollingMs?: number;
}

export async function startVerifier(config: VerifierConfig, options: VerifierOptions = {}): Promise<Verifier> {
  const logger = options.logger ?? createLogger({ level: config.ops.logLevel });
  const metrics = new VerifierMetrics({ role: config.role });
  const now = options.now ?? (() => new Date());
  const db = await openDatabase(config.databaseUrl);
  const migration = await migrate(db);
  if (migration.applied.length > 0) logger.info({ from: migration.from, to: migration.to, applied: migration.applied.map((file) => path.basename(file)) }, 'database migrated');
  // The retention schedule needs pg-boss's cron monitor, on the processes that run jobs.
  const schedule = config.role !== 'api' && config.retention.schedule !== null;
  const queue = await startJobQueue(db, { schedule, expireInSeconds: config.jobExpireSeconds, onError: (error) => logger.warn({ err: { name: error.name, message: error.message } }, 'job queue error') });
  const store = new SessionStore(db);
  const readiness: ReadinessState = { queueStarted: true, draining: false };
  const ready = createReadiness(db, readiness);
  metrics.setQueueDepth(async () => {
    const { rows } = await db.query<{ state: string; n: number }>('SELECT state::text AS state, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY state', [RESCORE_QUEUE]);
    return Object.fromEntries(rows.map((row) => [row.state, Number(row.n)]));
  });

  const keks = new Map<string, KeyEncryptionKey>();
  const kek = await importKek(config.kek.id, config.kek.base64url);
  keks.set(kek.id, kek);
  for (const previous of config.previousKeks) keks.set(previous.id, await importKek(previous.id, previous.base64url));

  let face: ServerFaceEngine | null = null;
  let webhooks: WebhookDispatcher | null = null;
  if (config.role !== 'api') {
    if (options.faceModels !== false) {
      try {
        face = await ServerFaceEngine.create({ modelDir: config.modelDir });
      } catch (error) {
        logger.warn({ code: (error as { code?: string }).code ?? 'unknown' }, 'face models unavailable: face signals will be marked missing');
      }
    }
    const pepper = parsePepper(config.pepper.id, config.pepper.base64url);
    const optional = config.riskOptionalSignals.filter((name): name is risk.RiskSignalName => (risk.RISK_SIGNALS as readonly string[]).includes(name));
    const policy = options.riskPolicy ?? { ...risk.DEFAULT_RISK_POLICY, optional };
    const reviewDeps = reviewWorkerDeps(config);
    await queue.work(async ({ sessionId }) => {
      const started = performance.now();
      metrics.jobsInFlight.inc();
      logger.debug({ sessionId }, 'rescore started');
      let result = 'failed';
      try {
        result = await runRescoreJob(sessionId, { store, keks, pepper, face, policy, logger, now, ...reviewDeps });
        if (result === 'decided') {
          const decision = await store.getDecision(sessionId);
          if (decision !== null) metrics.decisions.inc({ outcome: decision.outcome });
        }
      } catch (error) {
        logger.warn({ sessionId, err: errorFields(error) }, 'rescore failed');
        throw error;
      } finally {
        metrics.jobsInFlight.dec();
        metrics.rescoreSeconds.observe({ result }, (performance.now() - started) / 1000);
      }
    }, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 });
    // Sessions accepted but never decided (e.g. a crash before the job committed its result
    // and its retries ran out) get a new job; a duplicate job is harmless (idempotent).
    for (const sessionId of await store.undecidedSessionIds()) await queue.enqueueRescoreNow(sessionId);
    // Decision webhooks from the outbox (automatic and reviewer decisions alike), and the retention purge.
    if (config.webhooks.targets.length > 0) {
      webhooks = new WebhookDispatcher(db, config.webhooks, { now, logger });
      webhooks.start(options.webhookPollingMs ?? 1000);
    }
    await startRetentionJob(queue.boss, () => runRetentionPass(db, config.retention.policy, now(), { purgeAudit: purgeAuditLogBefore }), { schedule: config.retention.schedule, logger });
  }

  let app: FastifyInstance | null = null;
  let url: string | null = null;
  if (config.role !== 'worker') {
    const maxChunkBytes = 8 * 1024 * 1024;
    const intake = new EvidenceIntake({
      store, queue, kek, now,
      assembler: new ChunkAssembler({ maxTotalBytes: config.maxSealedBytes, maxChunkBytes, store: new SqlChunkStore(db) }),
      decryptionKey: config.verifierPrivateJwk,
      previousKeys: new Map(config.previousVerifierJwks.filter((jwk) => jwk.kid !== config.verifierPrivateJwk.kid).map((jwk) => [jwk.kid!, jwk])),
      maxSealedBytes: config.maxSealedBytes,
    });
    app = await buildApp({
      store, intake, logger, now,
      ...reviewApiContext(db, config, keks, now),
      tokens: createTokenIssuer(config.tokenSecret, config.clientTokenTtlSeconds, now),
      apiKey: config.apiKey,
      verifierPublicJwk: publicJwkOf(config.verifierPrivateJwk),
      sessionDefaults: config.sessionDefaults,
      maxSealedBytes: config.maxSealedBytes,
      bodyLimit: Math.max(config.maxSealedBytes, maxChunkBytes) + 1024,
      ready,
      attempts: new LivenessAttempts(db, parsePepper(config.pepper.id, config.pepper.base64url).secret, config.lockout),
    }, { metrics, rateLimits: config.ops.rateLimits, trustProxy: config.ops.trustProxy, draining: () => readiness.draining });
    if (options.listen !== false) {
      url = await app.listen({ host: config.host, port: config.port });
      logger.info({ url, role: config.role, database: db.kind }, 'verifier listening');
    }
  }

  let ops: OpsServer | null = null;
  if (config.ops.opsListener !== null && options.listen !== false) {
    ops = await startOpsServer({ ...config.ops.opsListener, metrics, token: config.ops.metricsToken, ready });
    logger.info({ url: ops.url }, 'ops listener (healthz, readyz, metrics)');
  }

  let closing: Promise<'drained' | 'timeout'> | null = null;
  const drain = async (): Promise<void> => {
    readiness.draining = true;
    // Fastify's close stops accepting, answers 503 to requests arriving meanwhile, closes idle
    // keep-alive sockets and resolves once the in-flight requests have their responses.
    // Sockets that turn idle after their response are closed as they do (safety net for clients
    // that ignore `Connection: close`).
    const sweep = setInterval(() => app?.server.closeIdleConnections(), 250);
    try {
      await app?.close();
    } finally {
      clearInterval(sweep);
    }
    logger.debug('http drained');
    readiness.queueStarted = false;
    // pg-boss: no new fetches, running jobs finish (graceful), then its pool closes.
    await queue.stop();
    logger.debug('queue stopped');
    // The delivery pass in flight finishes; undelivered events stay in the outbox for the next process.
    await webhooks?.stop();
  };
  return {
    db, store, queue, app, url, metrics, ready, webhooks,
    opsUrl: ops?.url ?? null,
    close() {
      closing ??= (async () => {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), config.ops.shutdownTimeoutSeconds * 1000); });
        const result = await Promise.race([drain().then(() => 'drained' as const), deadline]);
        clearTimeout(timer);
        await ops?.close();
        await face?.close();
        await db.close();
        logger.info({ result, ms: Math.round(performance.now() - started) }, 'verifier stopped');
        return result;
      })();
      return closing;
    },
  };
}

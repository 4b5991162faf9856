/**
 * Assembles a verifier: database (PGlite or PostgreSQL) and migrations, the job queue, the HTTP
 * API and/or the re-scoring worker (VERIFIER_ROLE = all | api | worker).
 */
import path from 'node:path';
import { ChunkAssembler, risk } from '@ekyc/core';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
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

export interface Verifier {
  db: Database;
  store: SessionStore;
  queue: JobQueue;
  app: FastifyInstance | null;
  /** The URL the API listens on (null for a worker-only process or before `listen`). */
  url: string | null;
  close(): Promise<void>;
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
}

export async function startVerifier(config: VerifierConfig, options: VerifierOptions = {}): Promise<Verifier> {
  const logger = options.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', base: { service: 'ekyc-verifier' } });
  const now = options.now ?? (() => new Date());
  const db = await openDatabase(config.databaseUrl);
  const migration = await migrate(db);
  if (migration.applied.length > 0) logger.info({ from: migration.from, to: migration.to, applied: migration.applied.map((file) => path.basename(file)) }, 'database migrated');
  const queue = await startJobQueue(db, { expireInSeconds: config.jobExpireSeconds, onError: (error) => logger.warn({ err: { name: error.name, message: error.message } }, 'job queue error') });
  const store = new SessionStore(db);

  const keks = new Map<string, KeyEncryptionKey>();
  const kek = await importKek(config.kek.id, config.kek.base64url);
  keks.set(kek.id, kek);
  for (const previous of config.previousKeks) keks.set(previous.id, await importKek(previous.id, previous.base64url));

  let face: ServerFaceEngine | null = null;
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
    await queue.work(async ({ sessionId }) => {
      await runRescoreJob(sessionId, { store, keks, pepper, face, policy, logger, now });
    }, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 0.5 });
    // Sessions accepted but never decided (e.g. a crash before the job committed its result
    // and its retries ran out) get a new job; a duplicate job is harmless (idempotent).
    for (const sessionId of await store.undecidedSessionIds()) await queue.enqueueRescoreNow(sessionId);
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
      tokens: createTokenIssuer(config.tokenSecret, config.clientTokenTtlSeconds, now),
      apiKey: config.apiKey,
      verifierPublicJwk: publicJwkOf(config.verifierPrivateJwk),
      sessionDefaults: config.sessionDefaults,
      maxSealedBytes: config.maxSealedBytes,
      bodyLimit: Math.max(config.maxSealedBytes, maxChunkBytes) + 1024,
      ready: async () => {
        const database = await db.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const);
        return { database };
      },
    });
    if (options.listen !== false) {
      url = await app.listen({ host: config.host, port: config.port });
      logger.info({ url, role: config.role, database: db.kind }, 'verifier listening');
    }
  }

  return {
    db, store, queue, app, url,
    async close() {
      await app?.close();
      await queue.stop();
      await face?.close();
      await db.close();
    },
  };
}

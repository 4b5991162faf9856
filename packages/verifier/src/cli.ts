/**
 * The `ekyc-verifier` process: configuration from the environment, secrets generated once in
 * development, the URL printed, graceful shutdown on SIGINT/SIGTERM.
 */
import path from 'node:path';
import { EkycError } from '@ekyc/core';
import { loadConfig, type VerifierConfig } from './config.ts';
import { importKek, rewrapDataKey, type KeyEncryptionKey } from './crypto/envelope.ts';
import { openDatabase } from './db/driver.ts';
import { migrate } from './db/migrate.ts';
import { SessionStore } from './storage/session-store.ts';
import { startVerifier } from './server.ts';
import { runOperatorCommand } from './operators/cli.ts';
import { createLogger, errorFields } from './observability/logger.ts';
import { LOG_LEVELS, type LogLevel } from './ops/config.ts';

// LOG_LEVEL is validated with the rest of the configuration; until then a bad value logs at info.
const envLevel = process.env.LOG_LEVEL as LogLevel | undefined;
const logger = createLogger({ level: envLevel !== undefined && LOG_LEVELS.includes(envLevel) ? envLevel : 'info' });

/** `ekyc-verifier rewrap-keys`: every stored data key re-wrapped under the current KEK, then exit. */
async function rewrapKeys(config: VerifierConfig): Promise<void> {
  const db = await openDatabase(config.databaseUrl);
  try {
    await migrate(db);
    const keks = new Map<string, KeyEncryptionKey>();
    for (const entry of [config.kek, ...config.previousKeks]) keks.set(entry.id, await importKek(entry.id, entry.base64url));
    const current = keks.get(config.kek.id)!;
    const count = await new SessionStore(db).rewrapEvidenceKeys((kekId, wrappedKey) => rewrapDataKey({ kekId, wrappedKey }, keks, current), current.id);
    process.stdout.write(`ekyc-verifier: ${count} data keys re-wrapped under ${current.id}\n`);
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const config = await loadConfig();
  logger.level = config.ops.logLevel;
  if (process.argv[2] === 'rewrap-keys') return rewrapKeys(config);
  if (process.argv[2] === 'operator') return runOperatorCommand(process.argv.slice(3), config);
  if (config.generatedSecrets.length > 0) {
    const file = path.join(path.resolve(process.env.VERIFIER_STATE_DIR ?? '.ekyc-verifier'), 'dev-secrets.json');
    // Printed once, on the start that generated them (development only; production refuses to start without them).
    process.stdout.write([
      'ekyc-verifier: generated development secrets (printed once):',
      `  VERIFIER_API_KEY=${config.apiKey}`,
      `  verifier key id: ${String(config.verifierPrivateJwk.kid)}`,
      `  ${config.generatedSecrets.join(', ')} are stored in ${file} (mode 0600).`,
      '  Set them in the environment for production (NODE_ENV=production refuses to generate).',
      '',
    ].join('\n'));
  }
  const verifier = await startVerifier(config, { logger });
  if (verifier.opsUrl !== null) process.stdout.write(`ekyc-verifier ops listener on ${verifier.opsUrl} (healthz, readyz, metrics)\n`);
  if (verifier.url !== null) process.stdout.write(`ekyc-verifier listening on ${verifier.url} (${verifier.db.kind}, role ${config.role})\n`);
  else process.stdout.write(`ekyc-verifier worker running (${verifier.db.kind})\n`);
  let closing = false;
  // SIGTERM/SIGINT: drain (in-flight requests answered, running jobs finished) within
  // VERIFIER_SHUTDOWN_TIMEOUT_SECONDS, exit 0; past the deadline exit 1. A second signal exits at once.
  const shutdown = (signal: string): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without draining');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal, timeoutSeconds: config.ops.shutdownTimeoutSeconds }, 'shutting down: draining');
    verifier.close().then(
      (result) => process.exit(result === 'drained' ? 0 : 1),
      (error: unknown) => {
        logger.error({ err: errorFields(error) }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = error instanceof EkycError ? error.code : 'start_failed';
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal({ code, message }, 'ekyc-verifier could not start');
  // Configuration errors name the variable (never its value): said plainly for whoever reads the console.
  process.stderr.write(`ekyc-verifier: could not start (${code}): ${message}\n`);
  process.exit(1);
});

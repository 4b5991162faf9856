/**
 * One place for the database set-up every storage-backed suite repeats: each suite runs on PGlite
 * (in memory) and on PostgreSQL (a throwaway cluster, postgres.ts), skipped where PostgreSQL is not
 * installed. Call inside `describe.each(TEST_DATABASES)`; the hooks open the database (or start a
 * verifier on it) before the suite and close everything after it.
 */
import { afterAll, beforeAll } from 'vitest';
import pino from 'pino';
import { openDatabase, type Database } from '../db/driver.ts';
import { migrate } from '../db/migrate.ts';
import type { VerifierConfig } from '../config.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { SessionStore } from '../storage/session-store.ts';
import { testConfig } from './fixtures.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from './postgres.ts';

export const TEST_DATABASES = ['pglite', 'postgres'] as const;
export type TestDatabaseKind = (typeof TEST_DATABASES)[number];

/** PostgreSQL suites are skipped where PostgreSQL 15 is not installed; PGlite always runs. */
export function databaseSkipped(kind: TestDatabaseKind): boolean {
  return kind === 'postgres' && !postgresAvailable();
}

function opened<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not open yet: use it inside a test or a hook after beforeAll`);
  return value;
}

/** A migrated database and its SessionStore for one describe block. */
export function useMigratedDatabase(kind: TestDatabaseKind): { readonly skip: boolean; readonly db: Database; readonly store: SessionStore } {
  const skip = databaseSkipped(kind);
  let server: TestPostgres | null = null;
  let db: Database | undefined;
  let store: SessionStore | undefined;
  beforeAll(async () => {
    if (skip) return;
    if (kind === 'postgres') server = await startTestPostgres();
    db = await openDatabase(server?.url ?? 'memory:');
    await migrate(db);
    store = new SessionStore(db);
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    await server?.stop();
  });
  return { skip, get db() { return opened(db, 'the database'); }, get store() { return opened(store, 'the store'); } };
}

/** A verifier (not listening: tests inject requests) on its own database, with `testConfig` and a silent logger unless given. */
export function useTestVerifier(kind: TestDatabaseKind, options: {
  env?: Record<string, string>;
  start?: Omit<NonNullable<Parameters<typeof startVerifier>[1]>, 'listen'>;
} = {}): { readonly skip: boolean; readonly verifier: Verifier; readonly config: VerifierConfig } {
  const skip = databaseSkipped(kind);
  let server: TestPostgres | null = null;
  let verifier: Verifier | undefined;
  let config: VerifierConfig | undefined;
  beforeAll(async () => {
    if (skip) return;
    if (kind === 'postgres') server = await startTestPostgres();
    config = await testConfig(server?.url ?? 'memory:', options.env);
    verifier = await startVerifier(config, { logger: pino({ level: 'silent' }), ...options.start, listen: false });
  }, 120_000);
  afterAll(async () => {
    await verifier?.close();
    await server?.stop();
  });
  return { skip, get verifier() { return opened(verifier, 'the verifier'); }, get config() { return opened(config, 'the verifier config'); } };
}

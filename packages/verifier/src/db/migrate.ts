/**
 * Schema migrations with postgrator (plain SQL files in packages/verifier/migrations), run the
 * same way on PGlite and PostgreSQL. On PostgreSQL an advisory lock serializes instances that
 * start together, so only one of them migrates.
 */
import { fileURLToPath } from 'node:url';
import Postgrator from 'postgrator';
import pg from 'pg';
import type { Database } from './driver.ts';

const MIGRATIONS = fileURLToPath(new URL('../../migrations/*', import.meta.url));
const LOCK_ID = 0x656b7963; // "ekyc"

export interface MigrationReport {
  from: number;
  to: number;
  applied: string[];
}

async function runPostgrator(execQuery: (sql: string) => Promise<{ rows: unknown[] }>): Promise<MigrationReport> {
  const postgrator = new Postgrator({ migrationPattern: MIGRATIONS, driver: 'pg', schemaTable: 'verifier_schema_version', execQuery: execQuery as (sql: string) => Promise<{ rows: never[] }> });
  const from = await postgrator.getDatabaseVersion().catch(() => 0);
  const applied = await postgrator.migrate();
  const to = await postgrator.getDatabaseVersion();
  return { from: from ?? 0, to, applied: applied.map((m) => m.filename) };
}

export async function migrate(db: Database): Promise<MigrationReport> {
  if (db.kind === 'pglite') {
    const lite = db.pglite!;
    // exec runs multi-statement scripts (a migration file); query would refuse them.
    return runPostgrator(async (sql) => {
      const results = await lite.exec(sql);
      return { rows: results.at(-1)?.rows ?? [] };
    });
  }
  const client = new pg.Client({ connectionString: db.connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_ID]);
    return await runPostgrator(async (sql) => {
      // A multi-statement script answers with one result per statement.
      const result = (await client.query(sql)) as pg.QueryResult | pg.QueryResult[];
      return { rows: Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows };
    });
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}

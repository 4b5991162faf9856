/**
 * Readiness: this process can do its job now. The database answers, its schema has every
 * migration this build ships, the job queue is started, and the process is not draining for a
 * shutdown (a load balancer then stops sending it new requests before it stops listening).
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { SqlClient } from '../db/driver.ts';

export type Check = 'ok' | 'failed';

/** The highest migration number shipped with this build (files `NNN.do.*.sql`). */
export function latestMigration(dir = fileURLToPath(new URL('../../migrations/', import.meta.url))): number {
  let latest = 0;
  for (const file of readdirSync(dir)) {
    const match = /^(\d+)\.do\..*\.sql$/.exec(file);
    if (match) latest = Math.max(latest, Number(match[1]));
  }
  return latest;
}

export interface ReadinessState {
  queueStarted: boolean;
  draining: boolean;
}

export function createReadiness(db: SqlClient, state: ReadinessState, expectedMigration = latestMigration()): () => Promise<Record<string, Check>> {
  return async () => {
    let database: Check = 'ok';
    let migrations: Check = 'failed';
    try {
      const { rows } = await db.query<{ version: string | number | null }>('SELECT max(version) AS version FROM verifier_schema_version');
      migrations = Number(rows[0]?.version ?? 0) >= expectedMigration ? 'ok' : 'failed';
    } catch {
      database = await db.query('SELECT 1').then(() => 'ok' as const, () => 'failed' as const);
    }
    return { database, migrations, queue: state.queueStarted ? 'ok' : 'failed', accepting: state.draining ? 'failed' : 'ok' };
  };
}

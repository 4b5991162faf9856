/**
 * One SQL surface over the two drivers the verifier runs on: embedded PGlite (a directory, the
 * default) and PostgreSQL (`pg`, through DATABASE_URL). Every query the verifier makes is plain
 * PostgreSQL with $n parameters, so the same SQL and the same migrations serve both.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

export interface SqlClient {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<Row>>;
}

export interface Database extends SqlClient {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: SqlClient) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The PGlite instance (for pg-boss's PGlite adapter); undefined on PostgreSQL. */
  readonly pglite?: PGlite;
  /** The connection string (for pg-boss's own pool); undefined on PGlite. */
  readonly connectionString?: string;
}

/** `pg` returns bytea as Buffer; callers get plain Uint8Array views either way. */
function normalizeRow<Row>(row: Record<string, unknown>): Row {
  for (const [key, value] of Object.entries(row)) {
    if (Buffer.isBuffer(value)) row[key] = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return row as Row;
}

export async function openPglite(dataDir: string | undefined): Promise<Database> {
  // undefined = in memory (tests); a directory persists across restarts.
  const db = dataDir === undefined ? new PGlite() : new PGlite(dataDir);
  await db.waitReady;
  const wrap = (client: Pick<PGlite, 'query'>): SqlClient => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<Record<string, unknown>>(sql, [...params]);
      return { rows: result.rows as Row[], rowCount: result.affectedRows ?? result.rows.length };
    },
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    pglite: db,
    query: base.query,
    transaction: (work) => db.transaction((tx) => work(wrap(tx))),
    close: () => db.close(),
  };
}

export async function openPostgres(connectionString: string, options: { max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => undefined);
  const wrap = (client: pg.Pool | pg.PoolClient): SqlClient => ({
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query(sql, [...params]);
      return { rows: result.rows.map((row: Record<string, unknown>) => normalizeRow<Row>(row)), rowCount: result.rowCount ?? 0 };
    },
  });
  const base = wrap(pool);
  return {
    kind: 'postgres',
    connectionString,
    query: base.query,
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

/** `postgres://` / `postgresql://` URLs go to PostgreSQL; anything else is a PGlite directory (`memory:` = in memory). */
export function openDatabase(url: string): Promise<Database> {
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url);
  if (url === 'memory:') return openPglite(undefined);
  return openPglite(url.replace(/^(pglite|file):\/\//, ''));
}

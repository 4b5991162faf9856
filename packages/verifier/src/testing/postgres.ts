/**
 * A throwaway PostgreSQL for tests: VERIFIER_TEST_DATABASE_URL (an admin URL; a fresh database is
 * created and dropped), else a private cluster from Debian's postgresql package (initdb + pg_ctl
 * in a temp dir, as the `postgres` user when running as root, on a free port). `null` when
 * neither is available: suites then say so and skip.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface TestPostgres {
  url: string;
  stop(): Promise<void>;
}

const BIN = process.env.VERIFIER_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export function postgresAvailable(): boolean {
  return process.env.VERIFIER_TEST_DATABASE_URL !== undefined || existsSync(path.join(BIN, 'initdb'));
}

async function freshDatabase(adminUrl: string): Promise<TestPostgres> {
  const name = `ekyc_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async stop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export async function startTestPostgres(): Promise<TestPostgres | null> {
  if (process.env.VERIFIER_TEST_DATABASE_URL !== undefined) return freshDatabase(process.env.VERIFIER_TEST_DATABASE_URL);
  if (!existsSync(path.join(BIN, 'initdb'))) return null;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-pg-'));
  const dataDir = path.join(dir, 'data');
  chmodSync(dir, 0o777);
  const asPostgres = (command: string, args: string[]): void => {
    if (root) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'ignore' });
    else execFileSync(command, args, { stdio: 'ignore' });
  };
  const port = await freePort();
  asPostgres(path.join(BIN, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '-E', 'UTF8']);
  // fsync off: a throwaway cluster needs no durability across a machine crash.
  asPostgres(path.join(BIN, 'pg_ctl'), ['-D', dataDir, '-w', '-l', path.join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        asPostgres(path.join(BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Re-scoring jobs in pg-boss on the verifier's own database (PGlite through pg-boss's adapter, or
 * PostgreSQL with pg-boss's pool), so API instances and workers scale independently on one
 * database. A job is enqueued in the intake transaction; a worker that dies mid-job leaves it
 * active until `expireInSeconds`, then pg-boss hands it to another worker.
 */
import { PgBoss } from 'pg-boss';
import { fromPglite } from 'pg-boss/dist/adapters/pglite.js';
import type { Database, SqlClient } from '../db/driver.ts';

export const RESCORE_QUEUE = 'ekyc-rescore';

export interface RescoreJobData {
  sessionId: string;
}

export interface JobQueue {
  readonly boss: PgBoss;
  /** Enqueues inside the caller's transaction: the job exists exactly when the transaction commits. */
  enqueueRescore(tx: SqlClient, sessionId: string): Promise<void>;
  /** Enqueues outside a transaction (start-up recovery of sessions left without a decision). */
  enqueueRescoreNow(sessionId: string): Promise<void>;
  work(handler: (data: RescoreJobData) => Promise<void>, options?: { pollingIntervalSeconds?: number; localConcurrency?: number }): Promise<string>;
  stop(): Promise<void>;
}

/** `schedule`: run pg-boss's cron monitor (the retention purge schedule, retention/job.ts); off by default. */
export async function startJobQueue(db: Database, options: { expireInSeconds: number; onError?: (error: Error) => void; schedule?: boolean }): Promise<JobQueue> {
  const schedule = options.schedule ?? false;
  const boss = db.kind === 'pglite'
    ? new PgBoss({ db: fromPglite(db.pglite!), supervise: true, schedule })
    : new PgBoss({ connectionString: db.connectionString!, max: 4, schedule, useListenNotify: true });
  boss.on('error', (error: Error) => options.onError?.(error));
  await boss.start();
  const existing = await boss.getQueue(RESCORE_QUEUE);
  if (existing === null || existing === undefined) {
    await boss.createQueue(RESCORE_QUEUE, {
      retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: options.expireInSeconds, notify: db.kind === 'postgres',
    });
  }
  const jobOptions = { expireInSeconds: options.expireInSeconds };
  return {
    boss,
    async enqueueRescore(tx, sessionId) {
      await boss.send(RESCORE_QUEUE, { sessionId } satisfies RescoreJobData, {
        ...jobOptions,
        db: { executeSql: (text: string, values?: unknown[]) => tx.query(text, values ?? []) },
      });
    },
    async enqueueRescoreNow(sessionId) {
      await boss.send(RESCORE_QUEUE, { sessionId } satisfies RescoreJobData, jobOptions);
    },
    work(handler, workOptions = {}) {
      // Batches of up to 8, fetched back to back while full; idle polling every 0.5 s (NOTIFY wakes
      // PostgreSQL workers sooner). A failing job fails its batch; the others were recorded and
      // their retry is a no-op (the job is idempotent).
      return boss.work<RescoreJobData>(RESCORE_QUEUE, {
        batchSize: 8, burstWhenBatchFull: true,
        pollingIntervalSeconds: workOptions.pollingIntervalSeconds ?? 0.5,
        notifyPollingIntervalSeconds: Math.max(1, workOptions.pollingIntervalSeconds ?? 1),
        localConcurrency: workOptions.localConcurrency ?? 1,
      }, async (jobs) => {
        let failure: unknown;
        for (const job of jobs) {
          try {
            await handler(job.data);
          } catch (error) {
            failure ??= error;
          }
        }
        if (failure !== undefined) throw failure;
      });
    },
    stop: () => boss.stop({ graceful: true, timeout: 10_000 }),
  };
}

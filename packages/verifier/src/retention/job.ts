/**
 * The retention purge as a pg-boss job: a cron schedule (VERIFIER_RETENTION_SCHEDULE) sends one
 * job per tick for the whole cluster (pg-boss keeps schedules in its own tables), and whichever
 * worker fetches it runs one pass. The queue's `stately` policy holds at most one queued and one
 * active purge, so a slow pass is never piled up behind.
 */
import type { PgBoss } from 'pg-boss';
import type { Logger } from 'pino';
import type { RetentionPass } from './purge.ts';

export const RETENTION_QUEUE = 'ekyc-retention';

export async function startRetentionJob(boss: PgBoss, run: () => Promise<RetentionPass>, options: { schedule: string | null; logger?: Logger; pollingIntervalSeconds?: number }): Promise<void> {
  if ((await boss.getQueue(RETENTION_QUEUE)) == null) {
    await boss.createQueue(RETENTION_QUEUE, { policy: 'stately', retryLimit: 3, retryDelay: 60, retryBackoff: true, expireInSeconds: 3600 });
  }
  if (options.schedule !== null) await boss.schedule(RETENTION_QUEUE, options.schedule, null, { missed: 'once' });
  else await boss.unschedule(RETENTION_QUEUE);
  await boss.work(RETENTION_QUEUE, { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 5 }, async () => {
    const pass = await run();
    options.logger?.info({ ...pass }, 'retention pass');
  });
}

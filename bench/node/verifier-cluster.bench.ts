/**
 * The verifier scaled out on loopback (the deployment of deploy/compose.yaml, without containers):
 * two `ekyc-verifier` processes with role api and one with role worker on one throwaway
 * PostgreSQL 15; 200 sessions created and keys bound, bundles signed and sealed before timing
 * (opaque 28 KB images: intake and routing are measured, not face inference), then all 200
 * uploads sent at once, spread over the two instances. Reports intake throughput, intake latency
 * as the client sees it, and the time from intake (the bundle's receipt, API clock) to decision
 * (the worker's record), read from the database. No restarts here: the load test
 * (packages/verifier/src/ops/load.test.ts) adds them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterDatabase, percentile, prepareClients, spawnVerifier, submitAll, waitFor, type VerifierProcess } from '../../packages/verifier/src/ops/cluster.ts';
import { testSecrets } from '../../packages/verifier/src/testing/fixtures.ts';
import { postgresAvailable, startTestPostgres } from '../../packages/verifier/src/testing/postgres.ts';
import type { BenchResult } from '../types.ts';

const SESSIONS = 200;

export default async function verifierClusterBench(): Promise<BenchResult[]> {
  if (!postgresAvailable()) throw new Error('verifier-cluster needs PostgreSQL 15 (Debian postgresql) or VERIFIER_TEST_DATABASE_URL');
  const server = await startTestPostgres();
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-bench-cluster-'));
  const processes: VerifierProcess[] = [];
  let db: ClusterDatabase | null = null;
  try {
    const secrets = await testSecrets();
    const env = {
      ...secrets, DATABASE_URL: server!.url, VERIFIER_STATE_DIR: state, LOG_LEVEL: 'warn',
      VERIFIER_RATE_LIMIT_KEYS: '10000', VERIFIER_RATE_LIMIT_UPLOADS: '10000', VERIFIER_RATE_LIMIT_SESSIONS: '10000',
      VERIFIER_MODEL_DIR: path.join(state, 'no-models'),
    };
    processes.push(await spawnVerifier('api', env));
    processes.push(...(await Promise.all([spawnVerifier('api', env), spawnVerifier('worker', env)])));
    const urls = processes.filter((running) => running.role === 'api').map((running) => running.url!);
    const clients = await prepareClients(urls, secrets.VERIFIER_API_KEY, SESSIONS);
    const sessionIds = clients.map((client) => client.session.sessionId);
    db = await ClusterDatabase.connect(server!.url);

    const started = performance.now();
    await submitAll(clients, () => urls);
    const seconds = (performance.now() - started) / 1000;
    const unacked = clients.filter((client) => client.ackedAt === undefined).length;
    if (unacked > 0) throw new Error(`${unacked} uploads were not acknowledged`);
    if (!(await waitFor(async () => (await db!.decided(sessionIds)) === SESSIONS, 900, 200))) throw new Error('not every session was decided');
    const allDecided = (performance.now() - started) / 1000;

    const latencies = clients.map((client) => client.ackedAt! - client.firstSentAt!);
    const toDecisionMs = (await db.intakeToDecisionSeconds(sessionIds)).map((s) => s * 1000);
    const notes = `${SESSIONS} bundles of ${(clients[0]!.sealed.byteLength / 1e3).toFixed(0)} KB sealed, all in flight at once over 2 api processes + 1 worker process on PostgreSQL 15 (loopback)`;
    return [
      { suite: 'verifier-cluster', name: 'intake throughput, 2 api + 1 worker, PostgreSQL', unit: 'ops/s', value: SESSIONS / seconds, runs: SESSIONS, target: '>= 20 bundles/s', notes },
      { suite: 'verifier-cluster', name: 'intake latency p95 (client view), 2 api + 1 worker', unit: 'ms', value: percentile(latencies, 95), runs: SESSIONS, notes: `p50 ${percentile(latencies, 50).toFixed(0)} ms; ${SESSIONS} requests started together, so this is mostly queueing; ${notes}` },
      { suite: 'verifier-cluster', name: 'intake to decision p50 (receipt to recorded decision)', unit: 'ms', value: percentile(toDecisionMs, 50), runs: SESSIONS, notes: `p95 ${percentile(toDecisionMs, 95).toFixed(0)} ms, max ${Math.max(...toDecisionMs).toFixed(0)} ms; all ${SESSIONS} decided ${allDecided.toFixed(1)} s after the first upload; one worker, batches of 8; face models not loaded (opaque images)` },
      { suite: 'verifier-cluster', name: 'intake to decision p95', unit: 'ms', value: percentile(toDecisionMs, 95), runs: SESSIONS, notes },
    ];
  } finally {
    for (const running of processes) await running.stop('SIGTERM');
    await db?.close();
    await server?.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

/**
 * Load on loopback (issue #14): 200 concurrent submissions against two API processes (role api)
 * and one re-scoring worker process (role worker) on one real PostgreSQL. Mid-run, API instance 0
 * is restarted with SIGTERM (it drains: in-flight uploads are answered, new ones get 503 or a
 * refused connection and the clients retry on the other instance) and the worker is killed with
 * SIGKILL (its running jobs are re-enqueued by the next worker's start). Bounded by count: 200
 * sessions, at most 40 attempts per upload, at most 600 polls for the decisions.
 * Decision webhooks go to a loopback receiver that checks each signature and counts accepted
 * deliveries by event id; it answers 503 to the first attempt of every 10th event so retries run.
 * Result: every bundle acknowledged and stored once, every session decided exactly once, and
 * exactly one event id accepted per decision (a redelivery of an accepted event would be counted).
 * The measured numbers are printed (benchmarks, not assertions).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testSecrets } from '../testing/fixtures.ts';
import { postgresAvailable, startTestPostgres, type TestPostgres } from '../testing/postgres.ts';
import { verifyWebhookSignature } from '../webhooks/signature.ts';
import { ClusterDatabase, percentile, prepareClients, spawnVerifier, startWebhookReceiver, submitAll, waitFor, type VerifierProcess, type WebhookReceiver } from './cluster.ts';

const SESSIONS = 200;

describe('load on loopback: 2 API instances + 1 worker on PostgreSQL', () => {
  const skip = !postgresAvailable();
  if (skip) console.log('[load] skipped: no PostgreSQL (install Debian postgresql or set VERIFIER_TEST_DATABASE_URL)');
  const processes: VerifierProcess[] = [];
  let server: TestPostgres | null = null;
  let db: ClusterDatabase | null = null;
  let receiver: WebhookReceiver | null = null;
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-load-'));
  afterAll(async () => {
    for (const running of processes) await running.stop('SIGKILL');
    await db?.close();
    await receiver?.close();
    await server?.stop();
    rmSync(state, { recursive: true, force: true });
  });

  it.skipIf(skip)('loses no bundle and decides every session exactly once through an API restart and a worker crash', async () => {
    server = await startTestPostgres();
    const secrets = await testSecrets();
    const webhookSecret = Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
    let deliveries = 0;
    receiver = await startWebhookReceiver(
      (body, header) => { verifyWebhookSignature({ body, header, secrets: [webhookSecret] }); },
      { failFirst: () => ++deliveries % 10 === 0 },
    );
    const env = {
      ...secrets, DATABASE_URL: server!.url, VERIFIER_STATE_DIR: state, VERIFIER_JOB_EXPIRE_SECONDS: '30',
      // One loopback address stands for 200 users here: the per-address limits are raised for it.
      VERIFIER_RATE_LIMIT_KEYS: '10000', VERIFIER_RATE_LIMIT_UPLOADS: '10000', VERIFIER_RATE_LIMIT_SESSIONS: '10000',
      // Opaque test images: face models would find nothing to run on; their load is not under test.
      VERIFIER_MODEL_DIR: path.join(state, 'no-models'),
      VERIFIER_WEBHOOK_URLS: receiver.url, VERIFIER_WEBHOOK_SECRETS: webhookSecret, VERIFIER_WEBHOOK_ALLOW_PRIVATE: '127.0.0.1/32',
      VERIFIER_WEBHOOK_RETRY_BASE_SECONDS: '1', VERIFIER_WEBHOOK_TIMEOUT_MS: '2000',
    };
    const track = (running: VerifierProcess): VerifierProcess => { processes.push(running); return running; };
    // The first process migrates; the others start together (advisory lock, queue already created).
    const apis: VerifierProcess[] = [track(await spawnVerifier('api', env))];
    const [second, firstWorker] = await Promise.all([spawnVerifier('api', env), spawnVerifier('worker', env)]);
    apis.push(track(second));
    let worker = track(firstWorker);
    const urls = (): string[] => apis.map((api) => api.url!).filter((url) => url !== null);

    const clients = await prepareClients(urls(), secrets.VERIFIER_API_KEY, SESSIONS);
    const sessionIds = clients.map((client) => client.session.sessionId);
    db = await ClusterDatabase.connect(server!.url);

    // API instance 0 restarts once 50 uploads are acknowledged (SIGTERM: drain, then a new process).
    let apiRestart: Promise<{ exitCode: number | null }> | null = null;
    const restartApi = async (): Promise<{ exitCode: number | null }> => {
      const old = apis[0]!;
      const exitCode = await old.stop('SIGTERM');
      if (exitCode !== 0) console.log(old.lines.slice(-15).join('\n'));
      apis[0] = track(await spawnVerifier('api', env));
      return { exitCode };
    };
    // The worker is killed (SIGKILL) once 40 sessions are decided, and a new one started.
    const workerRestart = (async () => {
      const reached = await waitFor(async () => (await db!.decided(sessionIds)) >= 40, 600, 100);
      await worker.stop('SIGKILL');
      worker = track(await spawnVerifier('worker', env));
      return reached;
    })();

    const started = performance.now();
    await submitAll(clients, urls, { onAck: (acked) => { if (acked === 50) apiRestart = restartApi(); } });
    const submitted = performance.now();
    const allDecided = await waitFor(async () => (await db!.decided(sessionIds)) === SESSIONS, 600, 200);
    const decidedAt = performance.now();
    const apiRestarted = await (apiRestart as Promise<{ exitCode: number | null }> | null);
    const workerKilledMidRun = await workerRestart;

    const unacked = clients.filter((client) => client.ackedAt === undefined).map((client) => client.lastStatus);
    expect(unacked).toEqual([]);
    expect(apiRestarted?.exitCode).toBe(0); // drained within the deadline
    expect(workerKilledMidRun).toBe(true);
    expect(allDecided).toBe(true);
    const counts = await db.counts(sessionIds);
    expect(counts).toEqual({ evidence: SESSIONS, evidenceSessions: SESSIONS, decisions: SESSIONS, decisionSessions: SESSIONS, decidedSessions: SESSIONS });
    // Each worker logs "session decided" only for a decision it recorded: at most one per session.
    const decidedLogs = processes.filter((running) => running.role === 'worker').flatMap((running) => running.lines).filter((line) => line.includes('"msg":"session decided"'));
    const loggedIds = decidedLogs.map((line) => (JSON.parse(line) as { sessionId: string }).sessionId);
    expect(new Set(loggedIds).size).toBe(loggedIds.length);

    // No nonce, client token or bundle key of any session in any process's output.
    const output = processes.flatMap((running) => running.lines).join('\n');
    const leaked = clients.filter((client) => output.includes(client.session.nonce) || output.includes(client.session.clientToken) || output.includes(client.key));
    expect(leaked.length).toBe(0);
    expect(output).not.toContain(secrets.VERIFIER_API_KEY);

    // Webhooks: one accepted event id per decision (the receiver dedupes by id and counts repeats).
    const webhooksDone = await waitFor(async () => receiver!.eventsBySession.size === SESSIONS, 450, 200);
    const webhookDone = performance.now();
    expect(webhooksDone).toBe(true);
    expect([...receiver.eventsBySession.keys()].sort()).toEqual([...sessionIds].sort());
    expect([...receiver.eventsBySession.values()].filter((events) => events.size !== 1)).toEqual([]);
    const redelivered = [...receiver.acceptedByEvent.values()].filter((count) => count > 1).length;
    expect(receiver.acceptedByEvent.size).toBe(SESSIONS);
    expect(receiver.refusedSignatures).toBe(0);
    expect(receiver.failedOnPurpose).toBeGreaterThan(0);

    const jobMs = decidedLogs.map((line) => (JSON.parse(line) as { ms: number }).ms);
    const latencies = clients.map((client) => client.ackedAt! - client.firstSentAt!);
    const toDecision = await db.intakeToDecisionSeconds(sessionIds);
    const retried = clients.filter((client) => (client.attempts ?? 1) > 1).length;
    console.log(`[load] ${SESSIONS} sessions, 2 api + 1 worker, PostgreSQL: submit ${((submitted - started) / 1000).toFixed(1)} s `
      + `(${(SESSIONS / ((submitted - started) / 1000)).toFixed(1)} bundles/s), intake p50 ${percentile(latencies, 50).toFixed(0)} ms p95 ${percentile(latencies, 95).toFixed(0)} ms `
      + `(client view incl. ${retried} retried uploads); all decided after ${((decidedAt - started) / 1000).toFixed(1)} s; `
      + `intake->decision p50 ${percentile(toDecision, 50).toFixed(2)} s p95 ${percentile(toDecision, 95).toFixed(2)} s max ${Math.max(...toDecision).toFixed(2)} s; re-scoring per job p50 ${percentile(jobMs, 50)} ms; `
      + `webhooks: ${receiver.acceptedByEvent.size} events accepted once each (${redelivered} redelivered after acceptance, ${receiver.failedOnPurpose} first attempts refused on purpose and retried), all accepted ${((webhookDone - started) / 1000).toFixed(1)} s after the first upload`);
  }, 300_000);
});

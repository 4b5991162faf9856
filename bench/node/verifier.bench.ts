/**
 * Reference verifier: evidence intake throughput and latency over loopback HTTP (decrypt, verify,
 * envelope-encrypt, consume nonce, store and enqueue in one transaction), on embedded PGlite and,
 * where Debian's PostgreSQL is installed, on a throwaway PostgreSQL; and server-side re-scoring time
 * per bundle (real face models on onnxruntime-node, liveness transcript replay, MRZ).
 * Bundles are built and sealed before timing; 8 uploads in flight at once from the same process.
 */
import pino from 'pino';
import { createSessionSigner } from '@ekyc/core';
import { hashDocumentNumber } from '../../packages/verifier/src/crypto/pepper.ts';
import { ServerFaceEngine } from '../../packages/verifier/src/face/engine.ts';
import { rescoreBundle } from '../../packages/verifier/src/rescore/rescore.ts';
import { startVerifier, type Verifier } from '../../packages/verifier/src/server.ts';
import { DEFAULT_SESSION_CONFIG } from '../../packages/verifier/src/session-config.ts';
import { bindKey, createSession } from '../../packages/verifier/src/testing/client.ts';
import { buildSealedBundle, opaqueArtifact, testConfig } from '../../packages/verifier/src/testing/fixtures.ts';
import { postgresAvailable, startTestPostgres } from '../../packages/verifier/src/testing/postgres.ts';
import { realSessionContent } from '../../packages/verifier/src/testing/session-bundle.ts';
import { decodeContainer, encodeContainer, EventChain, buildEvidence, type EvidenceBundle } from '@ekyc/core';
import { median, type BenchResult } from '../types.ts';

const BUNDLES = 200;
const IN_FLIGHT = 8;
const SMALL = [30_000, 12_000, 8_000, 8_000];
const LARGE = [600_000, 200_000, 150_000, 150_000, 150_000, 150_000, 150_000, 150_000];

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function intakeRun(verifier: Verifier, apiKey: string, sizes: readonly number[], count: number) {
  const app = verifier.app!;
  const url = verifier.url!;
  const prepared: { sessionId: string; token: string; sealed: Uint8Array; key: string }[] = [];
  for (let index = 0; index < count; index += 1) {
    const session = await createSession(app, apiKey);
    const signer = await createSessionSigner();
    await bindKey(app, session, signer);
    const at = new Date(Date.now() + 100).toISOString();
    const artifacts = sizes.map((bytes, i) => opaqueArtifact(`a${i}`, i === 0 ? 'document_crop' : i === 1 ? 'portrait' : 'liveness_keyframe', bytes, at, index * 31 + i + 1));
    const { sealed, key } = await buildSealedBundle({ session, signer, artifacts });
    prepared.push({ sessionId: session.sessionId, token: session.clientToken, sealed, key });
  }
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
    while (next < prepared.length) {
      const item = prepared[next++]!;
      const t0 = performance.now();
      const response = await fetch(`${url}/sessions/${item.sessionId}/evidence`, {
        method: 'POST',
        headers: { authorization: `Bearer ${item.token}`, 'content-type': 'application/jose', 'idempotency-key': item.key },
        body: new Uint8Array(item.sealed),
      });
      const body = await response.text();
      if (response.status !== 201) throw new Error(`intake answered ${response.status} ${body}`);
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { throughput: count / seconds, p50: median(latencies), p95: percentile(latencies, 95), sealedBytes: prepared[0]!.sealed.byteLength };
}

async function intakeSuite(kind: 'pglite' | 'postgres'): Promise<BenchResult[]> {
  const pgServer = kind === 'postgres' ? await startTestPostgres() : null;
  const config = await testConfig(pgServer?.url ?? 'memory:', { HOST: '127.0.0.1', VERIFIER_ROLE: 'api' });
  const verifier = await startVerifier(config, { logger: pino({ level: 'silent' }), faceModels: false });
  try {
    const results: BenchResult[] = [];
    for (const [label, sizes, count] of [['small', SMALL, BUNDLES], ['1.7 MB images', LARGE, 40]] as const) {
      const run = await intakeRun(verifier, config.apiKey, sizes, count);
      const notes = `${count} bundles of ${(run.sealedBytes / 1e6).toFixed(2)} MB sealed, ${IN_FLIGHT} in flight, API only (jobs queued, not run)`;
      results.push(
        { suite: 'verifier', name: `intake throughput, ${kind}, ${label}`, unit: 'ops/s', value: run.throughput, runs: count, target: '>= 20 bundles/s', notes },
        { suite: 'verifier', name: `intake latency p95, ${kind}, ${label}`, unit: 'ms', value: run.p95, runs: count, target: '<= 500 ms', notes: `p50 ${run.p50.toFixed(0)} ms; ${notes}` },
      );
    }
    return results;
  } finally {
    await verifier.close();
    await pgServer?.stop();
  }
}

async function rescoreSuite(): Promise<BenchResult[]> {
  const engine = await ServerFaceEngine.create();
  const times: number[] = [];
  const parts: Record<string, number[]> = {};
  try {
    for (let run = 0; run < 5; run += 1) {
      const startedAt = new Date(Date.now() - 10_000);
      const nonce = `bench-nonce-${run}-${'x'.repeat(32)}`;
      const signer = await createSessionSigner();
      const content = await realSessionContent({ nonce, startedAt, engine });
      let tick = 0;
      const events = new EventChain(`ses_bench_${run}`, nonce, () => new Date(startedAt.getTime() + 100 * ++tick));
      await events.append('session.started', {});
      const bundle: EvidenceBundle = await buildEvidence({
        sdkVersion: '0.1.0', session: { id: `ses_bench_${run}`, nonce, startedAt: startedAt.toISOString(), completedAt: new Date(startedAt.getTime() + 3000).toISOString() },
        consent: { textId: 'c', textVersion: '1', textSha256: 'a'.repeat(64), locale: 'en', scopes: ['identity_verification'], grantedAt: new Date(startedAt.getTime() + 50).toISOString() },
        environment: { userAgent: 'bench', language: 'en', platform: 'Linux', runtime: { requested: 'auto', chosen: 'wasm', reason: 'bench', wasmThreads: 1 }, camera: null, capabilities: { webgpu: false, wasmSimd: true, wasmThreads: false, crossOriginIsolated: false, offscreenCanvas: true, hardwareConcurrency: 2, deviceMemoryGb: null } },
        ...content, models: [], timings: [], events,
      }, signer);
      const stored = decodeContainer(encodeContainer(bundle));
      const t0 = performance.now();
      const result = await rescoreBundle(stored, { config: DEFAULT_SESSION_CONFIG, face: engine, referenceDate: new Date() });
      hashDocumentNumber('L898902C3', { id: 'p', secret: new Uint8Array(32) }, 'UTO');
      times.push(performance.now() - t0);
      for (const [name, ms] of Object.entries(result.timings)) (parts[name] ??= []).push(ms);
    }
  } finally {
    await engine.close();
  }
  const breakdown = Object.entries(parts).map(([name, values]) => `${name} ${median(values).toFixed(0)} ms`).join(', ');
  return [{ suite: 'verifier', name: 're-scoring per bundle (face match + continuity over 2 keyframes + transcript replay + MRZ)', unit: 'ms', value: median(times), runs: times.length, notes: `${breakdown}; 3 JPEGs decoded (800x564 selfie), onnxruntime-node 1 thread` }];
}

export default async function verifierBench(): Promise<BenchResult[]> {
  const results = [...(await intakeSuite('pglite'))];
  if (postgresAvailable()) results.push(...(await intakeSuite('postgres')));
  results.push(...(await rescoreSuite()));
  return results;
}

/**
 * Reference verifier: evidence intake throughput and latency over loopback HTTP (decrypt, verify,
 * envelope-encrypt, consume nonce, store and enqueue in one transaction), on embedded PGlite and,
 * where Debian's PostgreSQL is installed, on a throwaway PostgreSQL; and server-side re-scoring time
 * per bundle (real face models on onnxruntime-node, liveness transcript replay, MRZ).
 * The verifier runs as its own process (the bin, API role); bundles are built and sealed before
 * timing; 8 uploads in flight at once from the bench process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSessionSigner } from '@ekyc/core';
import { hashDocumentNumber } from '../../packages/verifier/src/crypto/pepper.ts';
import { ServerFaceEngine } from '../../packages/verifier/src/face/engine.ts';
import { rescoreBundle } from '../../packages/verifier/src/rescore/rescore.ts';
import { DEFAULT_SESSION_CONFIG } from '../../packages/verifier/src/session-config.ts';
import { buildSealedBundle, opaqueArtifact, testSecrets, type IssuedSession } from '../../packages/verifier/src/testing/fixtures.ts';
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

interface Server {
  url: string;
  stop(): Promise<void>;
}

/** The verifier as its own process (the `ekyc-verifier` bin), as deployed: its own event loop and core. */
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [fileURLToPath(new URL('../../packages/verifier/bin/ekyc-verifier.js', import.meta.url))], {
    env: { ...process.env, ...env, PORT: '0', LOG_LEVEL: 'warn', VERIFIER_ROLE: 'api' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`verifier exited (${code}): ${output.slice(-1000)}`)));
  });
  return {
    url,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }),
  };
}

async function intakeRun(url: string, apiKey: string, sizes: readonly number[], count: number) {
  const prepared: { sessionId: string; token: string; sealed: Uint8Array; key: string }[] = [];
  for (let index = 0; index < count; index += 1) {
    const session = (await (await fetch(`${url}/sessions`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: '{}' })).json()) as IssuedSession;
    const signer = await createSessionSigner();
    const bound = await fetch(`${url}/sessions/${session.sessionId}/key`, { method: 'POST', headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: signer.publicKeyJwk }) });
    if (bound.status !== 201) throw new Error(`key binding answered ${bound.status}`);
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
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-bench-verifier-'));
  const secrets = await testSecrets();
  const server = await startServer({ ...secrets, DATABASE_URL: pgServer?.url ?? path.join(state, 'pglite'), VERIFIER_STATE_DIR: state });
  try {
    const results: BenchResult[] = [];
    for (const [label, sizes, count] of [['small', SMALL, BUNDLES], ['1.7 MB images', LARGE, 40]] as const) {
      const run = await intakeRun(server.url, secrets.VERIFIER_API_KEY, sizes, count);
      const notes = `${count} bundles of ${(run.sealedBytes / 1e6).toFixed(2)} MB sealed, ${IN_FLIGHT} in flight; the verifier bin as its own process, API only (jobs queued, not run)`;
      results.push(
        { suite: 'verifier', name: `intake throughput, ${kind}, ${label}`, unit: 'ops/s', value: run.throughput, runs: count, target: '>= 20 bundles/s', notes },
        { suite: 'verifier', name: `intake latency p95, ${kind}, ${label}`, unit: 'ms', value: run.p95, runs: count, target: '<= 500 ms', notes: `p50 ${run.p50.toFixed(0)} ms; ${notes}` },
      );
    }
    return results;
  } finally {
    await server.stop();
    await pgServer?.stop();
    rmSync(state, { recursive: true, force: true });
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

/**
 * Evidence bundle cost on a realistic session: a 600 KB document crop, a 200 KB portrait,
 * six 150 KB liveness keyframes (about 1.7 MB of images) and 200 chained events.
 */
import {
  MemoryNonceStore, buildEvidence, createSessionSigner, generateNonce, sealEvidence, verifyEvidence,
} from '@ekyc/core';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import { generateKeyPair } from 'jose';
import { median, type BenchResult } from '../types.ts';


const RUNS = 7;
const ARTIFACT_BYTES = [600_000, 200_000, 150_000, 150_000, 150_000, 150_000, 150_000, 150_000];

export default async function evidenceBench(): Promise<BenchResult[]> {
  const keys = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
  const build: number[] = [];
  const seal: number[] = [];
  const verify: number[] = [];
  let sealedBytes = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const start = new Date();
    const store = new MemoryNonceStore({ now: () => start });
    const { nonce } = await store.issue(`bench-${run}`);
    const input = await createSampleEvidenceInput({ sessionId: `bench-${run}`, nonce, startedAt: start, artifactBytes: ARTIFACT_BYTES, eventCount: 200, seed: run + 1 });
    const t0 = performance.now();
    const bundle = await buildEvidence(input, await createSessionSigner());
    const t1 = performance.now();
    const sealed = await sealEvidence(bundle, keys.publicKey);
    const t2 = performance.now();
    await verifyEvidence(sealed, { decryptionKey: keys.privateKey, nonceStore: store, now: new Date(start.getTime() + 600_000) });
    const t3 = performance.now();
    build.push(t1 - t0);
    seal.push(t2 - t1);
    verify.push(t3 - t2);
    sealedBytes = sealed.byteLength;
  }
  const refuse = await refusalOfMadeUpNonce(keys);
  const notes = `${ARTIFACT_BYTES.length} artifacts, ${(ARTIFACT_BYTES.reduce((a, b) => a + b, 0) / 1e6).toFixed(2)} MB images, 200 events`;
  return [
    { suite: 'evidence', name: 'build + sign (hash artifacts, chain, ES256)', unit: 'ms', value: median(build), runs: RUNS, notes },
    { suite: 'evidence', name: 'seal (EKB1 container + JWE ECDH-ES+A256KW/A256GCM)', unit: 'ms', value: median(seal), runs: RUNS, notes },
    { suite: 'evidence', name: 'verify (decrypt, schema, signature, hashes, chain, timestamps, nonce)', unit: 'ms', value: median(verify), runs: RUNS, notes },
    { suite: 'evidence', name: 'sealed size', unit: 'MB', value: sealedBytes / 1e6, runs: RUNS, notes: 'base64url JWE: about 4/3 of the container' },
    {
      suite: 'evidence', name: 'refuse a made-up nonce (26 MB sealed bundle)', unit: 'ms', value: refuse.ms, runs: RUNS,
      notes: `${refuse.sealedMB.toFixed(1)} MB sealed; nonce looked up from the JWE header before any decryption`,
    },
  ];
}

/** What an attacker's upload with a nonce the verifier never issued costs the verifier. */
async function refusalOfMadeUpNonce(keys: { publicKey: CryptoKey; privateKey: CryptoKey }): Promise<{ ms: number; sealedMB: number }> {
  const input = await createSampleEvidenceInput({ sessionId: 'bench-made-up', nonce: generateNonce(), startedAt: new Date(), artifactBytes: [6_500_000, 6_500_000, 6_500_000] });
  const sealed = await sealEvidence(await buildEvidence(input, await createSessionSigner()), keys.publicKey);
  const store = new MemoryNonceStore();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run += 1) {
    const t0 = performance.now();
    const refused = await verifyEvidence(sealed, { decryptionKey: keys.privateKey, nonceStore: store }).then(() => false, () => true);
    times.push(performance.now() - t0);
    if (!refused) throw new Error('a made-up nonce was accepted');
  }
  return { ms: median(times), sealedMB: sealed.byteLength / 1e6 };
}

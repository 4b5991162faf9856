/**
 * Test fixtures: a verifier configuration with fresh secrets, and a client that does what the
 * browser SDK does (create session, bind its key, build, sign and seal a bundle) with core's
 * evidence functions in Node.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  EventChain, buildEvidence, createSessionSigner, sealEvidence, sealedEvidenceId,
  type ArtifactInput, type EvidenceCheck, type EvidenceLiveness, type SessionSigner,
} from '@ekyc/core';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { loadConfig, type VerifierConfig } from '../config.ts';
import type { SessionConfig } from '../session-config.ts';

const secret = (bytes = 32): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');

export interface TestSecrets extends Record<string, string> {
  VERIFIER_PRIVATE_JWK: string;
  VERIFIER_API_KEY: string;
  VERIFIER_TOKEN_SECRET: string;
  VERIFIER_KEK: string;
  VERIFIER_PEPPER: string;
}

export async function testSecrets(): Promise<TestSecrets> {
  const { privateKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  return {
    VERIFIER_PRIVATE_JWK: JSON.stringify({ ...(await exportJWK(privateKey)), kid: 'test-key' }),
    VERIFIER_API_KEY: `test_${secret(16)}`,
    VERIFIER_TOKEN_SECRET: secret(32),
    VERIFIER_KEK: secret(32),
    VERIFIER_PEPPER: secret(32),
  };
}

export async function testConfig(databaseUrl: string, env: Record<string, string> = {}): Promise<VerifierConfig> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-verifier-test-'));
  return loadConfig({ ...(await testSecrets()), DATABASE_URL: databaseUrl, VERIFIER_STATE_DIR: stateDir, PORT: '0', ...env }, stateDir);
}

export interface IssuedSession {
  sessionId: string;
  nonce: string;
  verifierKey: JWK;
  clientToken: string;
  expiresAt: string;
  config: SessionConfig;
}

export interface BundleOptions {
  session: IssuedSession;
  signer: SessionSigner;
  startedAt?: Date;
  artifacts?: ArtifactInput[];
  checks?: EvidenceCheck[];
  liveness?: EvidenceLiveness | null;
  /** Overrides the manifest's session id or nonce (to build mismatched bundles). */
  sessionIdOverride?: string;
  nonceOverride?: string;
}

/** Seeded bytes labelled as a JPEG: real enough for transport, not decodable (face checks then report missing). */
export function opaqueArtifact(id: string, kind: ArtifactInput['kind'], bytes: number, capturedAt: string, seed = 1): ArtifactInput {
  const data = new Uint8Array(bytes);
  let state = seed * 2654435761 >>> 0 || 1;
  for (let index = 0; index < bytes; index += 1) {
    state ^= state << 13; state ^= state >>> 17; state ^= state << 5;
    data[index] = state & 0xff;
  }
  return { id, kind, mediaType: 'image/jpeg', data, width: 640, height: 400, capturedAt };
}

export async function buildSealedBundle(options: BundleOptions): Promise<{ sealed: Uint8Array; key: string }> {
  const startedAt = options.startedAt ?? new Date();
  const sessionId = options.sessionIdOverride ?? options.session.sessionId;
  const nonce = options.nonceOverride ?? options.session.nonce;
  let tick = 0;
  const at = (): Date => new Date(startedAt.getTime() + 200 * ++tick);
  const iso = (): string => at().toISOString();
  const events = new EventChain(sessionId, nonce, at);
  await events.append('session.started', { backend: 'wasm' });
  const consentAt = iso();
  await events.append('consent.granted', { textVersion: '2026-01' });
  const artifacts = options.artifacts ?? [opaqueArtifact('document-0', 'document_crop', 20_000, iso()), opaqueArtifact('portrait-0', 'portrait', 8_000, iso(), 2)];
  for (const artifact of artifacts) await events.append('artifact.captured', { artifactId: artifact.id, kind: artifact.kind });
  const completedAt = iso();
  const bundle = await buildEvidence({
    sdkVersion: '0.1.0',
    session: { id: sessionId, nonce, startedAt: startedAt.toISOString(), completedAt },
    consent: { textId: 'kyc-consent', textVersion: '2026-01', textSha256: 'a'.repeat(64), locale: 'en-GB', scopes: ['identity_verification'], grantedAt: consentAt },
    environment: {
      userAgent: 'node-test', language: 'en-GB', platform: 'Linux',
      runtime: { requested: 'auto', chosen: 'wasm', reason: 'test', wasmThreads: 1 },
      camera: null,
      capabilities: { webgpu: false, wasmSimd: true, wasmThreads: false, crossOriginIsolated: false, offscreenCanvas: true, hardwareConcurrency: 2, deviceMemoryGb: null },
    },
    artifacts,
    checks: options.checks ?? [],
    liveness: options.liveness ?? null,
    models: [{ id: 'fr-feature', sha256: 'b'.repeat(64) }],
    timings: [{ phase: 'total', ms: 1000 }],
    events,
  }, options.signer);
  const sealed = await sealEvidence(bundle, options.session.verifierKey);
  return { sealed, key: await sealedEvidenceId(sealed) };
}

export { createSessionSigner };

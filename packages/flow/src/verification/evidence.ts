/**
 * The `evidence` step: everything the run captured and measured, as core's evidence bundle (consent,
 * captures, checks, liveness with its transcript, the hash-chained event log), signed with the
 * session key and sealed to the verifier's key.
 */
import {
  buildEvidence, sealEvidence, sealedEvidenceId,
  type ArtifactInput, type EvidenceBundle, type EvidenceCheck, type EvidenceConsent, type EvidenceEnvironment,
  type EvidenceLiveness, type EventChain, type SessionSigner,
} from '@ekyc/core';
import type { RuntimeReport } from '@ekyc/workers';
import type { FlowSession } from './types.ts';

export interface EvidenceParts {
  sdkVersion: string;
  session: FlowSession;
  startedAt: Date;
  completedAt: Date;
  consent: EvidenceConsent;
  artifacts: readonly ArtifactInput[];
  checks: readonly EvidenceCheck[];
  liveness: EvidenceLiveness | null;
  runtime: RuntimeReport | null;
  camera: EvidenceEnvironment['camera'];
  events: EventChain;
}

export interface SealedResult {
  bundle: EvidenceBundle;
  sealed: Uint8Array | null;
  evidenceId: string | null;
}

/** What the browser says about itself, trimmed to the schema's limits; no identifiers beyond the user agent. */
export function environmentOf(runtime: RuntimeReport | null, camera: EvidenceEnvironment['camera'], requested: 'auto' | 'webgpu' | 'wasm'): EvidenceEnvironment {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number; userAgentData?: { platform?: string } }) | undefined;
  const caps = runtime?.capabilities;
  return {
    userAgent: (nav?.userAgent ?? 'unknown').slice(0, 512),
    language: (nav?.language ?? 'und').slice(0, 35),
    ...(nav?.userAgentData?.platform ? { platform: nav.userAgentData.platform.slice(0, 512) } : {}),
    runtime: {
      requested: runtime?.requested ?? requested,
      chosen: runtime?.backend ?? 'wasm',
      reason: (runtime?.reason ?? 'no model ran on this device').slice(0, 512),
      wasmThreads: Math.max(1, Math.min(64, runtime?.wasmThreads ?? 1)),
    },
    camera,
    capabilities: {
      webgpu: caps?.webgpu.available ?? false,
      wasmSimd: caps?.simd ?? false,
      wasmThreads: caps?.threads ?? false,
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      offscreenCanvas: typeof OffscreenCanvas !== 'undefined',
      hardwareConcurrency: Math.max(0, Math.floor(nav?.hardwareConcurrency ?? 0)),
      deviceMemoryGb: typeof nav?.deviceMemory === 'number' ? nav.deviceMemory : null,
    },
  };
}

/** Builds and signs the bundle, and seals it when the session has a verifier key. */
export async function sealRun(parts: EvidenceParts, signer: SessionSigner): Promise<SealedResult> {
  const bundle = await buildEvidence({
    sdkVersion: parts.sdkVersion,
    session: { id: parts.session.sessionId, nonce: parts.session.nonce, startedAt: parts.startedAt.toISOString(), completedAt: parts.completedAt.toISOString() },
    consent: parts.consent,
    environment: environmentOf(parts.runtime, parts.camera, parts.runtime?.requested ?? 'auto'),
    artifacts: parts.artifacts,
    checks: parts.checks,
    liveness: parts.liveness,
    models: [],
    timings: [],
    events: parts.events,
  }, signer);
  if (parts.session.verifierKey === null) return { bundle, sealed: null, evidenceId: null };
  const sealed = await sealEvidence(bundle, parts.session.verifierKey as Parameters<typeof sealEvidence>[1]);
  return { bundle, sealed, evidenceId: await sealedEvidenceId(sealed) };
}

import { EkycError } from '../errors.ts';
import { describeArtifact, type ArtifactInput } from './artifacts.ts';
import { CHAIN_ALGORITHM, verifyChain, type EventChain } from './chain.ts';
import {
  EVIDENCE_FORMAT, EVIDENCE_SCHEMA_VERSION, manifestSchema,
  type EvidenceBundle, type EvidenceCheck, type EvidenceConsent, type EvidenceEnvironment,
  type EvidenceLiveness, type EvidenceManifest, type EvidenceModelRef, type EvidenceSession, type EvidenceTiming,
} from './schema.ts';
import type { SessionSigner } from './signer.ts';
import { parseOrThrow } from './validate.ts';

export interface EvidenceInput {
  sdkVersion: string;
  session: EvidenceSession;
  consent: EvidenceConsent;
  environment: EvidenceEnvironment;
  artifacts: readonly ArtifactInput[];
  checks: readonly EvidenceCheck[];
  liveness: EvidenceLiveness | null;
  models: readonly EvidenceModelRef[];
  timings: readonly EvidenceTiming[];
  /** The session's event log; must have been created for the same session id and nonce. */
  events: EventChain;
}

/** Hashes artifacts, closes the event chain, validates the manifest and signs it with the session key. */
export async function buildEvidence(input: EvidenceInput, signer: SessionSigner): Promise<EvidenceBundle> {
  const artifacts = new Map<string, Uint8Array>();
  for (const artifact of input.artifacts) {
    if (artifacts.has(artifact.id)) throw new EkycError('evidence_schema_invalid', 'Two artifacts share an id.', { details: { artifactId: artifact.id } });
    artifacts.set(artifact.id, artifact.data);
  }
  const chain = await input.events.snapshot();
  const draft: EvidenceManifest = {
    format: EVIDENCE_FORMAT,
    schemaVersion: EVIDENCE_SCHEMA_VERSION,
    sdkVersion: input.sdkVersion,
    session: input.session,
    consent: input.consent,
    environment: input.environment,
    artifacts: await Promise.all(input.artifacts.map(describeArtifact)),
    checks: [...input.checks],
    liveness: input.liveness,
    models: [...input.models],
    timings: [...input.timings],
    events: chain.events,
    chain: { algorithm: CHAIN_ALGORITHM, length: chain.length, head: chain.head },
    signer: { alg: 'ES256', publicKeyJwk: signer.publicKeyJwk },
  };
  const manifest = parseOrThrow(manifestSchema, draft, 'Evidence manifest');
  // Catches an event chain started for another session id or nonce before anything is signed.
  await verifyChain(manifest);
  const signature = await signer.signCanonical(manifest);
  return { manifest, signature, artifacts };
}

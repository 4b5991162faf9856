import { EkycError } from '../errors.ts';
import { sha256HexOf } from './canonical.ts';
import type { EvidenceArtifact, EvidenceArtifactKind, EvidenceArtifactMediaType, EvidenceManifest } from './schema.ts';

export interface ArtifactInput {
  id: string;
  kind: EvidenceArtifactKind;
  mediaType: EvidenceArtifactMediaType;
  data: Uint8Array;
  width?: number | null;
  height?: number | null;
  capturedAt: string;
}

/** Manifest entry for an artifact: its size and SHA-256 over the exact bytes carried. */
export async function describeArtifact(input: ArtifactInput): Promise<EvidenceArtifact> {
  return {
    id: input.id,
    kind: input.kind,
    mediaType: input.mediaType,
    bytes: input.data.byteLength,
    sha256: await sha256HexOf(new Uint8Array(input.data)),
    width: input.width ?? null,
    height: input.height ?? null,
    capturedAt: input.capturedAt,
  };
}

/** Checks that every listed artifact is present with the recorded size and hash, and nothing else is. */
export async function verifyArtifacts(manifest: Pick<EvidenceManifest, 'artifacts'>, artifacts: ReadonlyMap<string, Uint8Array>): Promise<void> {
  const listed = new Set<string>();
  for (const entry of manifest.artifacts) {
    if (listed.has(entry.id)) {
      throw new EkycError('evidence_schema_invalid', 'Artifact id appears twice in the manifest.', { details: { artifactId: entry.id } });
    }
    listed.add(entry.id);
    const data = artifacts.get(entry.id);
    if (data === undefined) {
      throw new EkycError('evidence_hash_mismatch', 'A listed artifact is missing.', { details: { artifactId: entry.id } });
    }
    if (data.byteLength !== entry.bytes) {
      throw new EkycError('evidence_hash_mismatch', 'Artifact size differs from the manifest.', {
        details: { artifactId: entry.id, expected: entry.bytes, actual: data.byteLength },
      });
    }
    const actual = await sha256HexOf(new Uint8Array(data));
    if (actual !== entry.sha256) {
      throw new EkycError('evidence_hash_mismatch', 'Artifact SHA-256 differs from the manifest.', {
        details: { artifactId: entry.id, expected: entry.sha256, actual },
      });
    }
  }
  for (const id of artifacts.keys()) {
    if (!listed.has(id)) throw new EkycError('evidence_hash_mismatch', 'An artifact is not listed in the manifest.', { details: { artifactId: id } });
  }
}

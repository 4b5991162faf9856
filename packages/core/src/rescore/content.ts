/**
 * What re-scoring reads from a bundle's JSON artifacts (`other`, `application/json`; conventions of
 * docs/verifier.md): the device's document reading (`ekyc.document.read`), the liveness transcript
 * (the manifest's own first, else an `ekyc-liveness-transcript` artifact) and the document geometry
 * (docs/auditor.md). Each is validated; an artifact that does not parse counts as absent.
 */
import { z } from 'zod';
import { parseDocumentGeometry, type DocumentGeometry } from '../evidence/document-geometry.ts';
import type { EvidenceBundle } from '../evidence/schema.ts';

export const DOCUMENT_READ_TYPE = 'ekyc.document.read';
export const LIVENESS_TRANSCRIPT_FORMAT = 'ekyc-liveness-transcript';

const vizSchema = z.strictObject({
  surname: z.string().max(200).optional(),
  givenNames: z.string().max(200).optional(),
  documentNumber: z.string().max(64).optional(),
  birthDate: z.string().max(10).optional(),
  expiryDate: z.string().max(10).optional(),
  /** `M`, `F` or `X`. */
  sex: z.string().max(1).optional(),
  /** A 1-3 letter code as printed (a country's name is not compared). */
  nationality: z.string().max(64).optional(),
});

export const documentReadSchema = z.strictObject({
  type: z.literal(DOCUMENT_READ_TYPE),
  mrzLines: z.array(z.string().max(64)).min(1).max(3),
  viz: vizSchema.optional(),
});
export type DocumentReadArtifact = z.infer<typeof documentReadSchema>;

/** The bundle as re-scoring needs it: the manifest and the artifact bytes by id. */
export type BundleLike = Pick<EvidenceBundle, 'manifest' | 'artifacts'>;

export interface BundleContent {
  documentRead: DocumentReadArtifact | null;
  /** The first document geometry; `geometries` holds each one (a two-sided document has one per side). */
  geometry: DocumentGeometry | null;
  geometries: DocumentGeometry[];
  /** The raw transcript (judgeTranscript parses it), undefined when the bundle has none. */
  transcript: unknown;
  transcriptSource: 'manifest' | 'artifact' | null;
  transcriptArtifactId: string | null;
}

/** The first valid one of each kind, in manifest order. */
export function readBundleContent(bundle: BundleLike): BundleContent {
  const content: BundleContent = { documentRead: null, geometry: null, geometries: [], transcript: undefined, transcriptSource: null, transcriptArtifactId: null };
  // The manifest's own transcript (signed with it) wins over a JSON artifact.
  if (bundle.manifest.liveness?.transcript !== undefined) {
    content.transcript = bundle.manifest.liveness.transcript;
    content.transcriptSource = 'manifest';
  }
  for (const artifact of bundle.manifest.artifacts) {
    if (artifact.kind !== 'other' || artifact.mediaType !== 'application/json') continue;
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    let value: unknown;
    try {
      value = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      continue; // not JSON: nothing to read
    }
    if (content.documentRead === null) {
      const read = documentReadSchema.safeParse(value);
      if (read.success) content.documentRead = read.data;
    }
    const geometry = parseDocumentGeometry(value);
    if (geometry !== null) content.geometries.push(geometry);
    content.geometry ??= geometry;
    if (content.transcript === undefined && (value as { format?: unknown } | null)?.format === LIVENESS_TRANSCRIPT_FORMAT) {
      content.transcript = value;
      content.transcriptSource = 'artifact';
      content.transcriptArtifactId = artifact.id;
    }
  }
  return content;
}

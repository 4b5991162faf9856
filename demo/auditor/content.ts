/**
 * What the auditor reads from a bundle's JSON artifacts (conventions of docs/verifier.md, plus the
 * document geometry of docs/auditor.md): the device's document reading, the liveness transcript
 * and where the document and its MRZ lie on the document image. Each is validated; an artifact that
 * does not parse is treated as absent, as the verifier does.
 */
import { liveness, type EvidenceArtifact, type EvidenceBundle } from '@ekyc/core';
import { z } from 'zod';

export const DOCUMENT_READ_TYPE = 'ekyc.document.read';
export const DOCUMENT_GEOMETRY_TYPE = 'ekyc.document.geometry';

const documentReadSchema = z.object({
  type: z.literal(DOCUMENT_READ_TYPE),
  mrzLines: z.array(z.string().max(64)).min(1).max(3),
  viz: z.record(z.string(), z.string().max(200)).optional(),
}).strict();
export type DocumentRead = z.infer<typeof documentReadSchema>;

const point = z.tuple([z.number(), z.number()]);
const documentGeometrySchema = z.object({
  type: z.literal(DOCUMENT_GEOMETRY_TYPE),
  version: z.literal(1),
  /** The document image these coordinates are in (pixels). */
  artifactId: z.string().max(128),
  /** The document's corners, clockwise from top left. */
  quad: z.tuple([point, point, point, point]),
  /** The MRZ's bounding box; its lines share the height, characters the width (OCR-B is fixed pitch). */
  mrzZone: z.object({ x: z.number(), y: z.number(), width: z.number().positive(), height: z.number().positive() }).strict().optional(),
}).strict();
export type DocumentGeometry = z.infer<typeof documentGeometrySchema>;

export interface BundleContent {
  documentRead: DocumentRead | null;
  geometry: DocumentGeometry | null;
  transcript: unknown;
  transcriptArtifactId: string | null;
}

function jsonArtifacts(bundle: EvidenceBundle): { artifact: EvidenceArtifact; value: unknown }[] {
  const found: { artifact: EvidenceArtifact; value: unknown }[] = [];
  for (const artifact of bundle.manifest.artifacts) {
    if (artifact.kind !== 'other' || artifact.mediaType !== 'application/json') continue;
    const bytes = bundle.artifacts.get(artifact.id);
    if (bytes === undefined) continue;
    try {
      found.push({ artifact, value: JSON.parse(new TextDecoder().decode(bytes)) });
    } catch {
      // not JSON: nothing the auditor can read
    }
  }
  return found;
}

export function readContent(bundle: EvidenceBundle): BundleContent {
  const content: BundleContent = { documentRead: null, geometry: null, transcript: undefined, transcriptArtifactId: null };
  // The manifest's own transcript (signed with it) wins over a JSON artifact.
  if (bundle.manifest.liveness?.transcript !== undefined) content.transcript = bundle.manifest.liveness.transcript;
  for (const { artifact, value } of jsonArtifacts(bundle)) {
    const read = documentReadSchema.safeParse(value);
    if (read.success && content.documentRead === null) content.documentRead = read.data;
    const geometry = documentGeometrySchema.safeParse(value);
    if (geometry.success && content.geometry === null) content.geometry = geometry.data;
    if ((value as { format?: unknown } | null)?.format === 'ekyc-liveness-transcript' && content.transcript === undefined) {
      content.transcript = value;
      content.transcriptArtifactId = artifact.id;
    }
  }
  return content;
}

/** The transcript parsed with core's schema, or the error code when it does not parse. */
export function parsedTranscript(content: BundleContent): { transcript: liveness.LivenessTranscript | null; code: string | null } {
  if (content.transcript === undefined) return { transcript: null, code: null };
  try {
    return { transcript: liveness.parseLivenessTranscript(content.transcript), code: null };
  } catch (error) {
    return { transcript: null, code: (error as { code?: string }).code ?? 'liveness_transcript_invalid' };
  }
}


/**
 * What the auditor reads from a bundle's JSON artifacts: core's `rescore.readBundleContent` (the
 * verifier reads them with the same function): the device's document reading, the liveness
 * transcript and the document geometry (docs/auditor.md). An artifact that does not parse is absent.
 */
import { liveness, rescore, type EvidenceBundle } from '@ekyc/core';

export type BundleContent = rescore.BundleContent;

export function readContent(bundle: EvidenceBundle): BundleContent {
  return rescore.readBundleContent(bundle);
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

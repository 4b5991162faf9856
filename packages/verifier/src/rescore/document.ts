/**
 * The device's document reading (an `other` artifact, `application/json`, `{ "type":
 * "ekyc.document.read", "mrzLines": [...], "viz"?: {...} }`) and the document checks on it: both
 * are core's (`rescore.readBundleContent`, `rescore.checkDocumentRead`), shared with the auditor page.
 */
import { rescore, type EvidenceBundle } from '@ekyc/core';

export const DOCUMENT_READ_TYPE = rescore.DOCUMENT_READ_TYPE;
export type DocumentRead = rescore.DocumentReadArtifact;
export type DocumentFindings = rescore.DocumentFindings;

export function findDocumentRead(bundle: EvidenceBundle): DocumentRead | null {
  return rescore.readBundleContent(bundle).documentRead;
}

/**
 * Document steps: capture one side (camera with auto-capture, or an uploaded file), read it with the
 * document worker, decide whether the other side is needed (core `document` sides logic), and build
 * what review shows. Pure decisions are separate functions, tested without a worker.
 */
import {
  DOCUMENT_GEOMETRY_TYPE, createMrz, document as coreDocument, type DocumentGeometryV2, type EkycErrorCode, type EvidenceCheck, type MrzFieldValues, type MrzFormat, type RgbaImage, type quality,
} from '@ekyc/core';
import { crossCheckReads, type DocumentRead, type MrzSummary, type Portrait, type VisualZoneRead } from '@ekyc/workers';
import type { DocumentFrameCounts, FrameVoteProgress, VotedDocument } from '../capture/document-reading.ts';
import type { CaptureMode, GuidanceDetail, ReviewData, ReviewEdits, ReviewField } from './types.ts';
import { isLicenceRead } from './licence.ts';
import { documentPolicy, type DocumentPolicyInput } from './policy.ts';

export type { DocumentPolicyInput };

/** One captured and read side. Pixels stay here; only sizes go into state. */
export interface ReadSide {
  index: number;
  source: CaptureMode;
  capturedAt: string;
  width: number;
  height: number;
  read: DocumentRead;
  /** The rectified document (the evidence image). */
  rectified: RgbaImage<Uint8ClampedArray> | null;
  /** The document's corners in the captured image as the camera found them; null or absent: the whole image (an upload). */
  quad?: quality.Quad | null;
  /** Camera only: the frames voted over (numbers only). */
  frames?: DocumentFrameCounts;
}

/** The side the camera path read: the chosen frame of the vote, with the voted MRZ and the frame counts. */
export function cameraReadSide(voted: VotedDocument, index: number, capturedAt: string): ReadSide {
  const { read, frame, frames } = voted;
  return { index, source: 'camera', capturedAt, width: frame.width, height: frame.height, read, rectified: read.rectified ?? null, quad: frame.quad, frames };
}

/** The `document.captured` event's data: what was found, and on the camera path what the vote cost, as numbers (no field values). */
export function capturedEventData(step: 'document-front' | 'document-back', side: ReadSide): Record<string, string | number | boolean> {
  return { step, source: side.source, mrzFound: side.read.mrzFound, valid: side.read.mrz?.valid ?? false, ...frameDetails(side.frames) };
}

/**
 * The evidence's document checks: `mrz.check_digits` (with the frame counts of the camera's vote)
 * and `document.checks` (the findings of core `checkDocument`), both pointing at the `document-read` artifact when there is one.
 */
export function documentChecks(review: ReviewData, mrz: MrzSummary | null, hasReadArtifact: boolean, frames: DocumentFrameCounts | undefined): EvidenceCheck[] {
  const artifactIds = hasReadArtifact ? ['document-read'] : [];
  const issues = review.issues.filter((code) => code !== 'document_mrz_unreadable' && code !== 'document_mrz_not_found');
  return [
    {
      id: 'mrz', kind: 'mrz.check_digits', status: review.valid ? 'pass' : mrz ? 'fail' : 'inconclusive', score: null, threshold: null,
      errorCode: review.valid ? null : mrz ? 'document_mrz_unreadable' : 'document_mrz_not_found', artifactIds, details: { format: review.format ?? 'none', ...frameDetails(frames) },
    },
    { id: 'document-checks', kind: 'document.checks', status: issues.length === 0 ? 'pass' : 'fail', score: null, threshold: null, errorCode: issues[0] ?? null, artifactIds: [...artifactIds], details: { issues: issues.join(',') } },
  ];
}

/**
 * Frame counts for the evidence (event chain, the MRZ check's details); empty for an upload.
 * `framesFused`: the reading was fused from the characters of that many frames (no frame read it whole),
 * so an auditor sees it was never read whole from one frame.
 */
export function frameDetails(frames: DocumentFrameCounts | undefined): Record<string, string | number> {
  if (!frames) return {};
  return { framesUsed: frames.used, framesRejected: frames.rejected, frameVote: frames.outcome, ...(frames.fused !== undefined ? { framesFused: frames.fused } : {}) };
}

export type SideDecision =
  | { kind: 'done' }
  | { kind: 'need_other_side' }
  | { kind: 'not_read'; code: EkycErrorCode };

const TWO_SIDED: readonly coreDocument.DocumentType[] = ['id_card', 'residence_permit'];

/**
 * After the sides captured so far: done, the other side needed, or nothing readable. A TD1 card
 * carries its MRZ on the back (core `sideLayout`), so a first side without an MRZ asks for the other
 * one when a two-sided type is accepted; a first side with a TD1 MRZ was the back and asks for the front.
 */
export function decideSides(sides: readonly ReadSide[], accepted: readonly coreDocument.DocumentType[]): SideDecision {
  const withMrz = sides.filter((side) => side.read.mrzFound);
  const format = withMrz[0]?.read.mrz?.format ?? null;
  if (sides.length === 1) {
    if (format !== null && format !== 'TD1') return { kind: 'done' };
    if (format === 'TD1') return { kind: 'need_other_side' };
    // A driving licence (numbered printed fields, no MRZ) is one side (core `sideLayout`).
    if (isLicenceRead(sides[0]!.read)) return { kind: 'done' };
    return accepted.some((type) => TWO_SIDED.includes(type)) ? { kind: 'need_other_side' } : { kind: 'not_read', code: 'document_mrz_not_found' };
  }
  if (withMrz.length === 0) return sides.some((side) => isLicenceRead(side.read)) ? { kind: 'done' } : { kind: 'not_read', code: 'document_mrz_not_found' };
  return { kind: 'done' };
}

/**
 * After `not_read` on two sides or more: whether the first side is kept and only the other one asked
 * for again. It is when the first side alone asks for the other (a card's front, whose MRZ is on the
 * back): the side that failed is the one that should carry the MRZ.
 */
export function keepsFirstSide(sides: readonly ReadSide[], accepted: readonly coreDocument.DocumentType[]): boolean {
  return sides.length > 1 && decideSides(sides.slice(0, 1), accepted).kind === 'need_other_side';
}

/** The side an MRZ was read on: the first with one found and read. */
export function mrzSideOf(sides: readonly ReadSide[]): ReadSide | null {
  return sides.find((side) => side.read.mrzFound && side.read.mrz !== null) ?? null;
}

/** Which side is the front (portrait) and which holds the MRZ, from what was found on each. */
export function assignReadSides(sides: readonly ReadSide[], faces: readonly number[]): { front: ReadSide | null; back: ReadSide | null; mrzSide: ReadSide | null } {
  const assignment = coreDocument.assignSides(sides.map((side, i) => ({ mrzFound: side.read.mrzFound, mrzFormat: side.read.mrz?.format ?? null, faces: faces[i] ?? 0 })));
  const front = assignment.front === null ? null : sides[assignment.front] ?? null;
  const back = assignment.back === null ? null : sides[assignment.back] ?? null;
  const mrzSide = mrzSideOf(sides);
  return { front, back, mrzSide };
}

const REVIEW_FIELDS: readonly ReviewField[] = ['surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'sex', 'expiryDate', 'issuingState', 'documentCode'];

/** What review shows: the merged MRZ fields, the uncertain ones, and the document checks' findings. */
export function reviewData(mrz: MrzSummary | null, portrait: Pick<Portrait, 'crop'> | null, policy: DocumentPolicyInput): ReviewData {
  const fields: Partial<Record<ReviewField, string | null>> = {};
  for (const name of REVIEW_FIELDS) fields[name] = mrz?.fields[name] ?? null;
  const format = mrz?.format ?? null;
  const documentType = format && fields.documentCode ? coreDocument.documentTypeFromMrz(format, fields.documentCode) : null;
  const issues: EkycErrorCode[] = [];
  if (mrz === null) issues.push('document_mrz_not_found');
  else {
    if (!mrz.valid) issues.push('document_mrz_unreadable');
    const failures = coreDocument.checkDocument(
      { type: documentType, issuingState: fields.issuingState ?? null, birthDate: fields.birthDate ?? null, expiryDate: fields.expiryDate ?? null },
      documentPolicy(policy),
    );
    for (const failure of failures) if (!issues.includes(failure.code)) issues.push(failure.code);
  }
  const uncertain = (mrz?.uncertainFields ?? []).filter((name): name is ReviewField => (REVIEW_FIELDS as readonly string[]).includes(name));
  return { documentType, format, valid: mrz?.valid ?? false, fields, uncertain, issues, portraitFound: portrait?.crop != null };
}

/**
 * The MRZ lines the verifier reads again (`ekyc.document.read`): the merged reading written back as
 * an MRZ with core `createMrz` (DocumentClient returns the merged fields, not the merged line text).
 * Null when there is no valid reading to write.
 */
export function mrzLinesOf(mrz: MrzSummary | null): string[] | null {
  if (mrz === null || !mrz.valid || mrz.format === null) return null;
  try {
    return createMrz(mrz.format as MrzFormat, mrz.fields as unknown as MrzFieldValues);
  } catch {
    return null;
  }
}

/**
 * Whether a reading completed from the card's other side (worker `completeFromOtherSide`) may stand in
 * for the side's own: always for a refused reading; for a valid one only where it changes nothing but
 * the positions it filled. The completion merged one frame's engine reads, while a camera side's
 * reading may be fused from several frames, which one frame's merge must not overrule elsewhere.
 */
export function completionKeepsReading(own: MrzSummary | null, completed: MrzSummary): boolean {
  if (!own?.valid) return true;
  const filled = new Set((completed.filled ?? []).map((f) => `${f.line}:${f.column}`));
  return completed.corrected.length === own.corrected.length
    && completed.corrected.every((line, l) => line.length === own.corrected[l]!.length && [...line].every((ch, c) => ch === own.corrected[l]![c] || filled.has(`${l}:${c}`)));
}

/** Printed values as the evidence carries them (`ekyc.document.read`'s `viz`): ISO dates, names as printed. */
export type PrintedFields = Partial<Record<coreDocument.CrossCheckedField, string>>;

/**
 * The printed fields the evidence carries: those the device compared with the valid MRZ as `match` or
 * `mismatch` (worker `crossCheckReads`). Left out: a printed or MRZ value either reading flagged, and
 * an MRZ value filled from the printed page (it would only match itself). So the verifier, which sees
 * only the MRZ lines and these values, compares exactly what the device compared.
 */
export function printedFieldsOf(visualZone: VisualZoneRead | null, mrz: MrzSummary | null): PrintedFields {
  const checked = visualZone && mrz ? crossCheckReads({ visualZone }, { mrz }) : null;
  const out: PrintedFields = {};
  if (!checked || !visualZone) return out;
  for (const name of checked.compared) {
    const value = visualZone.fields[name]?.value;
    if (value) out[name] = value;
  }
  return out;
}

/**
 * What the evidence states the document's printed zone holds: the printed fields read, and over them
 * the fields the user corrected at review (what the user read on the card). Empty: no `viz` is sent.
 */
export function evidenceViz(printed: PrintedFields, edits: ReviewEdits | null): PrintedFields {
  return { ...printed, ...(edits ?? {}) };
}

/** The `ekyc.document.read` artifact: the MRZ lines and, when there are any, the printed values (`evidenceViz`). */
export function documentReadArtifact(mrz: MrzSummary | null, viz: PrintedFields): Record<string, unknown> | null {
  const mrzLines = mrzLinesOf(mrz);
  if (mrzLines === null) return null;
  return { type: 'ekyc.document.read', mrzLines, ...(Object.keys(viz).length > 0 ? { viz: { ...viz } } : {}) };
}

/**
 * The `document.viz_cross_check` check: the printed values the evidence carries against the MRZ (core
 * `crossCheckVisualZone`, the comparison the verifier runs again). Inconclusive when none was compared
 * (the printed zone not read, its fields flagged, no valid MRZ); `fail` with `document_viz_mrz_mismatch`
 * and the fields' names (never their values) on any difference.
 */
export function vizCrossCheck(viz: PrintedFields, mrz: MrzSummary | null, hasReadArtifact: boolean): EvidenceCheck {
  const result = mrz?.valid ? coreDocument.crossCheckVisualZone(viz, mrz.fields) : null;
  const compared = result?.compared.length ?? 0;
  const mismatched = result?.mismatches ?? [];
  return {
    id: 'viz-cross-check', kind: 'document.viz_cross_check', status: compared === 0 ? 'inconclusive' : mismatched.length > 0 ? 'fail' : 'pass', score: null, threshold: null,
    errorCode: mismatched.length > 0 ? 'document_viz_mrz_mismatch' : null, artifactIds: hasReadArtifact ? ['document-read'] : [],
    details: { compared, mismatched: mismatched.join(',') },
  };
}

/** Guidance for the overlay from one quality assessment. */
export function qualityGuidance(assessment: quality.FrameAssessment, needed: number) {
  return {
    codes: [...assessment.guidance],
    quad: assessment.metrics.document?.corners ?? null,
    frame: { width: assessment.metrics.frameWidth, height: assessment.metrics.frameHeight },
    countdown: { stable: Math.min(assessment.stableFrames, needed), needed },
  };
}

/**
 * Guidance while frames are read after auto-capture, given to `dispatch`: the frame's outline, the
 * countdown full (the photo is taken), and the vote's progress. Nothing for a frame the video did not give.
 */
export function readingGuidance(
  step: 'document-front' | 'document-back', progress: Pick<FrameVoteProgress, 'used' | 'agreeing' | 'needed'> & { frame: { assessment: quality.FrameAssessment } | null },
  captureNeeded: number, dispatch: (detail: GuidanceDetail) => void,
): void {
  if (!progress.frame) return;
  const guidance = qualityGuidance(progress.frame.assessment, captureNeeded);
  dispatch({ source: 'quality', step, ...guidance, countdown: { stable: captureNeeded, needed: captureNeeded }, reading: { frames: progress.used, agreeing: progress.agreeing, needed: progress.needed } });
}

/**
 * The `ekyc.document.geometry` artifact (version 2, core evidence/document-geometry.ts) for the side
 * whose rectified image is the evidence image `artifactId`: the quad in the captured image's pixels
 * (the whole image for an upload, which is rectified as such), the rectified size and the MRZ line
 * boxes in the rectified image's pixels. The worker finds the lines on the rectified image, turned
 * upside down when it read the MRZ that way: the boxes are turned back onto the image as stored.
 */
export function documentGeometryArtifact(side: ReadSide, artifactId: string, documentType: coreDocument.DocumentType | null): DocumentGeometryV2 | null {
  if (side.rectified === null) return null;
  const { width, height } = side.rectified;
  // An upload's outline found by the document reader is the crop's source as much as the camera's quad.
  const detected = side.quad ?? side.read.quad ?? null;
  const quad = detected ?? coreDocument.wholeImageQuad(side.width, side.height);
  const turned = side.read.rotated180;
  const mrzLines = side.read.mrzFound
    ? side.read.lines.slice(0, 3).map((line) => (turned ? { ...line, x: width - line.x - line.width, y: height - line.y - line.height } : { ...line }))
      .filter((line) => line.width > 0 && line.height > 0)
    : [];
  return {
    type: DOCUMENT_GEOMETRY_TYPE,
    version: 2,
    artifactId,
    documentType,
    // Only the ICAO classes the schema names (a test double may report anything).
    sizeClass: (['ID1', 'ID2', 'ID3', 'MRVA', 'MRVB'] as const).find((name) => name === side.read.sizeClass) ?? null,
    source: { width: side.width, height: side.height, quad: quad.map((p) => [p.x, p.y] as [number, number]) as DocumentGeometryV2['source']['quad'], quadFrom: detected === null ? 'whole_image' : 'detected' },
    rectified: { width, height, rotated180: turned },
    mrzLines,
  };
}

/**
 * Document steps: capture one side (camera with auto-capture, or an uploaded file), read it with the
 * document worker, decide whether the other side is needed (core `document` sides logic), and build
 * what review shows. Pure decisions are separate functions, tested without a worker.
 */
import {
  createMrz, document as coreDocument, type EkycErrorCode, type MrzFieldValues, type MrzFormat, type RgbaImage, type quality,
} from '@ekyc/core';
import type { DocumentRead, MrzSummary, Portrait } from '@ekyc/workers';
import type { CaptureMode, ReviewData, ReviewEdits, ReviewField } from './types.ts';

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
    return accepted.some((type) => TWO_SIDED.includes(type)) ? { kind: 'need_other_side' } : { kind: 'not_read', code: 'document_mrz_not_found' };
  }
  if (withMrz.length === 0) return { kind: 'not_read', code: 'document_mrz_not_found' };
  return { kind: 'done' };
}

/** Which side is the front (portrait) and which holds the MRZ, from what was found on each. */
export function assignReadSides(sides: readonly ReadSide[], faces: readonly number[]): { front: ReadSide | null; back: ReadSide | null; mrzSide: ReadSide | null } {
  const assignment = coreDocument.assignSides(sides.map((side, i) => ({ mrzFound: side.read.mrzFound, mrzFormat: side.read.mrz?.format ?? null, faces: faces[i] ?? 0 })));
  const front = assignment.front === null ? null : sides[assignment.front] ?? null;
  const back = assignment.back === null ? null : sides[assignment.back] ?? null;
  const mrzSide = sides.find((side) => side.read.mrzFound && side.read.mrz !== null) ?? null;
  return { front, back, mrzSide };
}

const REVIEW_FIELDS: readonly ReviewField[] = ['surname', 'givenNames', 'documentNumber', 'nationality', 'birthDate', 'sex', 'expiryDate', 'issuingState', 'documentCode'];

export interface DocumentPolicyInput {
  acceptedDocuments: readonly coreDocument.DocumentType[];
  acceptedCountries: readonly string[];
  minimumAge: number;
  referenceDate?: Date;
}

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
      {
        minimumAge: policy.minimumAge,
        acceptedDocuments: policy.acceptedDocuments,
        ...(policy.acceptedCountries.length > 0 ? { acceptedCountries: policy.acceptedCountries } : {}),
        ...(policy.referenceDate ? { referenceDate: policy.referenceDate } : {}),
      },
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

/** The `ekyc.document.read` artifact: the MRZ lines and, when the user corrected fields at review, those as the visual-zone reading. */
export function documentReadArtifact(mrz: MrzSummary | null, edits: ReviewEdits | null): Record<string, unknown> | null {
  const mrzLines = mrzLinesOf(mrz);
  if (mrzLines === null) return null;
  const viz = edits && Object.keys(edits).length > 0 ? { ...edits } : undefined;
  return { type: 'ekyc.document.read', mrzLines, ...(viz ? { viz } : {}) };
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

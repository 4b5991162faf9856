/**
 * Each recorded check against its re-scored value, within a stated tolerance (docs/auditor.md).
 * MRZ, liveness, the document checks and the printed fields' cross-check are deterministic engines
 * with pass/fail results: exact.
 * Face match crosses runtimes and encodings: the same pixels on onnxruntime-node (jpeg-js) and
 * onnxruntime-web (the browser's decoder) differed by 0.0009 and 0.0007 (e2e bundles), and
 * VerificationFlow scores the pixels before it downscales and JPEG-encodes them into the bundle,
 * which is what is re-scored: 0.012 on the e2e upload session. 0.05 is four times the largest
 * measured and a third of the 0.15 band between the review and approve thresholds.
 */
import type { EvidenceCheck } from '../evidence/schema.ts';

export const RESCORE_TOLERANCE: Readonly<Record<string, number>> = {
  'mrz.check_digits': 0,
  'liveness.active': 0,
  'document.checks': 0,
  'document.viz_cross_check': 0,
  'face.match': 0.05,
};

/** Kinds whose result is pass or fail: a check recorded with a status and no score compares as 1 or 0. */
const STATUS_SCORED = new Set(['mrz.check_digits', 'liveness.active', 'document.checks', 'document.viz_cross_check']);

export interface RescoredCheck {
  checkId: string;
  kind: string;
  recorded: number | null;
  recordedStatus: EvidenceCheck['status'];
  rescored: number | null;
  difference: number | null;
  tolerance: number | null;
  /** `match`: within tolerance (and the same failure codes); `differs`: not; `not_rescored`: no engine ran (see note). */
  verdict: 'match' | 'differs' | 'not_rescored';
  note: string | null;
  /** For `document.checks`: the failure codes recorded (details.issues) and found again; for `document.viz_cross_check`, the fields that differ (details.mismatched). */
  recordedCodes?: string[];
  rescoredCodes?: string[];
}

export function compareCheck(check: EvidenceCheck, rescored: number | null, note: string | null, codes?: { recorded: string[]; rescored: string[] }): RescoredCheck {
  const tolerance = RESCORE_TOLERANCE[check.kind] ?? null;
  const fromStatus = check.score === null && STATUS_SCORED.has(check.kind) && (check.status === 'pass' || check.status === 'fail');
  const recorded = fromStatus ? (check.status === 'pass' ? 1 : 0) : check.score;
  const codeFields = codes === undefined ? {} : { recordedCodes: [...codes.recorded].sort(), rescoredCodes: [...codes.rescored].sort() };
  if (rescored === null || recorded === null || tolerance === null) {
    return { checkId: check.id, kind: check.kind, recorded, recordedStatus: check.status, rescored, difference: null, tolerance, verdict: 'not_rescored', note: note ?? (tolerance === null ? 'no_engine_for_kind' : 'no_score'), ...codeFields };
  }
  const difference = rescored - recorded;
  const sameCodes = codes === undefined || codeFields.recordedCodes!.join(',') === codeFields.rescoredCodes!.join(',');
  const notes = [fromStatus ? 'recorded as status' : null, note, sameCodes ? null : `codes recorded [${codeFields.recordedCodes!.join(',')}], found [${codeFields.rescoredCodes!.join(',')}]`];
  return {
    checkId: check.id, kind: check.kind, recorded, recordedStatus: check.status, rescored, difference, tolerance,
    verdict: Math.abs(difference) <= tolerance + 1e-12 && sameCodes ? 'match' : 'differs', note: notes.filter(Boolean).join('; ') || null, ...codeFields,
  };
}

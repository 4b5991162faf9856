/**
 * A TD1 card's MRZ completed from its other side. The card prints its number, dates and names on the
 * front and its MRZ on the back, so the same-page fills of document.ts (printed values for lost checked
 * characters, printed names for unread ones) find nothing on the back's image. Given the back's engine
 * reads (`DocumentRead.mrzEvidence`) and the front's printed zone, read separately, the back is merged
 * again with the front's values, on the same conditions as a page's own: a checked field is filled only
 * where its read check digit (and the composite) verifies the printed value (core printed-erasures.ts
 * for a refused reading, printed-doubts.ts for a doubted number or date of a valid one), and every
 * filled field is uncertain and sourced `visual_zone`.
 */
import { document as coreDocument } from '@ekyc/core';
import type { MrzSummary } from './document.ts';
import { mrzToFill, summarize, withPrintedSources, withVisualZoneFill } from './mrz-summary.ts';
import { printedValues, type VisualZoneRead } from './visual-zone.ts';

/**
 * The back's MRZ with what the front fills: lost checked characters when the back alone is refused, a
 * doubted number or date the engines did not see clearly, then unread name or sex characters of a
 * valid reading. Null when the front fills nothing (the back's own reading stands).
 */
export function completeFromOtherSide(evidence: coreDocument.MrzFrameEvidence, otherSide: VisualZoneRead, referenceDate: Date): MrzSummary | null {
  const options = {
    referenceDate,
    ...(evidence.engineWeights ? { engineWeights: evidence.engineWeights } : {}),
    ...(evidence.fillerLookalikes ? { fillerLookalikes: evidence.fillerLookalikes } : {}),
    ...(evidence.lengthWitnesses ? { lengthWitnesses: evidence.lengthWitnesses } : {}),
  };
  const year = referenceDate.getUTCFullYear();
  // One merge with the printed values gives the back's own reading wherever they fill nothing: they fill
  // a refused reading's lost characters or a valid one's doubted number or date, and touch nothing else.
  const merged = coreDocument.mergeMrzReads(evidence.reads, { ...options, printed: printedValues(otherSide, year) });
  if (!merged.valid) return null;
  let mrz = withPrintedSources(summarize(merged), merged);
  const toFill = mrzToFill(mrz, merged);
  if (coreDocument.wantsVisualZoneFill(toFill)) mrz = withVisualZoneFill(mrz, toFill, otherSide, year);
  return mrz.sources ? mrz : null;
}

/**
 * Whether an MRZ read on a side without printed fields (a TD1 back) is worth completing from the
 * other side (`completeFromOtherSide`): refused, or valid with its number or a date in doubt (core
 * `hasPrintableDoubt`). Reading the front's printed zone takes seconds (awaited where the flow asks),
 * so a reading whose only doubts are names skips it: of 27 TD1 fronts read for unconfirmed names on
 * 2026-12-06's fresh sets, none filled a character. The user confirms names at review.
 */
export function wantsOtherSide(mrz: Pick<MrzSummary, 'valid' | 'uncertainFields'> | null | undefined): boolean {
  return mrz != null && (!mrz.valid || coreDocument.hasPrintableDoubt(mrz.uncertainFields));
}

import type { document as coreDocument, MrzOutputFieldName } from '@ekyc/core';
import type { MrzSummary } from './document.ts';
import { fillNamesFromPage, type VisualZoneRead } from './visual-zone.ts';

/**
 * A merged MRZ reading as the plain summary a read returns (fields, flags, errors): one frame's merge
 * in the worker (document.ts), or a merge fused across frames (document-stream.ts).
 */
export function summarize(merged: Pick<coreDocument.MergedMrzRead, 'result' | 'valid' | 'uncertainFields' | 'ambiguous'>): MrzSummary {
  const r = merged.result;
  const fields: Partial<Record<MrzOutputFieldName, string | null>> = {};
  for (const [name, f] of Object.entries(r.fields)) fields[name as MrzOutputFieldName] = f?.value ?? null;
  return {
    valid: merged.valid,
    format: r.format,
    fields,
    uncertainFields: [...merged.uncertainFields],
    corrected: [...r.corrected],
    ambiguous: merged.ambiguous || r.ambiguous,
    errors: [...new Set(r.errors.map((e) => e.code as string).concat(merged.ambiguous ? ['mrz_ambiguous'] : []))],
  };
}

/**
 * The summary of a merge that filled lost checked characters from the printed page (core
 * `MergedMrzRead.printedFilled`): the fields holding them say they came from the visual zone, and list
 * the positions. Unchanged when nothing was filled.
 */
export function withPrintedSources(summary: MrzSummary, merged: Pick<coreDocument.MergedMrzRead, 'result' | 'printedFilled'>): MrzSummary {
  if (merged.printedFilled.length === 0) return summary;
  const sources: NonNullable<MrzSummary['sources']> = { ...summary.sources };
  for (const p of merged.printedFilled) {
    for (const [name, f] of Object.entries(merged.result.fields)) {
      if (f?.ranges.some((r) => r.line === p.line && p.column >= r.start && p.column < r.end)) sources[name as MrzOutputFieldName] = 'visual_zone';
    }
  }
  const filled = merged.printedFilled.map((p) => ({ line: p.line, column: p.column, was: p.was, char: p.char, source: 'visual_zone' as const }));
  return { ...summary, uncertainFields: [...new Set([...summary.uncertainFields, ...(Object.keys(sources) as MrzOutputFieldName[])])], sources, filled: [...(summary.filled ?? []), ...filled] };
}

/** What the visual-zone name fill takes of a summary and the merge it came from (core `MrzToFill`). */
export function mrzToFill(mrz: MrzSummary, merged: Pick<coreDocument.MergedMrzRead, 'unread' | 'rivals' | 'washedOut' | 'fadedRead'>): coreDocument.MrzToFill {
  return { format: mrz.format, corrected: mrz.corrected, unread: merged.unread, rivals: merged.rivals, washedOut: merged.washedOut, fadedRead: merged.fadedRead, fields: mrz.fields, uncertainFields: mrz.uncertainFields, ...(mrz.sources ? { sources: mrz.sources } : {}) };
}

/**
 * The reading with its unread name/sex characters filled from the printed page (visual-zone.ts
 * `fillNamesFromPage`); unchanged when nothing is filled. Filled fields stay uncertain.
 */
export function withVisualZoneFill(mrz: MrzSummary, toFill: coreDocument.MrzToFill, viz: VisualZoneRead, referenceYear: number): MrzSummary {
  const fill = fillNamesFromPage(toFill, viz, referenceYear);
  if (!fill) return mrz;
  const sourced = Object.keys(fill.sources) as MrzOutputFieldName[];
  return {
    ...mrz,
    corrected: fill.corrected,
    fields: { ...mrz.fields, ...fill.values },
    uncertainFields: [...new Set([...mrz.uncertainFields, ...sourced])],
    // A reading completed from printed values first (withPrintedSources) keeps those sources too.
    sources: { ...mrz.sources, ...fill.sources },
    filled: [...(mrz.filled ?? []), ...fill.filled],
  };
}

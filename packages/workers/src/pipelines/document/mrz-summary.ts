import type { document as coreDocument, MrzOutputFieldName } from '@ekyc/core';
import type { MrzSummary } from './document.ts';

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

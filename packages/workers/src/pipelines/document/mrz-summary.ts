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

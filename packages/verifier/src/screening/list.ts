/**
 * The screening list file the operator provides (VERIFIER_SCREENING_LIST): JSON, format
 * `ekyc-screening-list` version 1 (docs/verifier-review.md). Loaded and validated once at worker
 * start: a malformed file stops the start with `invalid_argument` naming the problem, never a
 * silent "no hits".
 */
import { readFileSync } from 'node:fs';
import { EkycError } from '@ekyc/core';
import { z } from 'zod';

const datePattern = /^\d{4}(-\d{2}-\d{2})?$/;

export const screeningListSchema = z.object({
  format: z.literal('ekyc-screening-list'),
  version: z.literal(1),
  /** Names the list and its edition, e.g. "eu-consolidated-2026-12-01"; stored with every match. */
  id: z.string().min(1).max(128),
  entries: z.array(z.object({
    id: z.string().min(1).max(128),
    /** Primary name and aliases, any script. */
    names: z.array(z.string().min(1).max(300)).min(1).max(100),
    /** `YYYY-MM-DD` or `YYYY` (lists often know only the year). */
    birthDates: z.array(z.string().regex(datePattern)).max(20).default([]),
    /** ISO 3166-1 alpha-3 (as in an MRZ). */
    nationalities: z.array(z.string().regex(/^[A-Z]{3}$/)).max(20).default([]),
    category: z.enum(['sanctions', 'pep']),
  }).strict()).max(2_000_000),
}).strict();
export type ScreeningList = z.infer<typeof screeningListSchema>;

export function parseScreeningList(json: unknown): ScreeningList {
  const parsed = screeningListSchema.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.slice(0, 5).map((issue) => issue.path.join('.') || '(root)');
    throw new EkycError('invalid_argument', `The screening list is not a valid ekyc-screening-list v1 file (fields: ${fields.join(', ')}).`, { details: { fields } });
  }
  const ids = new Set<string>();
  for (const entry of parsed.data.entries) {
    if (ids.has(entry.id)) throw new EkycError('invalid_argument', 'The screening list repeats an entry id.', { details: { entryId: entry.id } });
    ids.add(entry.id);
  }
  return parsed.data;
}

export function loadScreeningList(file: string): ScreeningList {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EkycError('invalid_argument', 'VERIFIER_SCREENING_LIST could not be read as JSON.', { cause, details: { name: 'VERIFIER_SCREENING_LIST' } });
  }
  return parseScreeningList(json);
}

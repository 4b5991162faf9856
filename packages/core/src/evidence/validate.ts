import type { z } from 'zod';
import { EkycError } from '../errors.ts';

/** Parses with a zod schema; failures become `evidence_schema_invalid` listing paths and issue codes only (no values, so no PII). */
export function parseOrThrow<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`);
  throw new EkycError('evidence_schema_invalid', `${what} does not match the evidence schema.`, {
    details: { issues: issues.join('; '), issueCount: result.error.issues.length },
  });
}

import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evidenceJsonSchema } from './schema.ts';

const committed = new URL('../../../../docs/evidence.schema.json', import.meta.url);

describe('published JSON Schema', () => {
  // Regenerate with: EKYC_WRITE_SCHEMA=1 npx vitest run packages/core/src/evidence/json-schema.test.ts
  it('docs/evidence.schema.json matches the zod schema', () => {
    const generated = `${JSON.stringify(evidenceJsonSchema(), null, 2)}\n`;
    if (process.env.EKYC_WRITE_SCHEMA === '1') writeFileSync(committed, generated);
    expect(readFileSync(committed, 'utf8')).toBe(generated);
  });
});

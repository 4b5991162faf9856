import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, generateOpenApi } from './openapi.ts';

describe('docs/verifier.openapi.json', () => {
  it('is the document generated from the route schemas (run `npm run openapi -w @ekyc/verifier` after changing a route)', async () => {
    const generated = await generateOpenApi();
    const document = JSON.parse(generated) as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    // Other routes (review, audit, handoff) come and go with their features; these are the core ones.
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/healthz', '/readyz', '/sessions', '/sessions/{id}', '/sessions/{id}/evidence', '/sessions/{id}/key', '/sessions/{id}/liveness-attempts']));
    expect(Object.keys(document.paths['/sessions/{id}/evidence']!.post!.responses)).toEqual(expect.arrayContaining(['200', '201', '202', '422']));
    expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(generated);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { forwardTo, startTestVerifier } from './verifier-harness.ts';

/**
 * The reference verifier end to end with a bundle sealed in Chromium: the page binds its session
 * key, records and seals a session and uploads it in chunks with HttpSink; the verifier (the
 * `ekyc-verifier` bin, PGlite in memory) verifies it, re-scores it with the real face models and
 * decides. The page reaches the verifier through a Playwright route (same origin for the page).
 */
const PROXY = '/verifier-proxy';

test('a bundle sealed in Chromium goes through intake, re-scoring and a decision with reasons', async ({ page }) => {
  const state = mkdtempSync(path.join(os.tmpdir(), 'ekyc-e2e-verifier-'));
  const verifier = await startTestVerifier(state);
  const { apiKey } = verifier;
  try {
    await page.route(`**${PROXY}/**`, forwardTo(verifier.url, PROXY));
    const integrator = { authorization: `Bearer ${apiKey}` };
    const session = await (await fetch(`${verifier.url}/sessions`, { method: 'POST', headers: { ...integrator, 'content-type': 'application/json' }, body: '{}' })).json();
    expect(session.verifierKey).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'e2e-key' });

    await page.goto('/e2e/pages/verifier.html');
    await expect(page.locator('body[data-ready=true]')).toBeAttached();
    const upload = await page.evaluate(([base, s]) => window.verifierTest.run(base, s, { chunkBytes: 48 * 1024 }), [PROXY, session] as const);
    expect(upload.sealedBytes).toBeGreaterThan(48 * 1024);
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ type: 'ekyc.evidence.ack', version: 1, idempotencyKey: upload.id, sessionId: session.sessionId });

    let status: { status: string; decision: { outcome: string; score: number; reasonCodes: string[] } | null; userMessage: string } | undefined;
    for (let poll = 0; poll < 120; poll += 1) {
      status = await (await fetch(`${verifier.url}/sessions/${session.sessionId}`, { headers: integrator })).json();
      if (status!.status === 'decided') break;
      await page.waitForTimeout(250);
    }
    expect(status!.status).toBe('decided');
    const { decision } = status!;
    // The server scored face match, liveness (transcript replayed with the nonce) and the document itself.
    expect(decision!.reasonCodes).not.toEqual(expect.arrayContaining(['face_match_missing']));
    expect(decision!.reasonCodes).not.toContain('face_liveness_missing');
    expect(decision!.reasonCodes).not.toContain('document_authenticity_missing');
    expect(decision!.reasonCodes).toContain('document_liveness_missing');
    expect(['approve', 'review']).toContain(decision!.outcome);
    expect(decision!.score).toBeGreaterThanOrEqual(50);
    console.log(`verifier decision: ${decision!.outcome} ${decision!.score} [${decision!.reasonCodes.join(', ')}]`);
  } finally {
    // Stop forwarding before the verifier stops: a call still in flight would fail the test (ECONNREFUSED).
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    verifier.child.kill('SIGTERM');
    rmSync(state, { recursive: true, force: true });
  }
});

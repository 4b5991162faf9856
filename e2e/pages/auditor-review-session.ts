/**
 * Puts one real case in a running verifier's review queue for the auditor page's review test, as
 * an integrator and the browser SDK would: create a session (integrator key), bind the session
 * key, upload a bundle with real content (faces, MRZ reading, liveness transcript from the nonce)
 * signed and sealed with core, and wait for the automatic decision.
 *
 * Run: node --conditions=source --import tsx e2e/pages/auditor-review-session.ts <verifier url> <api key>
 * Prints one JSON line: { sessionId, outcome, score, reasonCodes }.
 */
import { createSessionSigner, sealedEvidenceId } from '@ekyc/core';
import { ServerFaceEngine } from '../../packages/verifier/src/face/engine.ts';
import { buildSealedBundle, type IssuedSession } from '../../packages/verifier/src/testing/fixtures.ts';
import { realSessionContent } from '../../packages/verifier/src/testing/session-bundle.ts';

const [base, apiKey] = process.argv.slice(2);
if (!base || !apiKey) throw new Error('usage: auditor-review-session.ts <verifier url> <api key>');

async function call(path: string, init: RequestInit & { bearer: string }): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...(init.headers as Record<string, string> ?? {}), authorization: `Bearer ${init.bearer}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const created = await call('/sessions', { method: 'POST', bearer: apiKey, headers: { 'content-type': 'application/json' }, body: '{}' });
if (created.status !== 201) throw new Error(`POST /sessions answered ${created.status}`);
const session = created.body as unknown as IssuedSession;
const signer = await createSessionSigner();
const bound = await call(`/sessions/${session.sessionId}/key`, { method: 'POST', bearer: session.clientToken, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ publicKeyJwk: signer.publicKeyJwk }) });
if (bound.status !== 201) throw new Error(`key binding answered ${bound.status}`);

const engine = await ServerFaceEngine.create();
const startedAt = new Date(Date.now() - 30_000);
const content = await realSessionContent({ nonce: session.nonce, startedAt, engine, challengeCount: session.config.livenessChallengeCount });
await engine.close();
const { sealed } = await buildSealedBundle({ session, signer, startedAt, ...content });
const uploaded = await fetch(`${base}/sessions/${session.sessionId}/evidence`, {
  method: 'POST', body: Buffer.from(sealed),
  headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/jose', 'idempotency-key': await sealedEvidenceId(sealed) },
});
if (uploaded.status !== 201) throw new Error(`upload answered ${uploaded.status} ${await uploaded.text()}`);

for (let poll = 0; poll < 240; poll += 1) {
  const status = await call(`/sessions/${session.sessionId}`, { bearer: apiKey });
  const decision = status.body['decision'] as { outcome: string; score: number; reasonCodes: string[] } | null;
  if (status.body['status'] === 'decided' && decision) {
    process.stdout.write(`${JSON.stringify({ sessionId: session.sessionId, ...decision })}\n`);
    process.exit(0);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
throw new Error('no decision within 60 s');

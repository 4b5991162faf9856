/**
 * No personal data in the logs: a full session (real selfie, document reading with the MRZ and
 * visual-zone fields of a known test identity, a liveness transcript) goes through intake and
 * server re-scoring with the real face models, plus refused uploads and bad credentials, with the
 * production logger at `trace`. The captured lines are then searched for every field of that
 * identity, the nonce, the tokens, the keys and the MRZ, in the forms they take in a bundle.
 */
import { createMrz, createSessionSigner } from '@ekyc/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VerifierConfig } from '../config.ts';
import { ServerFaceEngine } from '../face/engine.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { bindKey, createSession, getStatus, uploadWhole } from '../testing/client.ts';
import { buildSealedBundle, testConfig } from '../testing/fixtures.ts';
import { realSessionContent, TEST_DOCUMENT } from '../testing/session-bundle.ts';
import { createLogger, errorFields } from './logger.ts';

const VIZ = { surname: 'Eriksson', givenNames: 'Anna Maria', documentNumber: 'L898902C3', birthDate: '1974-08-12', expiryDate: '2034-04-15' };

describe('logs carry no personal data (intake + re-scoring, PGlite, real face models)', () => {
  let verifier: Verifier;
  let config: VerifierConfig;
  let engine: ServerFaceEngine;
  const lines: string[] = [];

  beforeAll(async () => {
    config = await testConfig('memory:');
    verifier = await startVerifier(config, { listen: false, logger: createLogger({ level: 'trace', destination: { write: (line: string) => { lines.push(line); } } }) });
    engine = await ServerFaceEngine.create();
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await verifier?.close();
  });

  it('logs ids, codes and timings only', async () => {
    const app = verifier.app!;
    const session = await createSession(app, config.apiKey);
    const signer = await createSessionSigner();
    expect((await bindKey(app, session, signer)).status).toBe(201);
    const startedAt = new Date();
    const real = await realSessionContent({ nonce: session.nonce, startedAt, engine, viz: VIZ });
    const { sealed, key } = await buildSealedBundle({ session, signer, startedAt, ...real });

    // Refusals first (they log too): a tampered body, a wrong token, a wrong key.
    const tampered = new Uint8Array(sealed);
    const at = tampered.length - 10;
    tampered[at] = tampered[at]! ^ 1;
    expect((await uploadWhole(app, session.sessionId, session.clientToken, tampered, key)).status).toBe(400);
    expect((await uploadWhole(app, session.sessionId, `${session.clientToken}x`, sealed, key)).status).toBe(401);
    expect((await getStatus(app, session.sessionId, 'not-the-key')).status).toBe(401);
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(201);
    expect((await uploadWhole(app, session.sessionId, session.clientToken, sealed, key)).status).toBe(200);
    let decided = false;
    for (let poll = 0; poll < 120 && !decided; poll += 1) {
      decided = (await getStatus(app, session.sessionId, config.apiKey)).body.status === 'decided';
      if (!decided) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(decided).toBe(true);
    expect((await verifier.store.getDecision(session.sessionId))?.record.inputs).toBeDefined();

    const text = lines.join('');
    // The flow was logged (so the search below searched something).
    expect(text).toContain('"msg":"session created"');
    expect(text).toContain('"msg":"evidence received"');
    expect(text).toContain('"msg":"evidence refused"');
    expect(text).toContain('"msg":"rescore started"');
    expect(text).toContain('"msg":"session decided"');
    expect(text).toContain(session.sessionId);

    const mrz = createMrz('TD3', TEST_DOCUMENT);
    const yymmdd = (iso: string): string => iso.slice(2).replaceAll('-', '');
    const forbidden: Record<string, string> = {
      surname: TEST_DOCUMENT.surname, surnameViz: VIZ.surname, givenName1: 'ANNA', givenName2: 'MARIA', givenNamesViz: VIZ.givenNames,
      documentNumber: TEST_DOCUMENT.documentNumber, optionalData: TEST_DOCUMENT.optionalData,
      birthDate: TEST_DOCUMENT.birthDate, birthDateMrz: yymmdd(TEST_DOCUMENT.birthDate), expiryDate: TEST_DOCUMENT.expiryDate, expiryDateMrz: yymmdd(TEST_DOCUMENT.expiryDate),
      mrzLine1: mrz[0]!.slice(0, 20), mrzLine2: mrz[1]!.slice(0, 20),
      nonce: session.nonce, clientToken: session.clientToken, clientTokenSignature: session.clientToken.split('.')[2]!,
      apiKey: config.apiKey, idempotencyKey: key, signerKeyX: signer.publicKeyJwk.x, verifierKeyD: String(config.verifierPrivateJwk.d),
      kek: config.kek.base64url, pepper: config.pepper.base64url,
    };
    const found = Object.entries(forbidden).filter(([, value]) => text.toUpperCase().includes(value.toUpperCase())).map(([name]) => name);
    expect(found).toEqual([]);
  }, 180_000);

  it('censors sensitive keys a future call site might pass, and reduces errors to name and code', () => {
    const captured: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => { captured.push(line); } } });
    logger.info({ sessionId: 'ses_x', nonce: 'n-123', headers: { authorization: 'Bearer abc' }, viz: { surname: 'ERIKSSON' }, nested: { documentNumber: 'L898902C3' } }, 'careless');
    const driverError = Object.assign(new Error('duplicate key value: Key (nonce)=(n-123) already exists'), { code: '23505' });
    logger.warn({ err: driverError }, 'failed');
    const text = captured.join('');
    for (const value of ['n-123', 'abc', 'ERIKSSON', 'L898902C3', 'already exists']) expect(text).not.toContain(value);
    expect(text).toContain('ses_x');
    expect(errorFields(driverError)).toEqual({ name: 'Error', code: '23505' });
  });
});

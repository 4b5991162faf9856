/**
 * Intake over the HTTP API against both databases: the happy path (whole and chunked, idempotent
 * retries), and every refusal with its own code. Bundles are built, signed and sealed with core's
 * evidence functions in Node, exactly as the browser does.
 */
import { base64url, exportJWK, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { ChunkAssembler, createSessionSigner } from '@ekyc/core';
import { importKek } from '../crypto/envelope.ts';
import { EvidenceIntake } from './intake.ts';
import { bindKey, createSession, getStatus, uploadChunk, uploadWhole } from '../testing/client.ts';
import { TEST_DATABASES, useTestVerifier } from '../testing/databases.ts';
import { buildSealedBundle, opaqueArtifact } from '../testing/fixtures.ts';

describe.each(TEST_DATABASES)('evidence intake on %s', (kind) => {
  let clockOffsetMs = 0;
  const setup = useTestVerifier(kind, { start: { faceModels: false, now: () => new Date(Date.now() + clockOffsetMs) } });
  const { skip } = setup;

  const app = () => setup.verifier.app!;
  const ready = async () => {
    const session = await createSession(app(), setup.config.apiKey);
    const signer = await createSessionSigner();
    expect((await bindKey(app(), session, signer)).status).toBe(201);
    return { session, signer };
  };

  it.skipIf(skip)('accepts a sealed bundle once (201 ack echoing the key), answers a retry with the same ack (200), and records the job', async () => {
    const { session, signer } = await ready();
    expect(session.config.livenessChallengeCount).toBeGreaterThan(0);
    expect(session.verifierKey.kty).toBe('EC');
    const { sealed, key } = await buildSealedBundle({ session, signer });
    const first = await uploadWhole(app(), session.sessionId, session.clientToken, sealed, key);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ type: 'ekyc.evidence.ack', version: 1, idempotencyKey: key, sessionId: session.sessionId });
    const retry = await uploadWhole(app(), session.sessionId, session.clientToken, sealed, key);
    expect(retry.status).toBe(200);
    expect(retry.body.receivedAt).toBe(first.body.receivedAt);
    const stored = await setup.verifier.store.loadEvidence(session.sessionId);
    expect(stored?.idempotencyKey).toBe(key);
    // Stored encrypted: the ciphertext does not contain the sealed JWE or the container magic.
    expect(Buffer.from(stored!.envelope.ciphertext).includes(Buffer.from('EKB1'))).toBe(false);
    const jobs = await setup.verifier.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'ekyc-rescore' AND data->>'sessionId' = $1`, [session.sessionId]);
    expect(jobs.rows[0]!.n).toBeGreaterThanOrEqual(1);
  });

  it.skipIf(skip)('takes a chunked upload in any order, answering 202 with missing ranges until complete', async () => {
    const { session, signer } = await ready();
    const { sealed, key } = await buildSealedBundle({ session, signer, artifacts: [opaqueArtifact('document-0', 'document_crop', 60_000, new Date(Date.now() + 100).toISOString())] });
    const chunkBytes = 16 * 1024;
    const count = Math.ceil(sealed.byteLength / chunkBytes);
    expect(count).toBeGreaterThan(3);
    const second = await uploadChunk(app(), session.sessionId, session.clientToken, sealed, key, chunkBytes, 1);
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ type: 'ekyc.evidence.partial', idempotencyKey: key, missing: [[0, 1], [2, count]] });
    let last = second;
    for (let index = 0; index < count; index += 1) if (index !== 1) last = await uploadChunk(app(), session.sessionId, session.clientToken, sealed, key, chunkBytes, index);
    expect(last.status).toBe(201);
    expect(last.body).toMatchObject({ type: 'ekyc.evidence.ack', idempotencyKey: key });
    // A late duplicate chunk is a retry: the stored acknowledgement.
    expect((await uploadChunk(app(), session.sessionId, session.clientToken, sealed, key, chunkBytes, 0)).status).toBe(200);
    const pending = await setup.verifier.db.query<{ n: number }>('SELECT count(*)::int AS n FROM verifier_uploads WHERE idempotency_key = $1', [key]);
    expect(pending.rows[0]!.n).toBe(0);
  });

  it.skipIf(skip)('refuses a tampered bundle (evidence_decrypt_failed), keeping the nonce for the genuine one', async () => {
    const { session, signer } = await ready();
    const { sealed } = await buildSealedBundle({ session, signer });
    const tampered = sealed.slice();
    const at = Math.floor(tampered.byteLength / 2);
    tampered[at] = tampered[at] === 0x41 ? 0x42 : 0x41;
    const { sealedEvidenceId } = await import('@ekyc/core');
    const refused = await uploadWhole(app(), session.sessionId, session.clientToken, tampered, await sealedEvidenceId(tampered));
    expect(refused.status).toBe(422);
    expect(refused.body).toEqual({ type: 'ekyc.evidence.error', version: 1, code: 'evidence_decrypt_failed' });
    // A body that does not match its idempotency key is refused before decryption.
    const { key } = await buildSealedBundle({ session, signer });
    expect((await uploadWhole(app(), session.sessionId, session.clientToken, tampered, key)).body.code).toBe('evidence_hash_mismatch');
    const genuine = await buildSealedBundle({ session, signer });
    expect((await uploadWhole(app(), session.sessionId, session.clientToken, genuine.sealed, genuine.key)).status).toBe(201);
  });

  it.skipIf(skip)('refuses a replayed session (evidence_nonce_replayed): another bundle for a session that already delivered', async () => {
    const { session, signer } = await ready();
    const first = await buildSealedBundle({ session, signer });
    expect((await uploadWhole(app(), session.sessionId, session.clientToken, first.sealed, first.key)).status).toBe(201);
    const second = await buildSealedBundle({ session, signer, startedAt: new Date(Date.now() + 50) });
    const replay = await uploadWhole(app(), session.sessionId, session.clientToken, second.sealed, second.key);
    expect(replay.status).toBe(422);
    expect(replay.body.code).toBe('evidence_nonce_replayed');
  });

  it.skipIf(skip)('refuses an expired session (session_expired)', async () => {
    const { session, signer } = await ready();
    const { sealed, key } = await buildSealedBundle({ session, signer });
    const ttlMs = session.config.ttlSeconds * 1000;
    clockOffsetMs = ttlMs + 1000;
    try {
      // The client token lives no longer than its session: past expiry it is refused first.
      expect((await uploadWhole(app(), session.sessionId, session.clientToken, sealed, key)).body.code).toBe('auth_failed');
      // With the token still valid but the session itself expired (e.g. an operator shortened it):
      clockOffsetMs = 0;
      await setup.verifier.db.query('UPDATE verifier_sessions SET expires_at = $2 WHERE id = $1', [session.sessionId, new Date(Date.now() - 1000)]);
      const expired = await uploadWhole(app(), session.sessionId, session.clientToken, sealed, key);
      expect(expired.status).toBe(422);
      expect(expired.body.code).toBe('session_expired');
      expect((await getStatus(app(), session.sessionId, setup.config.apiKey)).body.status).toBe('expired');
    } finally {
      clockOffsetMs = 0;
    }
  });

  it.skipIf(skip)('refuses a bundle for another session (evidence_nonce_mismatch), and a token of another session (auth_failed)', async () => {
    const a = await ready();
    const b = await ready();
    const forA = await buildSealedBundle({ session: a.session, signer: a.signer });
    // Posted to B with B's token: the manifest names session A.
    const wrongSession = await uploadWhole(app(), b.session.sessionId, b.session.clientToken, forA.sealed, forA.key);
    expect(wrongSession.status).toBe(422);
    expect(wrongSession.body.code).toBe('evidence_nonce_mismatch');
    // B's manifest carrying A's nonce.
    const wrongNonce = await buildSealedBundle({ session: b.session, signer: b.signer, nonceOverride: a.session.nonce });
    expect((await uploadWhole(app(), b.session.sessionId, b.session.clientToken, wrongNonce.sealed, wrongNonce.key)).body.code).toBe('evidence_nonce_mismatch');
    expect((await uploadWhole(app(), a.session.sessionId, b.session.clientToken, forA.sealed, forA.key)).body.code).toBe('auth_failed');
    // A's own upload still goes through: the refusals burnt nothing.
    expect((await uploadWhole(app(), a.session.sessionId, a.session.clientToken, forA.sealed, forA.key)).status).toBe(201);
  });

  it.skipIf(skip)('refuses a bundle re-signed with another key (evidence_key_mismatch) and a second key binding (session_key_conflict)', async () => {
    const { session, signer } = await ready();
    const attacker = await createSessionSigner();
    // Same content, signed by a key the session never registered: the signature itself verifies.
    const resigned = await buildSealedBundle({ session, signer: attacker });
    const refused = await uploadWhole(app(), session.sessionId, session.clientToken, resigned.sealed, resigned.key);
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('evidence_key_mismatch');
    expect((await bindKey(app(), session, attacker)).body.code).toBe('session_key_conflict');
    expect((await bindKey(app(), session, signer)).status).toBe(200);
    // No key bound at all: refused too, before decryption.
    const unbound = await createSession(app(), setup.config.apiKey);
    const loose = await buildSealedBundle({ session: unbound, signer });
    expect((await uploadWhole(app(), unbound.sessionId, unbound.clientToken, loose.sealed, loose.key)).body.code).toBe('evidence_key_mismatch');
  });

  it.skipIf(skip)('opens a bundle sealed to a previous verifier key named by its kid (key rotation), and refuses an unknown key', async () => {
    const { session, signer } = await ready();
    const old = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const oldPublic = { ...(await exportJWK(old.publicKey)), kid: 'retired-key' };
    const sealedToOld = await buildSealedBundle({ session: { ...session, verifierKey: oldPublic }, signer });
    // The running verifier does not know the retired key: refused, nonce kept.
    expect((await uploadWhole(app(), session.sessionId, session.clientToken, sealedToOld.sealed, sealedToOld.key)).body.code).toBe('evidence_decrypt_failed');
    // The same intake with the retired key configured (as after a restart with VERIFIER_PREVIOUS_PRIVATE_JWKS).
    const rotated = new EvidenceIntake({
      store: setup.verifier.store, queue: setup.verifier.queue, kek: await importKek(setup.config.kek.id, setup.config.kek.base64url),
      assembler: new ChunkAssembler({ maxTotalBytes: setup.config.maxSealedBytes }), decryptionKey: setup.config.verifierPrivateJwk, maxSealedBytes: setup.config.maxSealedBytes,
      previousKeys: new Map([['retired-key', { ...(await exportJWK(old.privateKey)), kid: 'retired-key' }]]),
    });
    const answer = await rotated.receive({ sessionId: session.sessionId, header: (name) => (name === 'Idempotency-Key' ? sealedToOld.key : null), body: sealedToOld.sealed });
    expect(answer.status).toBe(201);
  }, 60_000);

  it.skipIf(skip)('refuses bad credentials and malformed uploads with their codes', async () => {
    const noKey = await app().inject({ method: 'POST', url: '/sessions', payload: {} });
    expect(noKey.statusCode).toBe(401);
    expect(noKey.json()).toEqual({ code: 'auth_failed' });
    const { session, signer } = await ready();
    const { sealed } = await buildSealedBundle({ session, signer });
    const badKey = await uploadWhole(app(), session.sessionId, session.clientToken, sealed, 'not-a-key');
    expect(badKey.status).toBe(400);
    expect(badKey.body.code).toBe('evidence_upload_invalid');
    const forged = `${session.clientToken.split('.').slice(0, 2).join('.')}.${base64url.encode(new Uint8Array(32))}`;
    expect((await getStatus(app(), session.sessionId, forged)).body).toEqual({ code: 'auth_failed' });
    expect((await getStatus(app(), 'ses_AAAAAAAAAAAAAAAAAAAAAA', setup.config.apiKey)).body).toEqual({ code: 'session_not_found' });
    // A body that is not sealed evidence is refused in the upload protocol's shape.
    const wrongType = await app().inject({
      method: 'POST', url: `/sessions/${session.sessionId}/evidence`,
      headers: { authorization: `Bearer ${session.clientToken}`, 'content-type': 'application/xml', 'idempotency-key': 'a'.repeat(64) }, payload: '<x/>',
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json()).toEqual({ type: 'ekyc.evidence.error', version: 1, code: 'evidence_upload_invalid' });
  });
});

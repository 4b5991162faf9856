/**
 * Storage on both databases: migrations, the atomic single-use nonce under concurrency, key
 * binding, the SQL chunk store behind core's ChunkAssembler, idempotent decisions; and the
 * at-rest crypto (envelope, KEK rotation, peppered hashes).
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ChunkAssembler, createSessionSigner, generateNonce, planChunks, sealedEvidenceId, verifyEvidence } from '@ekyc/core';
import { exportJWK, generateKeyPair } from 'jose';
import { buildSealedBundle } from '../testing/fixtures.ts';
import { SqlNonceStore } from './nonce-store.ts';
import { importKek, openEnvelope, rewrapDataKey, sealEnvelope } from '../crypto/envelope.ts';
import { hashDocumentNumber, parsePepper } from '../crypto/pepper.ts';
import { migrate } from '../db/migrate.ts';
import { DEFAULT_SESSION_CONFIG } from '../session-config.ts';
import { TEST_DATABASES, useMigratedDatabase } from '../testing/databases.ts';
import { SqlChunkStore } from './chunk-store.ts';
import { NonceConsumeError, consumeNonce } from './session-store.ts';

const secret = (): string => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(32))).toString('base64url');

describe.each(TEST_DATABASES)('storage on %s', (kind) => {
  const setup = useMigratedDatabase(kind);
  const { skip } = setup;

  const newSession = async (ttlMs = 60_000) => {
    const id = `ses_${secret().slice(0, 22)}`;
    const nonce = generateNonce();
    const now = new Date();
    await setup.store.createSession({ id, nonce, createdAt: now, expiresAt: new Date(now.getTime() + ttlMs), config: DEFAULT_SESSION_CONFIG, integratorReference: null });
    return { id, nonce };
  };

  it.skipIf(skip)('migrates once: a second run applies nothing', async () => {
    const again = await migrate(setup.db);
    expect(again.applied).toEqual([]);
    // The newest migration file's version (other issues add files; this test is about "once").
    const versions = readdirSync(new URL('../../migrations/', import.meta.url)).map((file) => Number.parseInt(file, 10));
    expect(again.to).toBe(Math.max(...versions));
  });

  it.skipIf(skip)('consumes a nonce exactly once under 12 concurrent attempts', async () => {
    const { id, nonce } = await newSession();
    const results = await Promise.all(Array.from({ length: 12 }, () => setup.db.transaction((tx) => consumeNonce(tx, nonce, id, new Date())).then(() => 'consumed', (error: unknown) => (error as NonceConsumeError).refusal)));
    expect(results.filter((r) => r === 'consumed')).toHaveLength(1);
    expect(results.filter((r) => r === 'replayed')).toHaveLength(11);
    expect((await setup.store.getSession(id))?.status).toBe('received');
  });

  it.skipIf(skip)('refuses unknown, foreign and expired nonces without consuming them', async () => {
    const a = await newSession();
    const b = await newSession(1);
    const refusal = (nonce: string, id: string) => setup.db.transaction((tx) => consumeNonce(tx, nonce, id, new Date(Date.now() + 10))).then(() => 'consumed', (error: unknown) => (error as NonceConsumeError).refusal);
    expect(await refusal(generateNonce(), a.id)).toBe('unknown');
    expect(await refusal(a.nonce, b.id)).toBe('session_mismatch');
    expect(await refusal(b.nonce, b.id)).toBe('expired');
    expect(await refusal(a.nonce, a.id)).toBe('consumed');
  });

  it.skipIf(skip)('binds one signing key per session', async () => {
    const { id } = await newSession();
    const [key, other] = [(await createSessionSigner()).publicKeyJwk, (await createSessionSigner()).publicKeyJwk];
    expect(await setup.store.bindSigningKey(id, key, new Date())).toBe('bound');
    expect(await setup.store.bindSigningKey(id, key, new Date())).toBe('already_bound');
    expect(await setup.store.bindSigningKey(id, other, new Date())).toBe('conflict');
    expect(await setup.store.bindSigningKey('ses_missing_missing_missin', key, new Date())).toBe('not_found');
    expect((await setup.store.getSession(id))?.signingKey).toEqual(key);
  });

  it.skipIf(skip)('reassembles chunks through core ChunkAssembler on the SQL store, in any order, with limits', async () => {
    const chunkStore = new SqlChunkStore(setup.db);
    const assembler = new ChunkAssembler({ maxTotalBytes: 1 << 20, maxChunkBytes: 4096, store: chunkStore });
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(10_000));
    const key = await sealedEvidenceId(bytes);
    const spans = planChunks(bytes.byteLength, 4096);
    const answers = await Promise.all([2, 0].map((index) => assembler.accept({ key, index, count: spans.length, totalBytes: bytes.byteLength, bytes: bytes.subarray(spans[index]!.start, spans[index]!.end) })));
    expect(answers.every((a) => a.status === 'partial')).toBe(true);
    expect(await chunkStore.totals()).toEqual({ uploads: 1, bytes: 4096 + (10_000 - 8192) });
    const done = await assembler.accept({ key, index: 1, count: spans.length, totalBytes: bytes.byteLength, bytes: bytes.subarray(spans[1]!.start, spans[1]!.end) });
    expect(done.status).toBe('complete');
    expect(done.status === 'complete' && Buffer.from(done.sealed).equals(Buffer.from(bytes))).toBe(true);
    expect(await chunkStore.totals()).toEqual({ uploads: 0, bytes: 0 });
    // A chunk disagreeing with the upload's announced shape is refused.
    await assembler.accept({ key, index: 0, count: 3, totalBytes: 10_000, bytes: bytes.subarray(0, 4096) });
    await expect(assembler.accept({ key, index: 1, count: 4, totalBytes: 10_000, bytes: bytes.subarray(0, 4096) })).rejects.toMatchObject({ code: 'evidence_upload_invalid' });
    expect(await chunkStore.deleteIdleSince(Date.now() + 1)).toBe(1);
  });

  it.skipIf(skip)('serves core verifyEvidence as its NonceStore: lookup before decryption, consume once', async () => {
    const nonces = new SqlNonceStore(setup.db, { ttlMs: 60_000, config: DEFAULT_SESSION_CONFIG });
    const keys = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
    const verifierKey = await exportJWK(keys.publicKey);
    const sessionId = `ses_${secret().slice(0, 22)}`;
    const { nonce } = await nonces.issue(sessionId);
    expect(await nonces.lookup(nonce, sessionId)).toMatchObject({ status: 'valid' });
    const signer = await createSessionSigner();
    const { sealed } = await buildSealedBundle({ session: { sessionId, nonce, verifierKey, clientToken: '', expiresAt: '', config: DEFAULT_SESSION_CONFIG }, signer });
    const verified = await verifyEvidence(sealed, { decryptionKey: keys.privateKey, nonceStore: nonces });
    expect(verified.bundle.manifest.session.id).toBe(sessionId);
    await expect(verifyEvidence(sealed, { decryptionKey: keys.privateKey, nonceStore: nonces })).rejects.toMatchObject({ code: 'evidence_nonce_replayed' });
    expect(await nonces.lookup(nonce, 'ses_other')).toEqual({ status: 'session_mismatch' });
  });

  it.skipIf(skip)('finds sessions by document number across a pepper rotation, from hashes only', async () => {
    const oldPepper = parsePepper('pepper-old', secret());
    const newPepper = parsePepper('pepper-new', secret());
    const a = await newSession();
    const b = await newSession();
    const decision = (sessionId: string) => ({ sessionId, decidedAt: new Date(), outcome: 'review' as const, score: 60, reasonCodes: [], record: {} });
    await setup.store.saveDecision(decision(a.id), { hash: hashDocumentNumber('X1234567', oldPepper, 'UTO'), pepperId: oldPepper.id });
    await setup.store.saveDecision(decision(b.id), { hash: hashDocumentNumber('X1234567', newPepper, 'UTO'), pepperId: newPepper.id });
    const peppers = new Map([[oldPepper.id, oldPepper], [newPepper.id, newPepper]]);
    const found = await setup.store.sessionsWithDocumentHash([...peppers.values()], (id) => hashDocumentNumber('x1234567', peppers.get(id)!, 'UTO'));
    expect(found).toEqual([a.id, b.id]);
    expect(await setup.store.sessionsWithDocumentHash([newPepper], (id) => hashDocumentNumber('X1234567', peppers.get(id)!, 'UTO'))).toEqual([b.id]);
    expect(await setup.store.sessionsWithDocumentHash([...peppers.values()], (id) => hashDocumentNumber('X7654321', peppers.get(id)!, 'UTO'))).toEqual([]);
  });

  it.skipIf(skip)('re-wraps stored data keys under a new KEK without touching the ciphertext (rotation)', async () => {
    const old = await importKek('kek-old', secret());
    const next = await importKek('kek-new', secret());
    const { id, nonce } = await newSession();
    const aad = `ekyc-evidence:${id}:k`;
    const envelope = await sealEnvelope(new TextEncoder().encode('container'), old, aad);
    await setup.store.acceptEvidence({ idempotencyKey: 'k'.repeat(64), sessionId: id, receivedAt: new Date(), sealedBytes: 9, envelope }, nonce, async () => undefined);
    const keks = new Map([[old.id, old], [next.id, next]]);
    const count = await setup.store.rewrapEvidenceKeys((kekId, wrappedKey) => rewrapDataKey({ kekId, wrappedKey }, keks, next), next.id, 1);
    expect(count).toBeGreaterThanOrEqual(1);
    const stored = (await setup.store.loadEvidence(id))!;
    expect(stored.envelope.kekId).toBe('kek-new');
    expect(Buffer.from(stored.envelope.ciphertext).equals(Buffer.from(envelope.ciphertext))).toBe(true);
    // The old KEK is no longer needed.
    expect(new TextDecoder().decode(await openEnvelope(stored.envelope, new Map([[next.id, next]]), aad))).toBe('container');
  });

  it.skipIf(skip)('records a decision once (a retried job changes nothing)', async () => {
    const { id } = await newSession();
    const decision = { sessionId: id, decidedAt: new Date(), outcome: 'review' as const, score: 70, reasonCodes: ['sanctions_missing'], record: { weights: {} } };
    expect(await setup.store.saveDecision(decision, { hash: 'f'.repeat(64), pepperId: 'p1' })).toBe(true);
    expect(await setup.store.saveDecision({ ...decision, outcome: 'approve', score: 99 }, null)).toBe(false);
    expect(await setup.store.getDecision(id)).toMatchObject({ outcome: 'review', score: 70, reasonCodes: ['sanctions_missing'] });
    expect(await setup.store.getDocumentHash(id)).toEqual({ hash: 'f'.repeat(64), pepperId: 'p1' });
  });
});

describe('at-rest crypto', () => {
  it('envelope-encrypts with a per-bundle key wrapped by the KEK, bound to its session; an old KEK still opens after rotation', async () => {
    const kek1 = await importKek('kek-1', secret());
    const kek2 = await importKek('kek-2', secret());
    const plaintext = new TextEncoder().encode('EKB1 container bytes');
    const envelope = await sealEnvelope(plaintext, kek1, 'ekyc-evidence:s1:k1');
    expect(Buffer.from(envelope.ciphertext).includes(Buffer.from('EKB1'))).toBe(false);
    const again = await sealEnvelope(plaintext, kek1, 'ekyc-evidence:s1:k1');
    expect(Buffer.from(again.wrappedKey).equals(Buffer.from(envelope.wrappedKey))).toBe(false);
    const rotated = new Map([[kek2.id, kek2], [kek1.id, kek1]]);
    expect(new TextDecoder().decode(await openEnvelope(envelope, rotated, 'ekyc-evidence:s1:k1'))).toBe('EKB1 container bytes');
    await expect(openEnvelope(envelope, new Map([[kek2.id, kek2]]), 'ekyc-evidence:s1:k1')).rejects.toMatchObject({ code: 'evidence_decrypt_failed' });
    await expect(openEnvelope(envelope, rotated, 'ekyc-evidence:s2:k1')).rejects.toMatchObject({ code: 'evidence_decrypt_failed' });
    await expect(openEnvelope({ ...envelope, kekId: 'kek-1', wrappedKey: again.wrappedKey }, rotated, 'ekyc-evidence:s1:k1')).rejects.toMatchObject({ code: 'evidence_decrypt_failed' });
  });

  it('hashes document numbers with a pepper: stable under formatting, different per pepper and per issuing state', () => {
    const p1 = parsePepper('p1', secret());
    const p2 = parsePepper('p2', secret());
    const hash = hashDocumentNumber('L898902C3', p1, 'UTO');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashDocumentNumber('l898902c3<<', p1, 'uto')).toBe(hash);
    expect(hashDocumentNumber('L898902C3', p2, 'UTO')).not.toBe(hash);
    expect(hashDocumentNumber('L898902C3', p1, 'D<<')).not.toBe(hash);
    expect(() => parsePepper('short', 'AAAA')).toThrow(/16 bytes/);
  });
});

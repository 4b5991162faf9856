import { CompactEncrypt, base64url, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { EkycError, type EkycErrorCode } from '../errors.ts';
import { buildEvidence } from './builder.ts';
import { encodeContainer } from './container.ts';
import { MemoryNonceStore } from './nonce-store.ts';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import type { EvidenceBundle, EvidenceManifest } from './schema.ts';
import { openEvidence, readSealedHeader, sealEvidence } from './seal.ts';
import { createSessionSigner } from './signer.ts';
import { verifyBundleIntegrity, verifyEvidence } from './verify.ts';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const NOW = new Date('2025-03-01T10:05:00.000Z');

let verifierKeys: { publicKey: CryptoKey; privateKey: CryptoKey };

beforeAll(async () => {
  verifierKeys = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
});

async function issuedBundle(store: MemoryNonceStore, sessionId = 'sess-1'): Promise<EvidenceBundle> {
  const { nonce } = await store.issue(sessionId);
  return buildEvidence(await createSampleEvidenceInput({ sessionId, nonce, startedAt: T0 }), await createSessionSigner());
}

async function expectCode(promise: Promise<unknown>, code: EkycErrorCode): Promise<void> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EkycError);
  expect((error as EkycError).code).toBe(code);
}

/** Re-signs a manifest with a fresh session key, as an attacker holding no secret could. */
async function resigned(bundle: EvidenceBundle, edit: (manifest: EvidenceManifest) => void): Promise<EvidenceBundle> {
  const manifest = structuredClone(bundle.manifest);
  edit(manifest);
  const signer = await createSessionSigner();
  manifest.signer.publicKeyJwk = signer.publicKeyJwk;
  return { manifest, signature: await signer.signCanonical(manifest), artifacts: bundle.artifacts };
}

describe('verifyEvidence', () => {
  it('round-trips: build, sign, seal, then decrypt and verify everything', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const sealed = await sealEvidence(bundle, verifierKeys.publicKey);
    const verified = await verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW });
    expect(verified.bundle.manifest).toEqual(bundle.manifest);
    expect([...verified.bundle.artifacts.keys()]).toEqual(bundle.manifest.artifacts.map((a) => a.id));
    for (const [id, data] of bundle.artifacts) expect(verified.bundle.artifacts.get(id)).toEqual(data);
    expect(verified.nonceIssuedAt).toBe(T0.toISOString());
  });

  it('sealed bytes reveal only the algorithms and the verifier-issued session id and nonce', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const sealed = await sealEvidence(bundle, verifierKeys.publicKey);
    const text = new TextDecoder().decode(sealed);
    const header = JSON.parse(new TextDecoder().decode(base64url.decode(text.split('.')[0]!))) as Record<string, unknown>;
    expect(Object.keys(header).sort()).toEqual(['alg', 'cty', 'ekyc_nonce', 'ekyc_sid', 'enc', 'epk']);
    expect(header).toMatchObject({ ekyc_sid: 'sess-1', ekyc_nonce: bundle.manifest.session.nonce });
    expect(readSealedHeader(sealed)).toEqual({ sessionId: 'sess-1', nonce: bundle.manifest.session.nonce });
    for (const needle of ['Integrated Camera', 'consent', 'ES256']) expect(text).not.toContain(needle);
  });

  // Found by attack: the nonce was consumed before the start-time check, so the corrected bundle
  // was refused as a replay.
  it('a bundle failing the start-time check does not burn its nonce: the corrected one verifies', async () => {
    const issuedAt = new Date(T0.getTime() + 3_600_000);
    const store = new MemoryNonceStore({ now: () => issuedAt });
    const { nonce } = await store.issue('sess-1');
    const options = { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: new Date(issuedAt.getTime() + 600_000) };
    const early = await buildEvidence(await createSampleEvidenceInput({ sessionId: 'sess-1', nonce, startedAt: T0 }), await createSessionSigner());
    await expectCode(verifyEvidence(await sealEvidence(early, verifierKeys.publicKey), options), 'evidence_timestamp_invalid');
    const corrected = await buildEvidence(await createSampleEvidenceInput({ sessionId: 'sess-1', nonce, startedAt: issuedAt }), await createSessionSigner());
    const verified = await verifyEvidence(await sealEvidence(corrected, verifierKeys.publicKey), options);
    expect(verified.nonceIssuedAt).toBe(issuedAt.toISOString());
  });

  // Found by attack: a made-up nonce was refused only after decrypting the whole bundle.
  it('refuses an unknown, foreign-session or used nonce before any decryption', async () => {
    const issuer = new MemoryNonceStore({ now: () => T0 });
    const sealed = await sealEvidence(await issuedBundle(issuer), verifierKeys.publicKey);
    const deriveBits = vi.spyOn(globalThis.crypto.subtle, 'deriveBits');
    const decrypt = vi.spyOn(globalThis.crypto.subtle, 'decrypt');
    try {
      // A wrong decryption key would fail decryption: the nonce refusal comes first.
      const wrong = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
      await expectCode(verifyEvidence(sealed, { decryptionKey: wrong.privateKey, nonceStore: new MemoryNonceStore(), now: NOW }), 'evidence_nonce_mismatch');
      await expectCode(verifyEvidence(sealed, { decryptionKey: wrong.privateKey, nonceStore: issuer, now: NOW, expectedSessionId: 'sess-9' }), 'evidence_nonce_mismatch');
      expect(deriveBits).not.toHaveBeenCalled();
      expect(decrypt).not.toHaveBeenCalled();
      await verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: issuer, now: NOW });
      const calls = decrypt.mock.calls.length;
      await expectCode(verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: issuer, now: NOW }), 'evidence_nonce_replayed');
      expect(decrypt.mock.calls.length).toBe(calls);
    } finally {
      deriveBits.mockRestore();
      decrypt.mockRestore();
    }
  });

  it('requires the sealed header to carry the session and nonce, and to match the manifest', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const { nonce: otherNonce } = await store.issue('sess-2');
    const sealWith = async (extra: Record<string, string>): Promise<Uint8Array> => new TextEncoder().encode(
      await new CompactEncrypt(encodeContainer(bundle))
        .setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'application/vnd.ekyc.evidence+ekb1', ...extra })
        .encrypt(verifierKeys.publicKey),
    );
    const options = { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW };
    await expectCode(verifyEvidence(await sealWith({}), options), 'evidence_nonce_mismatch');
    // Re-sealed by someone holding only the public key, naming another issued nonce: caught after decryption.
    await expectCode(verifyEvidence(await sealWith({ ekyc_sid: 'sess-2', ekyc_nonce: otherNonce }), options), 'evidence_nonce_mismatch');
    await expectCode(openEvidence(await sealWith({ ekyc_sid: 'sess-2', ekyc_nonce: otherNonce }), verifierKeys.privateKey), 'evidence_nonce_mismatch');
    // Neither attempt consumed anything.
    expect((await store.lookup(otherNonce, 'sess-2')).status).toBe('valid');
    await verifyEvidence(await sealEvidence(bundle, verifierKeys.publicKey), options);
  });

  it('lookup reports without consuming', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const { nonce } = await store.issue('sess-1');
    expect(await store.lookup(nonce, 'sess-1')).toMatchObject({ status: 'valid', issued: { nonce, sessionId: 'sess-1' } });
    expect(await store.lookup(nonce, 'sess-2')).toEqual({ status: 'session_mismatch' });
    expect(await store.lookup('x'.repeat(43), 'sess-1')).toEqual({ status: 'unknown' });
    expect((await store.consume(nonce, 'sess-1')).status).toBe('consumed');
    expect(await store.lookup(nonce, 'sess-1')).toEqual({ status: 'replayed' });
    const [a, b] = await Promise.all([store.issue('s').then(({ nonce: n }) => Promise.all([store.consume(n, 's'), store.consume(n, 's')]))]).then(([pair]) => pair);
    expect([a.status, b.status].sort()).toEqual(['consumed', 'replayed']);
  });

  it('detects a replayed bundle (nonce used twice)', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const sealed = await sealEvidence(await issuedBundle(store), verifierKeys.publicKey);
    const options = { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW };
    await verifyEvidence(sealed, options);
    await expectCode(verifyEvidence(sealed, options), 'evidence_nonce_replayed');
  });

  it('rejects a nonce the verifier never issued, or issued for another session', async () => {
    const issuer = new MemoryNonceStore({ now: () => T0 });
    const sealed = await sealEvidence(await issuedBundle(issuer), verifierKeys.publicKey);
    const otherStore = new MemoryNonceStore({ now: () => T0 });
    await expectCode(verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: otherStore, now: NOW }), 'evidence_nonce_mismatch');
    await expectCode(
      verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: issuer, now: NOW, expectedNonce: 'A'.repeat(43) }),
      'evidence_nonce_mismatch',
    );
    const { nonce } = await issuer.issue('sess-2');
    const bundle = await buildEvidence(await createSampleEvidenceInput({ sessionId: 'sess-3', nonce, startedAt: T0 }), await createSessionSigner());
    await expectCode(
      verifyEvidence(await sealEvidence(bundle, verifierKeys.publicKey), { decryptionKey: verifierKeys.privateKey, nonceStore: issuer, now: NOW }),
      'evidence_nonce_mismatch',
    );
  });

  it('rejects an expired nonce and a session that predates its nonce', async () => {
    let clock = T0;
    const store = new MemoryNonceStore({ now: () => clock, ttlMs: 60_000 });
    const sealed = await sealEvidence(await issuedBundle(store), verifierKeys.publicKey);
    clock = new Date(T0.getTime() + 120_000);
    await expectCode(verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW }), 'evidence_timestamp_invalid');

    const late = new MemoryNonceStore({ now: () => new Date(T0.getTime() + 3_600_000) });
    const { nonce } = await late.issue('sess-1');
    const early = await buildEvidence(await createSampleEvidenceInput({ sessionId: 'sess-1', nonce, startedAt: T0 }), await createSessionSigner());
    await expectCode(
      verifyEvidence(await sealEvidence(early, verifierKeys.publicKey), { decryptionKey: verifierKeys.privateKey, nonceStore: late, now: new Date(T0.getTime() + 3_700_000) }),
      'evidence_timestamp_invalid',
    );
  });

  it('fails to decrypt with the wrong verifier key and does not burn the nonce', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const sealed = await sealEvidence(await issuedBundle(store), verifierKeys.publicKey);
    const wrong = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
    await expectCode(verifyEvidence(sealed, { decryptionKey: wrong.privateKey, nonceStore: store, now: NOW }), 'evidence_decrypt_failed');
    await verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW });
  });

  it('reports truncated sealed evidence at any cut point', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const sealed = await sealEvidence(await issuedBundle(store), verifierKeys.publicKey);
    const headerEnd = new TextDecoder().decode(sealed).indexOf('.');
    for (const keep of [headerEnd, headerEnd + 1, headerEnd + 30, Math.floor(sealed.byteLength / 2), sealed.byteLength - 23, sealed.byteLength - 1]) {
      await expectCode(openEvidence(sealed.subarray(0, keep), verifierKeys.privateKey), 'evidence_truncated');
    }
  });

  it('tells bytes that are no JWE at all from a cut JWE', async () => {
    for (const junk of ['', 'hello', 'a.b.c', '{"alg":"none"}']) {
      await expectCode(openEvidence(new TextEncoder().encode(junk), verifierKeys.privateKey), 'evidence_decrypt_failed');
    }
  });

  it('rejects oversized evidence on both sides', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    await expectCode(sealEvidence(bundle, verifierKeys.publicKey, { maxSealedBytes: 10_000 }), 'evidence_too_large');
    const sealed = await sealEvidence(bundle, verifierKeys.publicKey);
    await expectCode(
      verifyEvidence(sealed, { decryptionKey: verifierKeys.privateKey, nonceStore: store, now: NOW, maxSealedBytes: sealed.byteLength - 1 }),
      'evidence_too_large',
    );
  });

  it('detects edits re-signed with a fresh session key through the chain and artifact hashes', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const editedEvent = await resigned(bundle, (m) => { m.events[2]!.data = { ...m.events[2]!.data, kind: 'portrait' }; });
    await expectCode(verifyBundleIntegrity(editedEvent, { now: NOW }), 'evidence_chain_broken');
    const droppedEvent = await resigned(bundle, (m) => { m.events.splice(3, 1); m.chain.length -= 1; });
    await expectCode(verifyBundleIntegrity(droppedEvent, { now: NOW }), 'evidence_chain_broken');
    const otherNonce = await resigned(bundle, (m) => { m.session.nonce = 'B'.repeat(43); });
    await expectCode(verifyBundleIntegrity(otherNonce, { now: NOW }), 'evidence_chain_broken');
    const swappedHash = await resigned(bundle, (m) => { m.artifacts[1]!.sha256 = 'd'.repeat(64); });
    await expectCode(verifyBundleIntegrity(swappedHash, { now: NOW }), 'evidence_hash_mismatch');
  });

  it('detects a replaced artifact and a signature from another key', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const artifacts = new Map(bundle.artifacts);
    const portraitId = bundle.manifest.artifacts[1]!.id;
    const replaced = new Uint8Array(artifacts.get(portraitId)!);
    replaced[0] = (replaced[0]! + 1) % 256;
    artifacts.set(portraitId, replaced);
    await expectCode(verifyBundleIntegrity({ ...bundle, artifacts }, { now: NOW }), 'evidence_hash_mismatch');

    const foreign = await (await createSessionSigner()).signCanonical(bundle.manifest);
    await expectCode(verifyBundleIntegrity({ ...bundle, signature: foreign }, { now: NOW }), 'evidence_signature_invalid');
  });

  it('checks timestamps: out-of-order events, stale and future bundles', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    await expectCode(verifyBundleIntegrity(bundle, { now: new Date(T0.getTime() + 8 * 24 * 3_600_000) }), 'evidence_timestamp_invalid');
    await expectCode(verifyBundleIntegrity(bundle, { now: new Date(T0.getTime() - 3_600_000) }), 'evidence_timestamp_invalid');
    const outside = await resigned(bundle, (m) => { m.consent.grantedAt = '2025-02-28T10:00:00.000Z'; });
    await expectCode(verifyBundleIntegrity(outside, { now: NOW }), 'evidence_timestamp_invalid');
  });

  it('rejects a container with trailing bytes or a foreign magic', async () => {
    const store = new MemoryNonceStore({ now: () => T0 });
    const bundle = await issuedBundle(store);
    const container = encodeContainer(bundle);
    const seal = async (bytes: Uint8Array): Promise<Uint8Array> => new TextEncoder().encode(
      await new CompactEncrypt(bytes).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM', cty: 'application/vnd.ekyc.evidence+ekb1' }).encrypt(verifierKeys.publicKey),
    );
    const trailing = new Uint8Array(container.byteLength + 1);
    trailing.set(container);
    await expectCode(openEvidence(await seal(trailing), verifierKeys.privateKey), 'evidence_schema_invalid');
    const foreign = container.slice();
    foreign[0] = 0;
    await expectCode(openEvidence(await seal(foreign), verifierKeys.privateKey), 'evidence_schema_invalid');
    await expectCode(openEvidence(await seal(container.subarray(0, container.byteLength - 1)), verifierKeys.privateKey), 'evidence_truncated');
  });
});

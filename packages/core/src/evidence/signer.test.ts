import { afterEach, describe, expect, it, vi } from 'vitest';
import { EkycError } from '../errors.ts';
import { createSessionSigner, verifyCanonicalSignature } from './signer.ts';

// The platform (WebCrypto) is the I/O boundary faked here: a browser can reject any call, e.g.
// when a key is unusable or the crypto backend fails. Every such failure must come out typed.
async function errorOf(promise: Promise<unknown>): Promise<EkycError> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(EkycError);
  return error as EkycError;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('session signer', () => {
  it('signs and verifies over JCS', async () => {
    const signer = await createSessionSigner();
    const jws = await signer.signCanonical({ b: 2, a: 1 });
    await verifyCanonicalSignature({ a: 1, b: 2 }, jws, signer.publicKeyJwk);
    expect((await errorOf(verifyCanonicalSignature({ a: 1, b: 3 }, jws, signer.publicKeyJwk))).code).toBe('evidence_signature_invalid');
  });

  // Found by reading: a non-jose failure during verification was rethrown untyped. Here WebCrypto
  // hands back a key jose cannot use for ES256 (jose throws a plain TypeError).
  it('a non-jose failure while verifying is evidence_signature_invalid, with its cause', async () => {
    const signer = await createSessionSigner();
    const jws = await signer.signCanonical({ a: 1 });
    const unusable = await globalThis.crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    vi.spyOn(globalThis.crypto.subtle, 'importKey').mockResolvedValue(unusable);
    const error = await errorOf(verifyCanonicalSignature({ a: 1 }, jws, signer.publicKeyJwk));
    expect(error.code).toBe('evidence_signature_invalid');
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(error.details).toEqual({ reason: 'platform_error' });
  });

  it('a platform failure while creating a key or signing is runtime_unavailable', async () => {
    const signer = await createSessionSigner();
    vi.spyOn(globalThis.crypto.subtle, 'sign').mockRejectedValue(new DOMException('no', 'OperationError'));
    expect((await errorOf(signer.signCanonical({ a: 1 }))).code).toBe('runtime_unavailable');
    vi.spyOn(globalThis.crypto.subtle, 'generateKey').mockRejectedValue(new DOMException('no', 'NotSupportedError'));
    expect((await errorOf(createSessionSigner())).code).toBe('runtime_unavailable');
  });

  it('a value that has no JSON form stays evidence_schema_invalid', async () => {
    const signer = await createSessionSigner();
    expect((await errorOf(signer.signCanonical({ a: Number.NaN }))).code).toBe('evidence_schema_invalid');
  });
});

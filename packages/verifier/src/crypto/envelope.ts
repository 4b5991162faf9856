/**
 * Evidence at rest: each bundle is encrypted with its own random AES-256-GCM data key, and only
 * that key, wrapped (AES-KW) by a key-encryption key from the environment, is stored beside it.
 * Rotating the KEK re-wraps data keys without touching the ciphertext; destroying a data key
 * disposes of one bundle.
 */
import { EkycError } from '@ekyc/core';

export interface KeyEncryptionKey {
  id: string;
  key: CryptoKey;
}

export interface Envelope {
  kekId: string;
  wrappedKey: Uint8Array;
  iv: Uint8Array;
  ciphertext: Uint8Array;
}

const subtle = globalThis.crypto.subtle;

/** Imports a 32-byte KEK given as base64url. */
export async function importKek(id: string, base64url: string): Promise<KeyEncryptionKey> {
  const raw = Buffer.from(base64url, 'base64url');
  if (raw.byteLength !== 32) throw new EkycError('invalid_argument', 'A key-encryption key is 32 bytes of base64url.', { details: { id, bytes: raw.byteLength } });
  return { id, key: await subtle.importKey('raw', raw, { name: 'AES-KW' }, false, ['wrapKey', 'unwrapKey']) };
}

export async function sealEnvelope(plaintext: Uint8Array, kek: KeyEncryptionKey, aad: string): Promise<Envelope> {
  const dataKey = await subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(aad) }, dataKey, plaintext as Uint8Array<ArrayBuffer>));
  const wrappedKey = new Uint8Array(await subtle.wrapKey('raw', dataKey, kek.key, { name: 'AES-KW' }));
  return { kekId: kek.id, wrappedKey, iv, ciphertext };
}

/** `keks` holds the current KEK and any older ones still wrapping stored data keys. */
export async function openEnvelope(envelope: Envelope, keks: ReadonlyMap<string, KeyEncryptionKey>, aad: string): Promise<Uint8Array> {
  const kek = keks.get(envelope.kekId);
  if (kek === undefined) throw new EkycError('evidence_decrypt_failed', 'Stored evidence is wrapped by an unknown key-encryption key.', { details: { kekId: envelope.kekId } });
  try {
    const dataKey = await subtle.unwrapKey('raw', envelope.wrappedKey as Uint8Array<ArrayBuffer>, kek.key, { name: 'AES-KW' }, { name: 'AES-GCM' }, false, ['decrypt']);
    return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: envelope.iv as Uint8Array<ArrayBuffer>, additionalData: new TextEncoder().encode(aad) }, dataKey, envelope.ciphertext as Uint8Array<ArrayBuffer>));
  } catch (cause) {
    throw new EkycError('evidence_decrypt_failed', 'Stored evidence could not be decrypted.', { cause, details: { kekId: envelope.kekId } });
  }
}

/** Re-wraps a stored data key under another KEK; the ciphertext is untouched. */
export async function rewrapDataKey(envelope: Pick<Envelope, 'kekId' | 'wrappedKey'>, keks: ReadonlyMap<string, KeyEncryptionKey>, to: KeyEncryptionKey): Promise<Uint8Array> {
  const from = keks.get(envelope.kekId);
  if (from === undefined) throw new EkycError('evidence_decrypt_failed', 'Stored evidence is wrapped by an unknown key-encryption key.', { details: { kekId: envelope.kekId } });
  try {
    const dataKey = await subtle.unwrapKey('raw', envelope.wrappedKey as Uint8Array<ArrayBuffer>, from.key, { name: 'AES-KW' }, { name: 'AES-GCM' }, true, ['decrypt']);
    return new Uint8Array(await subtle.wrapKey('raw', dataKey, to.key, { name: 'AES-KW' }));
  } catch (cause) {
    throw new EkycError('evidence_decrypt_failed', 'A stored data key could not be unwrapped.', { cause, details: { kekId: envelope.kekId } });
  }
}

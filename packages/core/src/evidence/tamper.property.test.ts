/**
 * Property-based tests: random bundles round-trip; every single-byte change of the sealed
 * bytes and every single-field change of the decrypted bundle (re-sealed to the verifier's
 * public key, as anyone can) is detected with an evidence_* error.
 */
import fc from 'fast-check';
import { generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { EkycError } from '../errors.ts';
import { buildEvidence } from './builder.ts';
import { generateNonce } from './nonce-store.ts';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import type { EvidenceBundle, EvidenceManifest } from './schema.ts';
import { openEvidence, sealEvidence } from './seal.ts';
import { createSessionSigner } from './signer.ts';
import { verifyBundleIntegrity } from './verify.ts';

const T0 = new Date('2025-03-01T10:00:00.000Z');
const NOW = new Date('2025-03-01T10:05:00.000Z');

let keys: { publicKey: CryptoKey; privateKey: CryptoKey };
let bundle: EvidenceBundle;
let sealed: Uint8Array;

beforeAll(async () => {
  keys = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256' });
  const input = await createSampleEvidenceInput({ sessionId: 'prop-session', nonce: generateNonce(), startedAt: T0, artifactBytes: [300, 200, 100], eventCount: 3 });
  bundle = await buildEvidence(input, await createSessionSigner());
  sealed = await sealEvidence(bundle, keys.publicKey);
});

async function openAndVerify(bytes: Uint8Array): Promise<EvidenceBundle> {
  const opened = await openEvidence(bytes, keys.privateKey);
  await verifyBundleIntegrity(opened, { now: NOW });
  return opened;
}

async function rejection(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof EkycError)) throw new Error(`expected an EkycError, got ${String(error)}`);
  return error.code;
}

type Leaf = { path: (string | number)[]; value: string | number | boolean | null };

function leaves(value: unknown, path: (string | number)[] = []): Leaf[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
  return [{ path, value: value as Leaf['value'] }];
}

function changed(value: Leaf['value'], salt: number): Leaf['value'] {
  if (typeof value === 'string') {
    if (value.length === 0) return 'x';
    const index = salt % value.length;
    const replacement = value[index] === 'a' ? 'b' : 'a';
    return value.slice(0, index) + replacement + value.slice(index + 1);
  }
  if (typeof value === 'number') return value + 1 + (salt % 3);
  if (typeof value === 'boolean') return !value;
  return salt % 2 === 0 ? 0 : 'x';
}

function setAt(root: unknown, path: (string | number)[], value: unknown): void {
  let node = root as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1];
  if (last === undefined) throw new Error('empty path');
  node[last] = value;
}

describe('evidence properties', () => {
  it('random bundles round-trip through seal, open and verify', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,40}$/),
        fc.array(fc.integer({ min: 0, max: 4_000 }), { minLength: 0, maxLength: 5 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        async (sessionId, artifactBytes, eventCount, seed) => {
          const input = await createSampleEvidenceInput({ sessionId, nonce: generateNonce(), startedAt: T0, artifactBytes, eventCount, seed });
          const built = await buildEvidence(input, await createSessionSigner());
          const opened = await openAndVerify(await sealEvidence(built, keys.publicKey));
          expect(opened.manifest).toEqual(built.manifest);
          expect(opened.signature).toBe(built.signature);
          for (const [id, data] of built.artifacts) expect(opened.artifacts.get(id)).toEqual(data);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('any single-byte change of the sealed bytes is detected', async () => {
    await openAndVerify(sealed);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: sealed.byteLength - 1 }), fc.integer({ min: 1, max: 255 }), async (position, delta) => {
        const tampered = sealed.slice();
        tampered[position] = (tampered[position]! + delta) % 256;
        const code = await rejection(openAndVerify(tampered));
        expect(code).toMatch(/^evidence_(decrypt_failed|truncated|schema_invalid)$/);
      }),
      { numRuns: 300 },
    );
  });

  it('a change in any unused bits of a base64url segment is detected', async () => {
    const text = new TextDecoder().decode(sealed);
    const segmentEnds = [...text.matchAll(/\./g)].map((match) => match.index - 1).concat(text.length - 1);
    for (const end of segmentEnds) {
      const tampered = sealed.slice();
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      tampered[end] = alphabet.charCodeAt(alphabet.indexOf(text[end]!) ^ 1);
      expect(await rejection(openAndVerify(tampered))).toMatch(/^evidence_/);
    }
  });

  it('any single-field change of the decrypted bundle is detected, even when re-sealed', async () => {
    const manifestLeaves = leaves(bundle.manifest);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: manifestLeaves.length - 1 }), fc.nat(), async (leafIndex, salt) => {
        const leaf = manifestLeaves[leafIndex]!;
        const manifest = structuredClone(bundle.manifest) as EvidenceManifest;
        setAt(manifest, leaf.path, changed(leaf.value, salt));
        const resealed = await sealEvidence({ ...bundle, manifest }, keys.publicKey).catch((e: unknown) => e);
        // A change the builder-side schema already refuses cannot even be sealed: detected.
        if (resealed instanceof EkycError) return;
        const code = await rejection(openAndVerify(resealed as Uint8Array));
        // Editing an artifact's recorded size shifts the container framing: truncated or trailing bytes.
        expect(code).toMatch(/^evidence_(signature_invalid|schema_invalid|truncated)$/);
      }),
      { numRuns: 300 },
    );
  });

  it('any single-byte change of an artifact or the signature is detected, even when re-sealed', async () => {
    const ids = bundle.manifest.artifacts.map((artifact) => artifact.id);
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: ids.length - 1 }), fc.nat(), fc.integer({ min: 1, max: 255 }), async (artifactIndex, position, delta) => {
        const id = ids[artifactIndex]!;
        const data = bundle.artifacts.get(id)!.slice();
        data[position % data.byteLength] = (data[position % data.byteLength]! + delta) % 256;
        const artifacts = new Map(bundle.artifacts).set(id, data);
        expect(await rejection(openAndVerify(await sealEvidence({ ...bundle, artifacts }, keys.publicKey)))).toBe('evidence_hash_mismatch');
      }),
      { numRuns: 100 },
    );
    // Exhaustive over the signature's characters: the last one carries unused bits, which a
    // lenient decoder would ignore.
    for (let position = 0; position < bundle.signature.length; position += 1) {
      const original = bundle.signature[position]!;
      if (original === '.') continue;
      const signature = bundle.signature.slice(0, position) + (original === 'A' ? 'B' : 'A') + bundle.signature.slice(position + 1);
      const code = await rejection(openAndVerify(await sealEvidence({ ...bundle, signature }, keys.publicKey)));
      expect(code).toMatch(/^evidence_(signature_invalid|schema_invalid)$/);
    }
  });
});

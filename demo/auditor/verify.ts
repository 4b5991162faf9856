/**
 * The auditor's verification: every check of docs/evidence.md run on its own with core's functions,
 * so a failure names exactly the check that failed instead of stopping at the first one
 * (`verifyEvidence` throws at the first failure, which is right for intake and wrong for review).
 * Checks that depend on an earlier one (nothing can be checked without a decrypted, well-formed
 * bundle) are `not_run`; checks this source cannot support (key binding without the verifier's
 * session record) are `not_checked`. Neither counts as a pass.
 */
import {
  DEFAULT_TIMESTAMP_POLICY, EkycError, decodeContainer, openEvidence, readSealedHeader, verifyArtifacts, verifyCanonicalSignature, verifyChain, verifyTimestamps,
  type EvidenceBundle, type SealedHeader,
} from '@ekyc/core';
import { compactDecrypt, importJWK } from 'jose';
import type { BundleSource } from './source.ts';

export type CheckStatus = 'pass' | 'fail' | 'not_run' | 'not_checked';

export type CheckId = 'decryption' | 'schema' | 'session_binding' | 'signature' | 'key_binding' | 'chain' | 'artifacts' | 'timestamps';

export interface CheckResult {
  id: CheckId;
  status: CheckStatus;
  /** The EkycError code of a failure. */
  code?: string;
  /** Why the check was not run or not checked, or what passed (ids, counts): never personal data. */
  note?: string;
  /** Per artifact, for the artifact check. */
  items?: { id: string; status: 'pass' | 'fail'; code?: string }[];
}

/** What the verifier knows about the session (auditor endpoint); absent for a bundle from a file. */
export interface SessionRecord {
  sessionId: string;
  /** The nonce the verifier issued; null when not known. */
  nonce: string | null;
  /** The signing public key the verifier bound to the session before intake; null when none or not known. */
  boundKey: { kty: string; crv: string; x: string; y: string } | null;
  receivedAt: string | null;
  /** The sealed bundle's JWE protected header as the verifier received it (base64url), when it kept it. */
  sealedHeader?: string | null;
  /** The session configuration the verifier judged by, when it says. */
  config?: Record<string, unknown> | null;
}

export interface VerificationReport {
  bundle: EvidenceBundle | null;
  header: SealedHeader | null;
  checks: CheckResult[];
  /** The time the age rule was checked against. */
  checkedAt: string;
}

export const CHECK_ORDER: readonly CheckId[] = ['decryption', 'schema', 'session_binding', 'signature', 'key_binding', 'chain', 'artifacts', 'timestamps'];

const codeOf = (error: unknown): string => (error instanceof EkycError ? error.code : 'unexpected');

async function attempt(run: () => Promise<void> | void): Promise<{ ok: true } | { ok: false; code: string }> {
  try {
    await run();
    return { ok: true };
  } catch (error) {
    if (!(error instanceof EkycError)) console.error('auditor check failed unexpectedly', error);
    return { ok: false, code: codeOf(error) };
  }
}

/**
 * When the protected header names another session or nonce than the manifest, `openEvidence`
 * refuses after decrypting; the auditor still shows the content (marked by the failed binding
 * check), so it decrypts the same way with jose and decodes the container with core.
 */
async function openDespiteBinding(sealed: Uint8Array, key: Parameters<typeof importJWK>[0]): Promise<EvidenceBundle> {
  const { plaintext } = await compactDecrypt(new TextDecoder().decode(sealed), await importJWK(key, 'ECDH-ES+A256KW'), {
    keyManagementAlgorithms: ['ECDH-ES+A256KW'], contentEncryptionAlgorithms: ['A256GCM'],
  });
  return decodeContainer(plaintext);
}

export async function verifyForAudit(source: BundleSource, options: { session?: SessionRecord | null; checkedAt: Date }): Promise<VerificationReport> {
  const checks = new Map<CheckId, CheckResult>();
  const set = (result: CheckResult): void => void checks.set(result.id, result);
  let bundle: EvidenceBundle | null = null;
  let header: SealedHeader | null = null;
  let headerBinding: 'pass' | 'fail' | null = null;

  if (source.kind === 'sealed') {
    try {
      header = readSealedHeader(source.sealed);
    } catch {
      header = null;
    }
    if (source.key === null) {
      set({ id: 'decryption', status: 'not_run', note: 'no_key' });
    } else {
      try {
        bundle = await openEvidence(source.sealed, source.key);
        set({ id: 'decryption', status: 'pass' });
        set({ id: 'schema', status: 'pass' });
        headerBinding = 'pass';
      } catch (error) {
        const code = codeOf(error);
        if (code === 'evidence_schema_invalid') {
          set({ id: 'decryption', status: 'pass' });
          set({ id: 'schema', status: 'fail', code });
        } else if (code === 'evidence_nonce_mismatch') {
          set({ id: 'decryption', status: 'pass' });
          set({ id: 'schema', status: 'pass' });
          headerBinding = 'fail';
          bundle = await openDespiteBinding(source.sealed, source.key);
        } else {
          set({ id: 'decryption', status: 'fail', code });
        }
      }
    }
  } else {
    set({ id: 'decryption', status: 'not_checked', note: 'opened_decrypted' });
    try {
      bundle = decodeContainer(source.container);
      set({ id: 'schema', status: 'pass' });
    } catch (error) {
      set({ id: 'schema', status: 'fail', code: codeOf(error) });
    }
    // The header the verifier received with the JWE (it keeps the header, not the ciphertext): the
    // session and nonce it was sealed for, checked against the manifest as for a sealed file. Without
    // the ciphertext its authentication cannot be repeated here; the verifier checked it at intake.
    const received = options.session?.sealedHeader ?? null;
    if (received !== null && bundle !== null) {
      try {
        header = readSealedHeader(new TextEncoder().encode(`${received}.`));
        const { manifest } = bundle;
        headerBinding = (header.sessionId === undefined || header.sessionId === manifest.session.id) && (header.nonce === undefined || header.nonce === manifest.session.nonce) ? 'pass' : 'fail';
      } catch {
        headerBinding = 'fail';
      }
    }
  }

  if (bundle !== null) {
    const { manifest } = bundle;
    // Session and nonce binding: the sealed header (authenticated by decryption) and the verifier's record.
    const session = options.session ?? null;
    const sessionOk = session === null ? null : session.sessionId === manifest.session.id && (session.nonce === null || session.nonce === manifest.session.nonce);
    if (headerBinding === 'fail' || sessionOk === false) {
      set({ id: 'session_binding', status: 'fail', code: 'evidence_nonce_mismatch', note: headerBinding === 'fail' ? 'sealed_header' : 'verifier_session' });
    } else if (headerBinding === null && sessionOk === null) {
      set({ id: 'session_binding', status: 'not_checked', note: 'no_header_or_session' });
    } else {
      set({ id: 'session_binding', status: 'pass', note: [headerBinding === 'pass' ? 'sealed_header' : null, sessionOk ? 'verifier_session' : null].filter(Boolean).join('+') });
    }

    const signature = await attempt(() => verifyCanonicalSignature(manifest, bundle!.signature, manifest.signer.publicKeyJwk));
    set(signature.ok ? { id: 'signature', status: 'pass' } : { id: 'signature', status: 'fail', code: signature.code });

    if (session === null || session.boundKey === null) {
      set({ id: 'key_binding', status: 'not_checked', note: session === null ? 'no_verifier_session' : 'no_bound_key' });
    } else {
      const signer = manifest.signer.publicKeyJwk;
      const same = session.boundKey.kty === signer.kty && session.boundKey.crv === signer.crv && session.boundKey.x === signer.x && session.boundKey.y === signer.y;
      set(same ? { id: 'key_binding', status: 'pass' } : { id: 'key_binding', status: 'fail', code: 'evidence_key_mismatch' });
    }

    const chain = await attempt(() => verifyChain(manifest));
    set(chain.ok ? { id: 'chain', status: 'pass', note: `${manifest.events.length}` } : { id: 'chain', status: 'fail', code: chain.code });

    const items: NonNullable<CheckResult['items']> = [];
    for (const entry of manifest.artifacts) {
      const data = bundle.artifacts.get(entry.id);
      const one = await attempt(() => verifyArtifacts({ artifacts: [entry] }, data === undefined ? new Map() : new Map([[entry.id, data]])));
      items.push(one.ok ? { id: entry.id, status: 'pass' } : { id: entry.id, status: 'fail', code: one.code });
    }
    const listed = new Set(manifest.artifacts.map((entry) => entry.id));
    for (const id of bundle.artifacts.keys()) if (!listed.has(id)) items.push({ id, status: 'fail', code: 'evidence_hash_mismatch' });
    const failed = items.find((item) => item.status === 'fail');
    set(failed ? { id: 'artifacts', status: 'fail', code: failed.code ?? 'evidence_hash_mismatch', items } : { id: 'artifacts', status: 'pass', items });

    const timestamps = await attempt(() => verifyTimestamps(manifest, { ...DEFAULT_TIMESTAMP_POLICY, now: options.checkedAt }));
    set(timestamps.ok ? { id: 'timestamps', status: 'pass' } : { id: 'timestamps', status: 'fail', code: timestamps.code });
  }

  const ordered = CHECK_ORDER.map((id) => checks.get(id) ?? { id, status: 'not_run' as const, note: 'needs_bundle' });
  return { bundle, header, checks: ordered, checkedAt: options.checkedAt.toISOString() };
}

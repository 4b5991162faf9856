/** Every text the auditor shows for a check, a code or a verdict: from codes, never from error messages. */
import type { CheckId, CheckStatus } from './verify.ts';

export const CHECK_LABELS: Readonly<Record<CheckId, { title: string; what: string }>> = {
  decryption: { title: 'Decryption', what: 'The JWE (ECDH-ES+A256KW, A256GCM) opens with the verifier key; this also authenticates its protected header.' },
  schema: { title: 'Container and schema', what: 'The EKB1 container and the manifest match evidence schema version 1.' },
  session_binding: { title: 'Nonce and session binding', what: 'The session id and nonce of the sealed header (and of the verifier\'s record, when opened from the verifier) equal the manifest\'s.' },
  signature: { title: 'Signature', what: 'The detached ES256 JWS verifies over JCS(manifest) with the session key the manifest names.' },
  key_binding: { title: 'Key binding', what: 'The signing key is the one the client bound to this session at the verifier before signing.' },
  chain: { title: 'Hash chain', what: 'Every event hash and the chain head recompute from the genesis of this session id and nonce.' },
  artifacts: { title: 'Artifact hashes', what: 'Every listed artifact is present with its recorded size and SHA-256, and nothing else is.' },
  timestamps: { title: 'Timestamps', what: 'Everything lies inside the session, events are in order, and the bundle was not too old when received.' },
};

export const STATUS_TEXT: Readonly<Record<CheckStatus, string>> = {
  pass: 'pass',
  fail: 'FAIL',
  not_run: 'not run',
  not_checked: 'not checked',
};

export const CODE_TEXT: Readonly<Record<string, string>> = {
  evidence_decrypt_failed: 'The bytes do not decrypt with this key: another verifier key, or the ciphertext was changed.',
  evidence_truncated: 'The bundle ends early: it was cut in transfer or storage.',
  evidence_too_large: 'The bundle is larger than the verifier accepts.',
  evidence_schema_invalid: 'The decrypted content is not a well-formed evidence container.',
  evidence_signature_invalid: 'The manifest was changed after the session key signed it, or the signature is not that key\'s.',
  evidence_key_mismatch: 'The bundle is signed by another key than the one bound to the session: it may have been re-signed.',
  evidence_hash_mismatch: 'An artifact differs from the bytes the signed manifest describes.',
  evidence_chain_broken: 'An event was edited, dropped, inserted or reordered, or the chain belongs to another session.',
  evidence_timestamp_invalid: 'A time is outside the session, out of order, or the bundle is older than allowed at the time checked.',
  evidence_nonce_mismatch: 'The bundle names another session or nonce than the one it was sealed or issued for.',
  unexpected: 'The check could not complete (see the browser console).',
};

export const NOTE_TEXT: Readonly<Record<string, string>> = {
  no_key: 'No verifier private key was given.',
  opened_decrypted: 'Opened as a decrypted container: there is no ciphertext to check.',
  no_header_or_session: 'A decrypted container has no sealed header, and no verifier session was given.',
  no_verifier_session: 'Needs the verifier\'s session record (open by session id).',
  no_bound_key: 'The verifier recorded no signing key bound to this session.',
  needs_bundle: 'Needs a decrypted, well-formed bundle.',
  sealed_header: 'sealed header',
  verifier_session: 'verifier session',
  'sealed_header+verifier_session': 'sealed header and verifier session',
};

export const VERDICT_TEXT = { match: 'equal within tolerance', differs: 'DIFFERS', not_rescored: 'not re-scored' } as const;

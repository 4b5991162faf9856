-- Sessions: one verification, its single-use nonce and the signing key the client bound to it.
CREATE TABLE verifier_sessions (
  id text PRIMARY KEY,
  nonce text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  nonce_consumed_at timestamptz,
  config jsonb NOT NULL,
  integrator_reference text,
  signing_key jsonb,
  status text NOT NULL CHECK (status IN ('created', 'key_bound', 'received', 'decided')),
  updated_at timestamptz NOT NULL
);

-- Uploads in progress (core ChunkAssembler's ChunkStore). Chunks are JWE ciphertext, unreadable
-- without the verifier key; a complete upload is deleted once reassembled.
CREATE TABLE verifier_uploads (
  idempotency_key text PRIMARY KEY,
  chunk_count integer NOT NULL,
  total_bytes bigint NOT NULL,
  received_bytes bigint NOT NULL DEFAULT 0,
  touched_at bigint NOT NULL
);
CREATE TABLE verifier_upload_chunks (
  idempotency_key text NOT NULL REFERENCES verifier_uploads (idempotency_key) ON DELETE CASCADE,
  chunk_index integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (idempotency_key, chunk_index)
);

-- Verified evidence, envelope-encrypted: AES-256-GCM under a per-bundle data key that is
-- stored only wrapped by the key-encryption key `kek_id`.
CREATE TABLE verifier_evidence (
  idempotency_key text PRIMARY KEY,
  session_id text NOT NULL UNIQUE REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  received_at timestamptz NOT NULL,
  sealed_bytes integer NOT NULL,
  kek_id text NOT NULL,
  wrapped_key bytea NOT NULL,
  iv bytea NOT NULL,
  ciphertext bytea NOT NULL
);

-- One automatic decision per session: outcome, score, reason codes and the full record
-- (inputs, weights, signals, hard rules) it was derived from.
CREATE TABLE verifier_decisions (
  session_id text PRIMARY KEY REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  decided_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('approve', 'review', 'reject')),
  score double precision NOT NULL,
  reason_codes jsonb NOT NULL,
  record jsonb NOT NULL
);

-- Document numbers exist only as peppered SHA-256 (pepper_id names the pepper version).
CREATE TABLE verifier_document_hashes (
  session_id text PRIMARY KEY REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  document_number_hash text NOT NULL,
  pepper_id text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX verifier_document_hashes_hash ON verifier_document_hashes (document_number_hash);
CREATE INDEX verifier_sessions_status ON verifier_sessions (status, updated_at);

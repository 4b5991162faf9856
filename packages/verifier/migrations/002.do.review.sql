-- Review, roles, audit, duplicates and screening (docs/verifier-review.md).

-- `escalate`: a case for the escalation queue (e.g. a screening hit), produced by hard rules only.
ALTER TABLE verifier_decisions DROP CONSTRAINT verifier_decisions_outcome_check;
ALTER TABLE verifier_decisions ADD CONSTRAINT verifier_decisions_outcome_check CHECK (outcome IN ('approve', 'review', 'reject', 'escalate'));
CREATE INDEX verifier_decisions_queue ON verifier_decisions (outcome, decided_at);

-- Reviewers and auditors. The token is shown once; only its scrypt hash is kept
-- (`scrypt$<N>$<r>$<p>$<salt b64url>$<hash b64url>`). Disabled operators keep their row so the
-- audit log and reviewer decisions still name them.
CREATE TABLE verifier_operators (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('reviewer', 'auditor')),
  token_hash text NOT NULL,
  created_at timestamptz NOT NULL,
  disabled_at timestamptz
);

-- One claim per case. Claiming is one INSERT ... ON CONFLICT DO UPDATE ... WHERE the existing
-- claim expired (or is the caller's own): of two reviewers claiming at once exactly one row wins.
CREATE TABLE verifier_review_claims (
  session_id text PRIMARY KEY REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  operator_id text NOT NULL REFERENCES verifier_operators (id),
  claimed_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);

-- A reviewer's decision supersedes the automatic one, which stays untouched in verifier_decisions.
CREATE TABLE verifier_reviewer_decisions (
  session_id text PRIMARY KEY REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  operator_id text NOT NULL REFERENCES verifier_operators (id),
  decided_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('approve', 'reject')),
  -- Free text written by the reviewer: may hold personal data (retention class "decision record").
  note text NOT NULL,
  automatic_outcome text NOT NULL
);

-- Selfie embeddings (fr-feature, L2-normalised, 512 floats) for near-duplicate faces across
-- sessions. Biometric data: its own table so retention can purge it on its own schedule.
CREATE TABLE verifier_face_embeddings (
  session_id text PRIMARY KEY REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  model_id text NOT NULL,
  embedding real[] NOT NULL,
  created_at timestamptz NOT NULL
);

-- Duplicate signals found by the re-scoring job: this session shares a document-number hash or a
-- near-duplicate face with `other_session_id` (no foreign key on it: the other may be purged).
CREATE TABLE verifier_duplicate_signals (
  session_id text NOT NULL REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('document_number', 'face')),
  other_session_id text NOT NULL,
  similarity double precision,
  detected_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, kind, other_session_id)
);
CREATE INDEX verifier_duplicate_signals_other ON verifier_duplicate_signals (other_session_id);

-- Screening matches (sanctions / PEP list entries) for a session: list entry ids and scores only.
CREATE TABLE verifier_screening_matches (
  session_id text NOT NULL REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  list_id text NOT NULL,
  entry_id text NOT NULL,
  score double precision NOT NULL,
  details jsonb NOT NULL,
  screened_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, list_id, entry_id)
);

-- Append-only, hash-chained audit log. Each entry's hash is SHA-256 over the previous entry's
-- hash and this entry's canonical text (verifier_audit_canonical); appends are serialized by a
-- transaction-scoped advisory lock so `seq` follows commit order and the chain has no forks.
CREATE TABLE verifier_audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('system', 'operator', 'integrator')),
  actor_id text,
  action text NOT NULL,
  session_id text,
  details jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX verifier_audit_log_session ON verifier_audit_log (session_id, seq);

CREATE FUNCTION verifier_audit_canonical(p_prev text, p_seq bigint, p_at timestamptz, p_actor_kind text, p_actor_id text, p_action text, p_session_id text, p_details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT concat_ws('|', p_prev, p_seq::text, to_char(p_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    p_actor_kind, coalesce(p_actor_id, ''), p_action, coalesce(p_session_id, ''), p_details::text)
$$;

CREATE FUNCTION verifier_audit_hash(p_prev text, p_seq bigint, p_at timestamptz, p_actor_kind text, p_actor_id text, p_action text, p_session_id text, p_details jsonb)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(verifier_audit_canonical(p_prev, p_seq, p_at, p_actor_kind, p_actor_id, p_action, p_session_id, p_details), 'UTF8')), 'hex')
$$;

CREATE FUNCTION verifier_audit_append(p_actor_kind text, p_actor_id text, p_action text, p_session_id text, p_details jsonb, p_at timestamptz)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
  next_seq bigint;
BEGIN
  -- "ekya" (0x656b7961): one appender at a time until its transaction ends.
  PERFORM pg_advisory_xact_lock(1701542241);
  SELECT seq, hash INTO last_seq, last_hash FROM verifier_audit_log ORDER BY seq DESC LIMIT 1;
  next_seq := coalesce(last_seq, 0) + 1;
  last_hash := coalesce(last_hash, repeat('0', 64));
  INSERT INTO verifier_audit_log (seq, at, actor_kind, actor_id, action, session_id, details, prev_hash, hash)
  VALUES (next_seq, p_at, p_actor_kind, p_actor_id, p_action, p_session_id, p_details, last_hash,
    verifier_audit_hash(last_hash, next_seq, p_at, p_actor_kind, p_actor_id, p_action, p_session_id, p_details));
  RETURN next_seq;
END
$$;

-- UPDATE is always refused; DELETE only inside a retention purge that sets
-- `ekyc.audit_purge = 'on'` for its own transaction (audit/log.ts purgeAuditLogBefore, which logs
-- the purge itself); TRUNCATE always refused.
CREATE FUNCTION verifier_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('ekyc.audit_purge', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'verifier_audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER verifier_audit_log_no_update BEFORE UPDATE OR DELETE ON verifier_audit_log FOR EACH ROW EXECUTE FUNCTION verifier_audit_refuse();
CREATE TRIGGER verifier_audit_log_no_truncate BEFORE TRUNCATE ON verifier_audit_log FOR EACH STATEMENT EXECUTE FUNCTION verifier_audit_refuse();

-- Every decision is audited in the transaction that writes it, whoever writes it.
CREATE FUNCTION verifier_audit_automatic_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM verifier_audit_append('system', NULL, 'decision.automatic', NEW.session_id,
    jsonb_build_object('outcome', NEW.outcome, 'score', NEW.score, 'reasonCodes', NEW.reason_codes), NEW.decided_at);
  RETURN NEW;
END
$$;
CREATE TRIGGER verifier_decisions_audit AFTER INSERT ON verifier_decisions FOR EACH ROW EXECUTE FUNCTION verifier_audit_automatic_decision();

CREATE FUNCTION verifier_audit_reviewer_decision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The note is not copied: the log holds no free text that could carry personal data.
  PERFORM verifier_audit_append('operator', NEW.operator_id, 'decision.reviewed', NEW.session_id,
    jsonb_build_object('outcome', NEW.outcome, 'automaticOutcome', NEW.automatic_outcome), NEW.decided_at);
  RETURN NEW;
END
$$;
CREATE TRIGGER verifier_reviewer_decisions_audit AFTER INSERT ON verifier_reviewer_decisions FOR EACH ROW EXECUTE FUNCTION verifier_audit_reviewer_decision();

-- Reviewer decisions are final: never rewritten.
CREATE FUNCTION verifier_reviewer_decisions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'verifier_reviewer_decisions rows are never rewritten' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER verifier_reviewer_decisions_no_update BEFORE UPDATE ON verifier_reviewer_decisions FOR EACH ROW EXECUTE FUNCTION verifier_reviewer_decisions_refuse();

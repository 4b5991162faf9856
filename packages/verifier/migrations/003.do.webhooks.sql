-- Webhook outbox (docs/verifier-webhooks.md): one row per decision event, written in the same
-- transaction as the decision (automatic or reviewed), so an event exists exactly when its
-- decision committed. Delivery workers claim due rows with FOR UPDATE SKIP LOCKED and a lease
-- (next_attempt_at moved past the request timeout), so a worker that dies mid-delivery releases
-- its rows when the lease runs out.
CREATE TABLE verifier_webhook_outbox (
  event_id text PRIMARY KEY,
  event_type text NOT NULL,
  session_id text NOT NULL,
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  next_attempt_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  delivered_at timestamptz,
  -- Set when the attempt limit is reached: kept, unsent, for an operator to replay.
  failed_at timestamptz,
  last_status integer,
  last_error text
);
CREATE INDEX verifier_webhook_outbox_due ON verifier_webhook_outbox (next_attempt_at) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX verifier_webhook_outbox_session ON verifier_webhook_outbox (session_id);

-- Per-target acceptance of an event (several webhook URLs): a target that accepted an event is
-- never sent it again, whatever happens to the others.
CREATE TABLE verifier_webhook_deliveries (
  event_id text NOT NULL REFERENCES verifier_webhook_outbox (event_id) ON DELETE CASCADE,
  target_id text NOT NULL,
  accepted_at timestamptz NOT NULL,
  status integer NOT NULL,
  PRIMARY KEY (event_id, target_id)
);

-- Liveness attempts reported by the client (docs/verifier-webhooks.md, "Retries and lockout"):
-- numbered per session (the primary key caps them at 1 + maxRetries under concurrency), with the
-- device id and the client address only as HMAC-SHA-256 under the pepper (no raw IP stored).
CREATE TABLE verifier_liveness_attempts (
  session_id text NOT NULL REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  attempt integer NOT NULL,
  passed boolean NOT NULL,
  device_hash text NOT NULL,
  ip_hash text NOT NULL,
  attempted_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, attempt)
);
CREATE INDEX verifier_liveness_failures_device ON verifier_liveness_attempts (device_hash, attempted_at) WHERE NOT passed;
CREATE INDEX verifier_liveness_failures_ip ON verifier_liveness_attempts (ip_hash, attempted_at) WHERE NOT passed;

-- Active lockouts: subject = 'device:<hash>' or 'ip:<hash>'.
CREATE TABLE verifier_lockouts (
  subject text PRIMARY KEY,
  locked_at timestamptz NOT NULL,
  locked_until timestamptz NOT NULL,
  failures integer NOT NULL
);

-- Retention (docs/verifier-retention.md): when each class of a session was purged, and what the
-- decision record keeps of the evidence once it is gone (its SHA-256 and size only).
ALTER TABLE verifier_sessions ADD COLUMN evidence_purged_at timestamptz;
ALTER TABLE verifier_sessions ADD COLUMN fields_purged_at timestamptz;
CREATE TABLE verifier_retention_log (
  session_id text NOT NULL,
  data_class text NOT NULL CHECK (data_class IN ('evidence', 'fields')),
  purged_at timestamptz NOT NULL,
  detail jsonb NOT NULL,
  PRIMARY KEY (session_id, data_class)
);

-- Retention rewrites a reviewer's note (free text) to its SHA-256 when the session's personal
-- fields expire: the one change allowed on a reviewer decision (migration 002 refuses every
-- other), and only inside a purge transaction that sets `ekyc.retention_purge`.
CREATE OR REPLACE FUNCTION verifier_reviewer_decisions_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('ekyc.retention_purge', true) = 'on'
     AND NEW.session_id = OLD.session_id AND NEW.operator_id = OLD.operator_id AND NEW.decided_at = OLD.decided_at
     AND NEW.outcome = OLD.outcome AND NEW.automatic_outcome = OLD.automatic_outcome
     AND NEW.note = 'sha256:' || encode(sha256(convert_to(OLD.note, 'UTF8')), 'hex') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'verifier_reviewer_decisions rows are never rewritten' USING ERRCODE = 'insufficient_privilege';
END
$$;

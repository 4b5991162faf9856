-- Cross-device handoff (docs/flow.md, Handoff): a short-lived, single-use link from the device
-- holding a session's client token to another device (a phone) of the same user. Only the SHA-256
-- of the token is stored; the token itself lives in the link (URL fragment) and nowhere else.
-- Issuing a new link revokes the session's unused ones, so at most one link per session works.
CREATE TABLE verifier_handoffs (
  token_sha256 text PRIMARY KEY,
  session_id text NOT NULL REFERENCES verifier_sessions (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  exchanged_at timestamptz,
  revoked_at timestamptz
);
CREATE INDEX verifier_handoffs_session ON verifier_handoffs (session_id, created_at);

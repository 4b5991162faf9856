-- The sealed bundle's JWE protected header as received (base64url, a few hundred bytes: alg, enc,
-- epk, kid, the session id and nonce it was sealed for), kept for auditors: the JWE itself is not
-- stored, only the envelope-encrypted container. Null for evidence stored before this migration.
ALTER TABLE verifier_evidence ADD COLUMN sealed_header text;

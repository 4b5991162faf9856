/**
 * Short-lived client tokens: an HS256 JWT naming one session, given to the browser with the
 * session so it can bind its key and upload evidence for that session only.
 */
import { SignJWT, jwtVerify } from 'jose';
import { EkycError } from '@ekyc/core';

const ISSUER = 'ekyc-verifier';
const AUDIENCE = 'ekyc-client';

export interface TokenIssuer {
  /** A token for one session, expiring after the TTL or with the session, whichever is first. */
  issue(sessionId: string, sessionExpiresAt: Date): Promise<{ token: string; expiresAt: Date }>;
  /** The session id the token was issued for; throws `auth_failed`. */
  verify(token: string): Promise<string>;
}

export function createTokenIssuer(secret: Uint8Array, ttlSeconds: number, now: () => Date = () => new Date()): TokenIssuer {
  if (secret.byteLength < 32) throw new EkycError('invalid_argument', 'The client token secret is at least 32 bytes.');
  return {
    async issue(sessionId, sessionExpiresAt) {
      const issuedAt = Math.floor(now().getTime() / 1000);
      const expiry = Math.min(issuedAt + ttlSeconds, Math.floor(sessionExpiresAt.getTime() / 1000));
      const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sessionId).setIssuer(ISSUER).setAudience(AUDIENCE)
        .setIssuedAt(issuedAt).setExpirationTime(expiry).sign(secret);
      return { token, expiresAt: new Date(expiry * 1000) };
    },
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, secret, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'], currentDate: now() });
        if (typeof payload.sub !== 'string') throw new Error('no subject');
        return payload.sub;
      } catch (cause) {
        throw new EkycError('auth_failed', 'The client token is missing, expired or invalid.', { cause });
      }
    },
  };
}

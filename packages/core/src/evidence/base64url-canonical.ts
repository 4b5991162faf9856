const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * Decoders ignore the unused low bits of a segment's last character, so two strings can decode
 * to the same bytes. Accepting only the canonical form makes every character of a JWE or JWS
 * significant: any single-character change is detected.
 */
export function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) return false;
  const last = segment.length === 0 ? 0 : ALPHABET.indexOf(segment[segment.length - 1] ?? 'A');
  if (segment.length % 4 === 2) return (last & 0x0f) === 0;
  if (segment.length % 4 === 3) return (last & 0x03) === 0;
  return true;
}

import type { SessionSource } from '@ekyc/flow';

/** The fragment a handoff link carries its single-use token in (a fragment never reaches a server log). */
export const HANDOFF_FRAGMENT = 'ekyc-handoff';

/** The token of a handoff link in a URL fragment such as `#ekyc-handoff=abc`, or null. */
export function handoffTokenFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get(HANDOFF_FRAGMENT);
  return token && token.length > 0 ? token : null;
}

/** `https://kyc.example.com/v1/sessions/abc` → the verifier's base URL and the session id. */
export function parseSessionUrl(sessionUrl: string): { verifierUrl: string; sessionId: string } | null {
  const match = /^(.*)\/sessions\/([^/?#]+)\/?$/.exec(sessionUrl.trim());
  if (!match || !match[1] || !match[2]) return null;
  return { verifierUrl: match[1], sessionId: decodeURIComponent(match[2]) };
}

export interface SessionAttributes {
  session?: SessionSource | null | undefined;
  verifierUrl?: string | undefined;
  sessionId?: string | undefined;
  sessionUrl?: string | undefined;
  token?: string | undefined;
  handoffToken?: string | null | undefined;
}

/**
 * The flow's session from the element's attributes, first match wins: an explicit `session` object;
 * a handoff token (attribute or URL fragment) with the verifier URL; a verifier session (URL, id and
 * client token, or `session-url` and token). Null when none is complete.
 */
export function sessionSourceFrom(attrs: SessionAttributes): SessionSource | null {
  if (attrs.session) return attrs.session;
  const parsed = attrs.sessionUrl ? parseSessionUrl(attrs.sessionUrl) : null;
  const verifierUrl = attrs.verifierUrl ?? parsed?.verifierUrl;
  if (attrs.handoffToken && verifierUrl) return { verifierUrl, handoffToken: attrs.handoffToken };
  const sessionId = attrs.sessionId ?? parsed?.sessionId;
  if (verifierUrl && sessionId && attrs.token) return { verifierUrl, sessionId, clientToken: attrs.token };
  return null;
}

/**
 * The handoff link: the phone's page URL with the single-use token in the fragment
 * (`#ekyc-handoff=<token>`). A fragment is never sent to a server, so the token stays out of access
 * logs, referrers and proxies; the page reads it and removes it from the address bar.
 */
const PARAM = 'ekyc-handoff';

export function handoffLink(pageUrl: string, handoffToken: string): string {
  const url = new URL(pageUrl, globalThis.location?.href);
  url.hash = `${PARAM}=${encodeURIComponent(handoffToken)}`;
  return url.href;
}

/** The token in a handoff link, or null. */
export function handoffTokenFromUrl(href: string): string | null {
  const hash = new URL(href, 'http://localhost/').hash.replace(/^#/, '');
  const value = new URLSearchParams(hash).get(PARAM);
  return value === null || value === '' ? null : value;
}

/**
 * Reads the token from the current page and removes it from the address bar (history entry replaced),
 * so reloading or sharing the page does not show a used token.
 */
export function takeHandoffTokenFromLocation(): string | null {
  const location = globalThis.location;
  if (!location) return null;
  const token = handoffTokenFromUrl(location.href);
  if (token !== null && globalThis.history?.replaceState) {
    globalThis.history.replaceState(globalThis.history.state, '', location.pathname + location.search);
  }
  return token;
}

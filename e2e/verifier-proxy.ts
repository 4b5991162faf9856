import type { Route } from '@playwright/test';

/**
 * A route handler that forwards a page's same-origin `prefix` requests (path and query) to the
 * verifier, as a reverse proxy does under `npm start`. A request the page abandons meanwhile
 * (navigation, a closed page, an aborted poll) disposes Playwright's response; that is the page
 * moving on, not a failure, so it is dropped instead of failing the test from the handler.
 */
export function forwardTo(verifierUrl: string, prefix: string): (route: Route) => Promise<void> {
  return async (route) => {
    const url = new URL(route.request().url());
    try {
      await route.fulfill({ response: await route.fetch({ url: verifierUrl + url.pathname.slice(prefix.length) + url.search }) });
    } catch (error) {
      if (!/disposed|closed|Route is already handled/i.test(String(error))) throw error;
    }
  };
}

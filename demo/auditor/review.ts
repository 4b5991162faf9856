/**
 * The verifier side of the auditor page: open a stored bundle by session id with an operator
 * token, and the review queue (claim, approve or reject with a note) with the audit log. Requests go
 * to the verifier under this origin (`/api`, proxied by `npm start`); the operator token stays in
 * this page's memory only.
 */
import type { BundleSource } from './source.ts';
import type { SessionRecord } from './verify.ts';
import { byId, h } from './dom.ts';

export interface ReviewHooks {
  open(source: BundleSource, session: SessionRecord): Promise<void>;
}

export const API_BASE = '/api';

function token(): string {
  return byId<HTMLInputElement>('operator-token').value.trim();
}

function say(text: string): void {
  byId('review-status').textContent = text;
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${API_BASE}${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token()}` }, redirect: 'error' });
}

async function codeOf(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { code?: string } | null;
  return body?.code ?? `http_${response.status}`;
}

export function setupReview(hooks: ReviewHooks): void {
  byId('open-remote').addEventListener('click', () => {
    const sessionId = byId<HTMLInputElement>('session-id').value.trim();
    if (!sessionId || !token()) return say('Enter a session id and an operator token.');
    void openRemote(hooks, sessionId).catch((error: unknown) => { console.error(error); say('Opening from the verifier failed: see the console.'); });
  });
  byId('load-queue').addEventListener('click', () => void loadQueue(hooks).catch((error: unknown) => { console.error(error); say('Loading the queue failed: see the console.'); }));
}

async function openRemote(_hooks: ReviewHooks, sessionId: string): Promise<void> {
  const response = await api(`/sessions/${encodeURIComponent(sessionId)}`);
  say(response.ok ? 'The verifier answered, but this verifier has no auditor bundle endpoint yet.' : `The verifier refused: ${await codeOf(response)}.`);
}

async function loadQueue(_hooks: ReviewHooks): Promise<void> {
  byId('queue').replaceChildren(h('p', {}, 'This verifier has no review API yet.'));
}

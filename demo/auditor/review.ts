/**
 * The verifier side of the auditor page, through the verifier's review and audit API
 * (docs/verifier.md) under this origin's `/api` (proxied by `npm start`):
 * - open a stored bundle by session id (`GET /audit/sessions/:id/evidence`, auditor token: the
 *   decrypted EKB1 container with the session's nonce, bound signing key, arrival and
 *   configuration, so key binding and the nonce are checked here) with its case (`GET /review/cases/:id`);
 * - the review queue (`GET /review/queues/review`), claim (`POST /review/cases/:id/claim`), approve or
 *   reject with a note (`POST /review/cases/:id/decision`), reviewer token;
 * - the audit log of the case (`GET /audit/log?sessionId=`) and its chain check (`GET /audit/log/verify`), auditor token.
 * The operator token stays in this page's memory; refusals are shown by their code.
 */
import type { BundleSource } from './source.ts';
import type { SessionRecord } from './verify.ts';
import { byId, fixed, h } from './dom.ts';

export interface ReviewHooks {
  open(source: BundleSource, session: SessionRecord): Promise<void>;
}

export const API_BASE = '/api';

interface QueueItem { sessionId: string; outcome: string; score: number; decidedAt: string; reasonCodes: string[]; claim: { operatorId: string; expiresAt: string } | null }
interface CaseView {
  sessionId: string; status: string;
  automaticDecision: { outcome: string; score: number; decidedAt: string; reasonCodes: string[] } | null;
  reviewerDecision: { operatorId: string; outcome: string; note: string; decidedAt: string; automaticOutcome: string } | null;
  effectiveDecision: { outcome: string; decidedBy: string; decidedAt: string } | null;
  claim: { operatorId: string; expiresAt: string } | null;
  duplicates: { kind: string; otherSessionId: string }[];
}
interface StoredEvidence {
  sessionId: string; nonce: string; signingKey: { kty: string; crv: string; x: string; y: string } | null; receivedAt: string; sealedBytes: number; sealedHeader: string | null;
  config: Record<string, unknown>; container: string;
}
interface AuditEntry { seq: number; at: string; actorKind: string; actorId: string | null; action: string; sessionId: string | null; details: Record<string, unknown> }

export class VerifierRefusal extends Error {
  constructor(readonly code: string, readonly status: number) {
    super(`verifier refused: ${code}`);
  }
}

function token(): string {
  return byId<HTMLInputElement>('operator-token').value.trim();
}

function say(text: string): void {
  byId('review-status').textContent = text;
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(`${API_BASE}${path}`, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${token()}` }, redirect: 'error', cache: 'no-store' });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { code?: string } | null;
    throw new VerifierRefusal(body?.code ?? `http_${response.status}`, response.status);
  }
  return response;
}

const json = async <T>(path: string, init?: RequestInit): Promise<T> => (await api(path, init)).json() as Promise<T>;

function refusalText(error: unknown): string {
  if (error instanceof VerifierRefusal) {
    if (error.code === 'auth_forbidden') return 'auth_forbidden: this token\'s role may not do that (the queue and decisions need a reviewer token; bundles and the audit log an auditor token).';
    return error.code;
  }
  console.error(error);
  return 'the verifier could not be reached (see the console)';
}

let currentCase: string | null = null;

export function setupReview(hooks: ReviewHooks): void {
  const guard = (label: string, run: () => Promise<void>) => () => {
    if (!token()) return say('Enter an operator token first.');
    run().catch((error: unknown) => say(`${label}: ${refusalText(error)}`));
  };
  byId('open-remote').addEventListener('click', guard('Opening from the verifier failed', async () => {
    const sessionId = byId<HTMLInputElement>('session-id').value.trim();
    if (!sessionId) return say('Enter a session id.');
    await openRemote(hooks, sessionId);
  }));
  byId('load-queue').addEventListener('click', guard('The queue could not be loaded', loadQueue));
}

async function openRemote(hooks: ReviewHooks, sessionId: string): Promise<void> {
  say('Fetching the stored bundle…');
  const stored = await json<StoredEvidence>(`/audit/sessions/${encodeURIComponent(sessionId)}/evidence`);
  currentCase = sessionId;
  const container = Uint8Array.from(atob(stored.container), (char) => char.charCodeAt(0));
  // What the verifier recorded (the nonce it issued, the key bound before intake) is checked against the bundle here, not taken on trust.
  await hooks.open({ kind: 'container', container, origin: `verifier, session ${sessionId}` }, {
    sessionId: stored.sessionId, nonce: stored.nonce, boundKey: stored.signingKey, receivedAt: stored.receivedAt, config: stored.config, sealedHeader: stored.sealedHeader,
  });
  await showCase(sessionId).catch((error: unknown) => say(`The case could not be loaded: ${refusalText(error)}`));
  await showAuditLog(sessionId).catch((error: unknown) => say(`The audit log could not be loaded: ${refusalText(error)}`));
  if (byId('review-status').textContent === 'Fetching the stored bundle…') say(`Opened ${sessionId} from the verifier.`);
}

async function loadQueue(): Promise<void> {
  const { items } = await json<{ items: QueueItem[] }>('/review/queues/review');
  const rows = items.map((item) => {
    const claim = h('button', { type: 'button', class: 'secondary', 'data-action': 'claim', 'data-session': item.sessionId }, 'Claim');
    claim.addEventListener('click', () => void claimCase(item.sessionId).catch((error: unknown) => say(`Claim refused: ${refusalText(error)}`)));
    return h('tr', { 'data-session': item.sessionId },
      h('td', {}, h('code', {}, item.sessionId)), h('td', {}, item.outcome), h('td', { class: 'num' }, item.score.toFixed(1)),
      h('td', {}, item.reasonCodes.join(', ')), h('td', {}, item.claim ? `claimed by ${item.claim.operatorId} until ${item.claim.expiresAt}` : 'unclaimed'), h('td', {}, claim));
  });
  byId('queue').replaceChildren(h('h3', {}, `Review queue (${items.length})`),
    items.length === 0 ? h('p', {}, 'No case is waiting for review.') :
      h('table', { id: 'queue-table' }, h('thead', {}, h('tr', {}, ...['session', 'automatic', 'score', 'reasons', 'claim', ''].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)));
  say(`${items.length} case(s) in the review queue.`);
}

async function claimCase(sessionId: string): Promise<void> {
  const claim = await json<{ operatorId: string; expiresAt: string }>(`/review/cases/${encodeURIComponent(sessionId)}/claim`, { method: 'POST' });
  currentCase = sessionId;
  say(`Claimed ${sessionId} until ${claim.expiresAt}.`);
  await showCase(sessionId);
}

async function showCase(sessionId: string): Promise<void> {
  const view = await json<CaseView>(`/review/cases/${encodeURIComponent(sessionId)}`);
  const automatic = view.automaticDecision;
  const rows: [string, string][] = [
    ['Session', view.sessionId], ['Status', view.status],
    ['Automatic decision', automatic ? `${automatic.outcome} ${fixed(automatic.score, 1)} · ${automatic.reasonCodes.join(', ') || 'no reason codes'}` : 'none yet'],
    ['Decision in force', view.effectiveDecision ? `${view.effectiveDecision.outcome} (${view.effectiveDecision.decidedBy}, ${view.effectiveDecision.decidedAt})` : 'none'],
    ['Claim', view.claim ? `${view.claim.operatorId} until ${view.claim.expiresAt}` : 'none'],
    ['Duplicates', view.duplicates.map((d) => `${d.kind}: ${d.otherSessionId}`).join('; ') || 'none'],
  ];
  if (view.reviewerDecision) rows.push(['Reviewer decision', `${view.reviewerDecision.outcome} by ${view.reviewerDecision.operatorId} at ${view.reviewerDecision.decidedAt} (automatic was ${view.reviewerDecision.automaticOutcome}): ${view.reviewerDecision.note}`]);
  const panel = h('div', { id: 'case-view', 'data-session': view.sessionId, 'data-effective': view.effectiveDecision?.outcome ?? '', 'data-decided-by': view.effectiveDecision?.decidedBy ?? '' },
    h('h3', {}, 'Case'), h('dl', {}, ...rows.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value)))));
  if (view.reviewerDecision === null) {
    const note = h('textarea', { id: 'decision-note', maxlength: 2000, 'aria-label': 'Reviewer note (kept with the decision; never sent to the integrator or the user)', placeholder: 'Why (required)' });
    const decide = (outcome: 'approve' | 'reject') => () => {
      const text = note.value.trim();
      if (!text) return say('A decision needs a note.');
      void recordDecision(sessionId, outcome, text).catch((error: unknown) => say(`Decision refused: ${refusalText(error)}`));
    };
    const approve = h('button', { type: 'button', id: 'approve' }, 'Approve');
    const reject = h('button', { type: 'button', id: 'reject', class: 'secondary' }, 'Reject');
    approve.addEventListener('click', decide('approve'));
    reject.addEventListener('click', decide('reject'));
    panel.append(h('label', { for: 'decision-note' }, 'Reviewer note (kept with the decision; never sent to the integrator or the user)'), note, h('div', { class: 'actions' }, approve, reject));
  }
  const audit = h('button', { type: 'button', id: 'load-audit', class: 'secondary' }, 'Audit log of this case');
  audit.addEventListener('click', () => void showAuditLog(sessionId).catch((error: unknown) => say(`The audit log could not be loaded: ${refusalText(error)}`)));
  panel.append(h('div', { class: 'actions' }, audit));
  byId('case').replaceChildren(panel);
}

async function recordDecision(sessionId: string, outcome: 'approve' | 'reject', note: string): Promise<void> {
  const decision = await json<{ outcome: string; decidedAt: string }>(`/review/cases/${encodeURIComponent(sessionId)}/decision`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome, note }),
  });
  await showCase(sessionId);
  if (document.getElementById('queue-table')) await loadQueue();
  say(`Decided: ${decision.outcome} at ${decision.decidedAt}.`);
}

async function showAuditLog(sessionId: string | null = currentCase): Promise<void> {
  const query = sessionId === null ? '' : `?sessionId=${encodeURIComponent(sessionId)}&limit=1000`;
  const { entries } = await json<{ entries: AuditEntry[] }>(`/audit/log${query}`);
  const chain = await json<{ entries: number; valid: boolean; firstBadSeq: number | null }>('/audit/log/verify');
  const rows = entries.map((entry) => h('tr', { 'data-action': entry.action },
    h('td', { class: 'num' }, String(entry.seq)), h('td', {}, entry.at), h('td', {}, `${entry.actorKind}${entry.actorId ? ` ${entry.actorId}` : ''}`),
    h('td', {}, entry.action), h('td', {}, Object.entries(entry.details).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`).join(' '))));
  byId('audit-log').replaceChildren(h('h3', {}, `Audit log${sessionId ? ` of ${sessionId}` : ''}`),
    h('p', { id: 'audit-chain', 'data-valid': String(chain.valid) }, chain.valid ? `Hash chain verified by the verifier over ${chain.entries} entries.` : `Hash chain BROKEN at entry ${chain.firstBadSeq}.`),
    h('table', { id: 'audit-table' }, h('thead', {}, h('tr', {}, ...['seq', 'at', 'actor', 'action', 'details'].map((c) => h('th', { scope: 'col' }, c)))), h('tbody', {}, ...rows)));
}

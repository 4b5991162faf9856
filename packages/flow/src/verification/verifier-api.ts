/**
 * The verifier's client-side routes, as the flow calls them: bootstrap of a session from its client
 * token, key binding, status, and the cross-device handoff (docs/verifier.md, docs/flow.md). Refusals
 * become `EkycError`s with the verifier's own code; network failures are `transport_failed`.
 */
import { EkycError, isEkycErrorCode, type EvidencePublicKeyJwk } from '@ekyc/core';
import type { FlowSessionConfig, VerifierPublicJwk } from './types.ts';

export interface ClientSessionAnswer {
  sessionId: string;
  nonce: string;
  expiresAt: string;
  config: FlowSessionConfig;
  verifierKey: VerifierPublicJwk;
}

export interface ExchangeAnswer extends ClientSessionAnswer {
  clientToken: string;
  clientTokenExpiresAt: string;
}

export type VerifierSessionStatus = 'created' | 'key_bound' | 'received' | 'decided' | 'expired';

export interface StatusAnswer {
  sessionId: string;
  status: VerifierSessionStatus;
  decision: { outcome: 'approve' | 'review' | 'reject' | 'escalate'; score: number; decidedAt: string } | null;
  userMessage: string;
}

export interface HandoffIssued {
  handoffToken: string;
  expiresAt: string;
}

export interface HandoffStateAnswer {
  state: 'none' | 'pending' | 'exchanged' | 'expired';
  expiresAt: string | null;
}

export class VerifierApi {
  readonly #base: string;
  readonly #fetch: typeof globalThis.fetch;

  constructor(verifierUrl: string, fetchImpl: typeof globalThis.fetch = globalThis.fetch.bind(globalThis)) {
    this.#base = verifierUrl.replace(/\/+$/, '');
    this.#fetch = fetchImpl;
  }

  get baseUrl(): string {
    return this.#base;
  }

  evidenceEndpoint(sessionId: string): string {
    return `${this.#base}/sessions/${encodeURIComponent(sessionId)}/evidence`;
  }

  clientSession(sessionId: string, token: string, signal?: AbortSignal): Promise<ClientSessionAnswer> {
    return this.#json('GET', `/sessions/${encodeURIComponent(sessionId)}/client`, token, undefined, signal);
  }

  exchangeHandoff(handoffToken: string, signal?: AbortSignal): Promise<ExchangeAnswer> {
    return this.#json('POST', '/handoff/exchange', null, { handoffToken }, signal);
  }

  async bindKey(sessionId: string, token: string, publicKeyJwk: EvidencePublicKeyJwk, signal?: AbortSignal): Promise<void> {
    await this.#json('POST', `/sessions/${encodeURIComponent(sessionId)}/key`, token, { publicKeyJwk }, signal);
  }

  status(sessionId: string, token: string, signal?: AbortSignal): Promise<StatusAnswer> {
    return this.#json('GET', `/sessions/${encodeURIComponent(sessionId)}`, token, undefined, signal);
  }

  issueHandoff(sessionId: string, token: string, signal?: AbortSignal): Promise<HandoffIssued> {
    return this.#json('POST', `/sessions/${encodeURIComponent(sessionId)}/handoff`, token, undefined, signal);
  }

  handoffState(sessionId: string, token: string, signal?: AbortSignal): Promise<HandoffStateAnswer> {
    return this.#json('GET', `/sessions/${encodeURIComponent(sessionId)}/handoff`, token, undefined, signal);
  }

  async #json<T>(method: 'GET' | 'POST', path: string, token: string | null, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const headers: Record<string, string> = {};
    if (token !== null) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method, headers, redirect: 'error', credentials: 'omit',
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        ...(signal ? { signal } : {}),
      });
    } catch (cause) {
      signal?.throwIfAborted();
      throw new EkycError('transport_failed', `The verifier could not be reached (${method} ${routeOf(path)})`, { cause, details: { route: routeOf(path) } });
    }
    let answer: unknown = null;
    try {
      answer = await response.json();
    } catch {
      answer = null;
    }
    if (response.ok) return answer as T;
    const code = (answer as { code?: unknown } | null)?.code;
    if (isEkycErrorCode(code)) throw new EkycError(code, `The verifier refused ${method} ${routeOf(path)} (${response.status})`, { details: { status: response.status, route: routeOf(path) } });
    throw new EkycError(response.status >= 500 ? 'transport_failed' : 'transport_rejected', `The verifier answered ${response.status} to ${method} ${routeOf(path)}`, { details: { status: response.status, route: routeOf(path) } });
  }
}

/** The route without ids, for messages and details (session ids are not secret, tokens never appear here). */
function routeOf(path: string): string {
  return path.replace(/\/sessions\/[^/]+/, '/sessions/:id');
}

/** The `session` step: a session from the verifier (client token), from a handoff token, or from a config object. */
import { EkycError, generateNonce } from '@ekyc/core';
import type { ConfigSessionSource, FlowSession, FlowSessionConfig, SessionSource } from './types.ts';
import { VerifierApi } from './verifier-api.ts';

export const DEFAULT_SESSION_CONFIG: FlowSessionConfig = {
  acceptedDocuments: ['passport', 'id_card'],
  acceptedCountries: [],
  thresholds: { faceMatch: 0.5, faceContinuity: 0.5, minimumAge: 18, clientDisagreement: 0.15 },
  livenessChallengeCount: 3,
  maxRetries: 3,
};

/** A resolved session plus what talking to the verifier needs (kept out of `FlowState`: the token is a credential). */
export interface ResolvedSession {
  session: FlowSession;
  api: VerifierApi | null;
  clientToken: string | null;
}

const isConfig = (source: SessionSource): source is ConfigSessionSource => 'config' in source;

export async function resolveSession(source: SessionSource, fetchImpl: typeof globalThis.fetch, signal?: AbortSignal): Promise<ResolvedSession> {
  if (isConfig(source)) {
    return {
      session: {
        source: 'config',
        sessionId: source.sessionId ?? `local_${generateNonce().slice(0, 22)}`,
        nonce: source.nonce ?? generateNonce(),
        config: { ...DEFAULT_SESSION_CONFIG, ...source.config, thresholds: { ...DEFAULT_SESSION_CONFIG.thresholds, ...source.config.thresholds } },
        verifierKey: source.verifierKey ?? null,
        verifierUrl: null,
        expiresAt: null,
      },
      api: null,
      clientToken: null,
    };
  }
  if (typeof source.verifierUrl !== 'string' || source.verifierUrl === '') throw new EkycError('invalid_argument', 'session.verifierUrl is required.');
  const api = new VerifierApi(source.verifierUrl, fetchImpl);
  if ('handoffToken' in source) {
    const answer = await api.exchangeHandoff(source.handoffToken, signal);
    return {
      session: { source: 'handoff', sessionId: answer.sessionId, nonce: answer.nonce, config: answer.config, verifierKey: answer.verifierKey, verifierUrl: api.baseUrl, expiresAt: answer.expiresAt },
      api,
      clientToken: answer.clientToken,
    };
  }
  if (!source.sessionId || !source.clientToken) throw new EkycError('invalid_argument', 'session.sessionId and session.clientToken are required.');
  const given = source.nonce !== undefined && source.verifierKey !== undefined && source.config !== undefined;
  const answer = given
    ? { sessionId: source.sessionId, nonce: source.nonce!, verifierKey: source.verifierKey!, config: source.config!, expiresAt: source.expiresAt ?? null }
    : await api.clientSession(source.sessionId, source.clientToken, signal);
  return {
    session: { source: 'verifier', sessionId: answer.sessionId, nonce: answer.nonce, config: answer.config, verifierKey: answer.verifierKey, verifierUrl: api.baseUrl, expiresAt: answer.expiresAt },
    api,
    clientToken: source.clientToken,
  };
}

/** The steps before consent is granted: `session` (resolve it, start the event chain) and `consent`. */
import { EventChain } from '@ekyc/core';
import type { FlowAction } from './actions.ts';
import { consentRecord } from './consent.ts';
import { abortError, asEkycError } from './flow-errors.ts';
import type { FlowHost } from './flow-host.ts';
import { resolveSession } from './session.ts';

export async function stepSession(host: FlowHost, signal: AbortSignal): Promise<void> {
  host.enter('session', null);
  for (;;) {
    try {
      const resolved = await resolveSession(host.options.session, host.deps.fetch, signal);
      host.data.resolved = resolved;
      host.data.startedAt = host.deps.now();
      const accepted = host.options.acceptedDocuments;
      if (accepted) resolved.session.config = { ...resolved.session.config, acceptedDocuments: resolved.session.config.acceptedDocuments.filter((type) => accepted.includes(type)) };
      host.data.events = new EventChain(resolved.session.sessionId, resolved.session.nonce, host.deps.now);
      void host.data.events.append('session.started', { source: resolved.session.source });
      host.set({ session: { source: resolved.session.source, sessionId: resolved.session.sessionId, expiresAt: resolved.session.expiresAt } });
      host.complete('session');
      return;
    } catch (error) {
      const coded = asEkycError(error);
      if (signal.aborted || !coded.recoverable) throw error;
      await host.recover(coded, 'session', ['retry'], signal);
    }
  }
}

export async function stepConsent(host: FlowHost, signal: AbortSignal): Promise<void> {
  host.enter('consent', 'consent');
  const action = await host.wait(['consent', 'decline', ...host.handoffType()], signal);
  if (action.type === 'decline') {
    void host.data.events?.append('consent.declined', {});
    host.stopRun();
    host.set({ status: 'cancelled', awaiting: null });
    host.dispatch('cancel', { step: 'consent', reason: 'consent_declined' });
    throw abortError();
  }
  const consent = await consentRecord(host.options.consent, (action as Extract<FlowAction, { type: 'consent' }>).locale, host.deps.now());
  await host.data.events!.append('consent.granted', { textId: consent.textId, textVersion: consent.textVersion, locale: consent.locale });
  host.set({ consent });
  host.complete('consent');
}

/**
 * `submit`: the sealed bundle delivered (outbox, then the verifier's evidence endpoint), then the
 * session's status polled for the decision. Runs after consent (loaded with ./runtime.ts).
 */
import type { SubmitResult } from '../transport/delivery.ts';
import type { FlowHost } from './flow-host.ts';
import type { ResultSummary } from './types.ts';

export async function stepSubmit(host: FlowHost, sealed: Uint8Array, signal: AbortSignal): Promise<SubmitResult> {
  host.enter('submit', null);
  const { api, clientToken, session } = host.data.resolved!;
  const delivery = await host.deps.delivery(api!.evidenceEndpoint(session.sessionId), clientToken!);
  signal.throwIfAborted();
  host.progress({ kind: 'processing', step: 'submit', task: 'submit.upload', done: 0, total: sealed.byteLength });
  const result = await delivery.submit(sealed);
  host.progress({ kind: 'processing', step: 'submit', task: 'submit.upload', done: result.delivered ? sealed.byteLength : 0, total: sealed.byteLength });
  host.complete('submit');
  return result;
}

/** Polls the session status until the verifier decided, or `decisionWaitMs` passed (then the decision is null: pending). */
export async function awaitDecision(host: FlowHost, signal: AbortSignal): Promise<Pick<ResultSummary, 'decision' | 'userMessage'>> {
  const { api, clientToken, session } = host.data.resolved!;
  const waitMs = host.options.decisionWaitMs ?? 60_000;
  const pollMs = host.options.statusPollMs ?? 1000;
  const until = host.deps.now().getTime() + waitMs;
  let polls = 0;
  for (;;) {
    const status = await api!.status(session.sessionId, clientToken!, signal);
    host.progress({ kind: 'processing', step: 'submit', task: 'result.wait', done: ++polls, total: null });
    if (status.status === 'decided' && status.decision) return { decision: { outcome: status.decision.outcome, decidedAt: status.decision.decidedAt }, userMessage: status.userMessage };
    if (host.deps.now().getTime() + pollMs > until) return { decision: null, userMessage: status.userMessage };
    await host.deps.sleep(pollMs, signal);
  }
}

/**
 * The desktop side of a handoff. It can start at the consent step, before the code after consent is
 * loaded, so it stays with the flow's first-step code (not in ./runtime.ts).
 */
import { EkycError } from '@ekyc/core';
import { handoffLink } from '../handoff/handoff-link.ts';
import type { FlowAction, PendingAction } from './actions.ts';
import type { FlowHost } from './flow-host.ts';
import type { HandoffInfo } from './types.ts';

/**
 * Follows the session while another device runs it: polls its status and the link's state until
 * the verifier decided (`completed`), or until `cancelHandoff()` (`cancelled`: the run goes back to
 * the step the user left). `startHandoff()` meanwhile issues a fresh link. Actions are accepted
 * during a poll too: one wait stays open for the whole follow.
 */
export async function followHandoff(host: FlowHost, reply: Extract<FlowAction, { type: 'handoff' }>['reply'], signal: AbortSignal): Promise<'completed' | 'cancelled'> {
  host.releaseCamera();
  const { api, clientToken, session } = host.data.resolved!;
  const pollMs = host.options.statusPollMs ?? 1000;
  const issue = async (): Promise<HandoffInfo> => {
    const issued = await api!.issueHandoff(session.sessionId, clientToken!, signal);
    const info: HandoffInfo = { url: handoffLink(host.options.handoffUrl ?? globalThis.location?.href ?? 'http://localhost/', issued.handoffToken), expiresAt: issued.expiresAt, status: 'waiting' };
    host.set({ handoff: info, awaiting: 'handoff', error: null });
    host.dispatch('handoff', info);
    return info;
  };
  try {
    reply.resolve(await issue());
  } catch (error) {
    reply.reject(error);
    throw error;
  }
  const follow = (): PendingAction => host.inbox.wait(['handoff', 'handoff-cancel'], signal);
  let pending = follow();
  try {
    for (;;) {
      const woke = await Promise.race([host.deps.sleep(pollMs, signal).then(() => null), pending.promise]);
      if (woke) {
        pending = follow();
        if (woke.type === 'handoff-cancel') {
          await revokeHandoff(host, signal);
          return 'cancelled';
        }
        if (woke.type === 'handoff') {
          try {
            woke.reply.resolve(await issue());
          } catch (error) {
            woke.reply.reject(error);
          }
        }
        continue;
      }
      const [link, status] = await Promise.all([api!.handoffState(session.sessionId, clientToken!, signal), api!.status(session.sessionId, clientToken!, signal)]);
      const current = host.state.handoff!;
      const next = status.status === 'decided' ? 'decided' : status.status === 'received' ? 'received' : status.status === 'expired' ? 'expired'
        : link.state === 'exchanged' ? 'opened' : link.state === 'expired' ? 'expired' : 'waiting';
      if (next !== current.status) {
        const info = { ...current, status: next } as HandoffInfo;
        host.set({ handoff: info });
        host.dispatch('handoff', info);
      }
      if (status.status === 'expired') throw new EkycError('session_expired', 'The session expired during the handoff.');
      if (status.status === 'decided' && status.decision) {
        await host.finish({
          sessionId: session.sessionId, evidenceId: null, delivery: 'handoff', sealed: null,
          decision: { outcome: status.decision.outcome, decidedAt: status.decision.decidedAt }, userMessage: status.userMessage,
        });
        return 'completed';
      }
    }
  } finally {
    pending.cancel();
  }
}

/**
 * The desktop stops following. The shown link is revoked: the verifier keeps one unused link per
 * session and a new one revokes the others, so the flow asks for one it never shows (it expires
 * unused after the verifier's link lifetime). A link a phone already opened is not revoked: that
 * phone holds its own session token, and whichever device binds its signing key first goes on.
 * Best effort: when the verifier refuses (key bound, session expired) the shown link was not
 * usable anyway.
 */
async function revokeHandoff(host: FlowHost, signal: AbortSignal): Promise<void> {
  const { api, clientToken, session } = host.data.resolved!;
  if (host.state.handoff?.status === 'waiting') await api!.issueHandoff(session.sessionId, clientToken!, signal).catch(() => undefined);
  signal.throwIfAborted();
  void host.data.events?.append('handoff.cancelled', {});
  host.set({ handoff: null, awaiting: null });
}

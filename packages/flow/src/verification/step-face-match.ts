/** `face-match`: the most confident face of the portrait and of the selfie, embedded and banded. Runs after consent (loaded with ./runtime.ts). */
import type { FlowHost } from './flow-host.ts';
import { offerRetry } from './step-actions.ts';

export async function stepFaceMatch(host: FlowHost, signal: AbortSignal): Promise<void> {
  host.enter('face-match', null);
  for (;;) {
    try {
      const face = await host.pool.get('face', 'face-match');
      const selfie = host.data.selfie!;
      const portrait = host.data.portrait;
      host.progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 0, total: 2 });
      const a = portrait ? await host.rt.embedMainFace(face, portrait) : null;
      host.progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 1, total: 2 });
      const b = await host.rt.embedMainFace(face, selfie.image);
      host.progress({ kind: 'processing', step: 'face-match', task: 'face.embed', done: 2, total: 2 });
      if (a && b) {
        const thresholds = host.rt.matchThresholds(host.data.resolved!.session.config.thresholds.faceMatch, host.options.thresholds?.faceMatch);
        const match = host.rt.coreFace.matchEmbeddings(a.embedding, b.embedding, thresholds);
        host.set({ faceMatch: { similarity: match.similarity, band: match.band } });
        await host.data.events!.append('face.matched', { band: match.band });
      } else {
        await host.data.events!.append('face.matched', { band: 'none', portrait: a !== null, selfie: b !== null });
      }
      host.complete('face-match');
      return;
    } catch (error) {
      await offerRetry(host, error, 'face-match', signal);
    }
  }
}

/**
 * Duplicates and screening in the re-scoring job, end to end on PGlite with the real face models
 * (onnxruntime-node): the same person with the same document in a second session is flagged with
 * the first session's id (document-number hash and near-duplicate selfie), visible to reviewers
 * in both case views; another person's face is not a duplicate; a name on the operator's
 * (generated) screening list escalates whatever the score while the user sees the review line.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { face as coreFace, risk } from '@ekyc/core';
import type { VerifierConfig } from '../config.ts';
import { ServerFaceEngine } from '../face/engine.ts';
import { OperatorStore } from '../operators/store.ts';
import { FACE_EMBEDDING_MODEL } from '../review/case-signals.ts';
import { generatedList } from '../screening/generated-list.ts';
import { startVerifier, type Verifier } from '../server.ts';
import { getStatus } from '../testing/client.ts';
import { decodeJpeg, GROUP_JPEG } from '../testing/faces.ts';
import { testConfig } from '../testing/fixtures.ts';
import { submitRealSession, type Decided } from '../testing/submit.ts';
import { FACE_DUPLICATE_THRESHOLD, findFaceDuplicates } from './find.ts';

describe('duplicates and screening in re-scoring (PGlite, onnxruntime-node)', () => {
  let verifier: Verifier;
  let config: VerifierConfig;
  let engine: ServerFaceEngine;
  let reviewer: string;
  const sessions: Record<'first' | 'second' | 'listed', { sessionId: string; clientToken: string; decision: Decided }> = {} as never;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ekyc-screening-list-'));
    const list = generatedList(200, [{ id: 'FIX-HANS', names: ['Hans Müller'], birthDates: ['1970-01-01'], nationalities: ['UTO'], category: 'sanctions' }]);
    writeFileSync(path.join(dir, 'list.json'), JSON.stringify(list));
    config = await testConfig('memory:', { VERIFIER_RISK_OPTIONAL_SIGNALS: 'device_velocity', VERIFIER_SCREENING_LIST: path.join(dir, 'list.json') });
    verifier = await startVerifier(config, { listen: false, logger: pino({ level: 'silent' }) });
    engine = await ServerFaceEngine.create();
    reviewer = (await new OperatorStore(verifier.db).add({ name: 'Dup Reviewer', role: 'reviewer' })).token;
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await verifier?.close();
  });

  async function submit(content: Parameters<typeof submitRealSession>[3] = {}) {
    const { session, decision } = await submitRealSession(verifier.app!, config.apiKey, engine, content);
    return { sessionId: session.sessionId, clientToken: session.clientToken, decision };
  }

  const caseView = async (sessionId: string) => (await verifier.app!.inject({ method: 'GET', url: `/review/cases/${sessionId}`, headers: { authorization: `Bearer ${reviewer}` } })).json();

  it('flags the same document and face in a second session with the first session id, both ways', async () => {
    sessions.first = await submit();
    sessions.second = await submit();
    expect(sessions.first.decision.outcome).toBe('approve');
    expect(sessions.first.decision.reasonCodes).not.toContain('duplicate_face');
    expect(sessions.second.decision.reasonCodes).toEqual(expect.arrayContaining(['duplicate_document_number', 'duplicate_face']));
    expect(sessions.second.decision.outcome).toBe('review');

    const second = await caseView(sessions.second.sessionId);
    const byKind = Object.fromEntries((second.duplicates as { kind: string; similarity: number | null }[]).map((link) => [link.kind, link]));
    expect(byKind.document_number).toMatchObject({ otherSessionId: sessions.first.sessionId, direction: 'found', similarity: null });
    expect(byKind.face).toMatchObject({ otherSessionId: sessions.first.sessionId, direction: 'found' });
    expect(byKind.face?.similarity).toBeGreaterThanOrEqual(FACE_DUPLICATE_THRESHOLD);
    const first = await caseView(sessions.first.sessionId);
    expect((first.duplicates as { otherSessionId: string; direction: string }[]).map((link) => [link.otherSessionId, link.direction]))
      .toEqual([[sessions.second.sessionId, 'found_by'], [sessions.second.sessionId, 'found_by']]);
    const record = (await verifier.store.getDecision(sessions.second.sessionId))!.record as { duplicates: { otherSessionId: string }[] };
    expect(record.duplicates.map((signal) => signal.otherSessionId)).toEqual([sessions.first.sessionId, sessions.first.sessionId]);
  }, 240_000);

  it('flags a different photo of the same man (facematch screenshot) against the stored selfies', async () => {
    const { readFileSync } = await import('node:fs');
    const { createRequire } = await import('node:module');
    const humanDir = path.dirname(path.dirname(createRequire(import.meta.url).resolve('@vladmandic/human')));
    const grid = decodeJpeg(new Uint8Array(readFileSync(path.join(humanDir, 'assets/screenshot-facematch.jpg'))));
    // Its largest face is the demo's reference photo of the selfie's man (a different capture).
    const largest = (await engine.detect(grid)).sort((a, b) => b.box.width - a.box.width)[0]!;
    const { crop } = await import('../testing/faces.ts');
    const probe = await engine.embedBestFace(crop(grid, largest.box, 2.2), { allowSeveral: true });
    expect(probe.status).toBe('ok');
    const found = await findFaceDuplicates(verifier.db, { sessionId: 'ses_probeprobeprobeprobe0', modelId: FACE_EMBEDDING_MODEL, embedding: (probe as { embedding: Float32Array }).embedding });
    expect(found.map((link) => link.otherSessionId).sort()).toEqual([sessions.first.sessionId, sessions.second.sessionId].sort());
    for (const link of found) expect(link.similarity!).toBeGreaterThanOrEqual(FACE_DUPLICATE_THRESHOLD);
  }, 120_000);

  it('does not flag another person\'s face', async () => {
    const group = decodeJpeg(GROUP_JPEG());
    const [face] = await engine.detect(group);
    const { crop } = await import('../testing/faces.ts');
    const other = await engine.embedBestFace(crop(group, face!.box, 2.2));
    expect(other.status).toBe('ok');
    const embedding = (other as { embedding: Float32Array }).embedding;
    expect(await findFaceDuplicates(verifier.db, { sessionId: 'ses_probeprobeprobeprobe1', modelId: FACE_EMBEDDING_MODEL, embedding })).toEqual([]);
    // The same probe at threshold -1 scans every stored selfie: what the threshold excluded.
    const everything = await findFaceDuplicates(verifier.db, { sessionId: 'ses_probeprobeprobeprobe1', modelId: FACE_EMBEDDING_MODEL, embedding, threshold: -1 });
    expect(everything.length).toBeGreaterThanOrEqual(2);
    for (const found of everything) expect(found.similarity!).toBeLessThan(FACE_DUPLICATE_THRESHOLD);
    // Stored embeddings are L2-normalised fr-feature vectors.
    const stored = await verifier.db.query<{ embedding: number[] }>('SELECT embedding FROM verifier_face_embeddings WHERE session_id = $1', [sessions.first.sessionId]);
    expect(coreFace.l2Norm(stored.rows[0]!.embedding)).toBeCloseTo(1, 4);
  }, 120_000);

  it('escalates a listed name (MRZ MUELLER vs list Müller) whatever the score; the user sees the review line', async () => {
    sessions.listed = await submit({ document: { surname: 'MUELLER', givenNames: 'HANS', birthDate: '1970-01-01', documentNumber: 'Q12345678' } });
    expect(sessions.listed.decision.outcome).toBe('escalate');
    expect(sessions.listed.decision.reasonCodes).toContain('screening_hit');
    const decision = (await verifier.store.getDecision(sessions.listed.sessionId))!;
    const sanctions = (decision.record.inputs as { signals: risk.RiskSignal[] }).signals.find((signal) => signal.name === 'sanctions');
    expect(sanctions).toMatchObject({ status: 'scored', score: 0, source: 'server', details: { listId: 'test-list-1', compared: 201, matches: 1 } });
    expect((await caseView(sessions.listed.sessionId)).screening).toEqual([expect.objectContaining({ entryId: 'FIX-HANS', category: 'sanctions', birthDate: 'match', nationality: 'match' })]);
    const forUser = await getStatus(verifier.app!, sessions.listed.sessionId, sessions.listed.clientToken);
    expect(forUser.body).toMatchObject({ decision: { outcome: 'review' }, userMessage: risk.USER_MESSAGES.review });
    expect(JSON.stringify(forUser.body)).not.toMatch(/screening|sanction|escalat|FIX-HANS/i);
    // The genuine sessions were screened and clear.
    const clear = ((await verifier.store.getDecision(sessions.first.sessionId))!.record.inputs as { signals: risk.RiskSignal[] }).signals.find((signal) => signal.name === 'sanctions');
    expect(clear).toMatchObject({ status: 'scored', score: 1 });
    // Same selfie as the genuine sessions (a face duplicate), another document number (no document duplicate).
    expect(sessions.listed.decision.reasonCodes).toContain('duplicate_face');
    expect(sessions.listed.decision.reasonCodes).not.toContain('duplicate_document_number');
  }, 240_000);
});

import { describe, expect, it } from 'vitest';
import { createMrz } from '../mrz/index.ts';
import type { EvidenceArtifact, EvidenceCheck, EvidenceManifest } from '../evidence/schema.ts';
import { DOCUMENT_GEOMETRY_TYPE } from '../evidence/document-geometry.ts';
import { DEFAULT_RESCORE_CONFIG, faceArtifacts, readBundleContent, rescoreEvidence, type BundleLike } from './index.ts';

/** A bundle as re-scoring reads it: only the parts it looks at are filled in. */
function bundleOf(checks: EvidenceCheck[], json: Record<string, unknown>[], images: Partial<EvidenceArtifact>[] = []): BundleLike {
  const artifacts = new Map<string, Uint8Array>();
  const listed: EvidenceArtifact[] = [];
  json.forEach((value, index) => {
    const id = `json-${index}`;
    artifacts.set(id, new TextEncoder().encode(JSON.stringify(value)));
    listed.push({ id, kind: 'other', mediaType: 'application/json', capturedAt: '2026-06-01T10:00:00.000Z' } as EvidenceArtifact);
  });
  for (const image of images) listed.push({ mediaType: 'image/jpeg', capturedAt: '2026-06-01T10:00:00.000Z', ...image } as EvidenceArtifact);
  const manifest = { session: { id: 'ses_test', nonce: 'n'.repeat(43), startedAt: '2026-06-01T09:59:00.000Z', completedAt: '2026-06-01T10:01:00.000Z' }, checks, artifacts: listed, liveness: null } as unknown as EvidenceManifest;
  return { manifest, artifacts };
}

const PASSPORT = { documentCode: 'P', issuingState: 'UTO', surname: 'ERIKSSON', givenNames: 'ANNA MARIA', documentNumber: 'L898902C3', nationality: 'UTO', birthDate: '740812', sex: 'F', optionalData: 'ZE184226B' };
const read = (expiryDate: string) => ({ type: 'ekyc.document.read', mrzLines: createMrz('TD3', { ...PASSPORT, expiryDate }) });
const documentChecks = (status: 'pass' | 'fail', issues: string): EvidenceCheck => ({ id: 'document-checks', kind: 'document.checks', status, score: null, threshold: null, errorCode: null, artifactIds: [], details: { issues } });
const referenceDate = new Date('2026-06-01T10:05:00Z');

describe('rescoreEvidence: the flow\'s document checks', () => {
  it('finds the same codes as the flow recorded: equal, and no disagreement in the routing', async () => {
    const result = await rescoreEvidence(bundleOf([documentChecks('pass', '')], [read('340415')]), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    expect(result.checks).toEqual([expect.objectContaining({ checkId: 'document-checks', recorded: 1, rescored: 1, tolerance: 0, verdict: 'match', recordedCodes: [], rescoredCodes: [] })]);
    expect(result.signals.find((s) => s.name === 'data_checks')).toMatchObject({ score: 1, reasonCodes: [] });
  });

  it('an expired document the device passed: DIFFERS with the codes, and the verifier routes the disagreement to review', async () => {
    const result = await rescoreEvidence(bundleOf([documentChecks('pass', '')], [read('250415')]), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    const [check] = result.checks;
    expect(check).toMatchObject({ verdict: 'differs', recorded: 1, rescored: 0, rescoredCodes: ['document_expired'] });
    expect(check!.note).toContain('codes recorded [], found [document_expired]');
    expect(result.hardRules).toEqual(expect.arrayContaining([{ code: 'document_expired', escalateTo: 'reject' }, { code: 'client_score_disagreement', escalateTo: 'review' }]));
    expect(result.decision.outcome).toBe('reject');
  });

  it('the same failure with other codes still DIFFERS (a policy that is not the session\'s); a failure recorded alike matches', async () => {
    const underAge = { ...config(), minimumAge: 60 };
    const same = await rescoreEvidence(bundleOf([documentChecks('fail', 'document_holder_under_age')], [read('340415')]), { config: underAge, referenceDate, faces: null });
    expect(same.checks[0]).toMatchObject({ verdict: 'match', recorded: 0, rescored: 0, rescoredCodes: ['document_holder_under_age'] });
    const other = await rescoreEvidence(bundleOf([documentChecks('fail', 'document_country_not_accepted')], [read('340415')]), { config: underAge, referenceDate, faces: null });
    expect(other.checks[0]).toMatchObject({ verdict: 'differs', difference: 0 });
  });

  it('without a document reading the check is not re-scored, never shown as equal', async () => {
    const result = await rescoreEvidence(bundleOf([documentChecks('pass', '')], []), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    expect(result.checks[0]).toMatchObject({ verdict: 'not_rescored', note: 'document_read_absent' });
  });
});

describe('rescoreEvidence: the printed fields against the MRZ', () => {
  const vizCheck = (status: 'pass' | 'fail' | 'inconclusive', mismatched: string): EvidenceCheck => ({ id: 'viz-cross-check', kind: 'document.viz_cross_check', status, score: null, threshold: null, errorCode: mismatched ? 'document_viz_mrz_mismatch' : null, artifactIds: ['document-read'], details: { compared: 3, mismatched } });
  const printed = { surname: 'Eriksson', givenNames: 'Anna Maria', birthDate: '1974-08-12' };

  it('printed fields that match: the same pass, and authenticity without the missing-cross-check cap', async () => {
    const result = await rescoreEvidence(bundleOf([vizCheck('pass', '')], [{ ...read('340415'), viz: printed }]), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    expect(result.checks[0]).toMatchObject({ checkId: 'viz-cross-check', verdict: 'match', recorded: 1, rescored: 1, recordedCodes: [], rescoredCodes: [] });
    expect(result.signals.find((s) => s.name === 'document_authenticity')).toMatchObject({ score: 1, reasonCodes: [] });
  });

  it('a printed birth date the device passed but the MRZ contradicts: DIFFERS naming the field, routed to review', async () => {
    const result = await rescoreEvidence(bundleOf([vizCheck('pass', '')], [{ ...read('340415'), viz: { ...printed, birthDate: '1967-08-12' } }]), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    expect(result.checks[0]).toMatchObject({ verdict: 'differs', recorded: 1, rescored: 0, rescoredCodes: ['birthDate'] });
    expect(result.hardRules).toContainEqual({ code: 'viz_mrz_mismatch', escalateTo: 'review' });
  });

  it('nothing printed to compare: not re-scored, and the authenticity signal says the cross-check is missing', async () => {
    const result = await rescoreEvidence(bundleOf([vizCheck('inconclusive', '')], [read('340415')]), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces: null });
    expect(result.checks[0]).toMatchObject({ verdict: 'not_rescored', note: 'viz_not_compared' });
    expect(result.signals.find((s) => s.name === 'document_authenticity')!.reasonCodes).toContain('viz_cross_check_missing');
  });
});

describe('rescoreEvidence: face match against the recorded score', () => {
  const faceCheck = (score: number): EvidenceCheck => ({ id: 'face-match', kind: 'face.match', status: 'pass', score, threshold: 0.5, errorCode: null, artifactIds: [], details: {} });
  const images = [{ id: 'portrait', kind: 'portrait' as const }, { id: 'selfie', kind: 'face_crop' as const }];
  const embeddings = (a: number[], b: number[]) => ({ document: { status: 'ok' as const, embedding: a }, selfie: { status: 'ok' as const, embedding: b }, keyframes: new Map() });

  it('compares within 0.05 (the auditor\'s tolerance) and routes a gap over clientDisagreement to review', async () => {
    // cos = 0.8 exactly.
    const faces = embeddings([1, 0], [0.8, 0.6]);
    const close = await rescoreEvidence(bundleOf([faceCheck(0.84)], [], images), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces });
    expect(close.similarity).toBeCloseTo(0.8, 12);
    expect(close.checks[0]).toMatchObject({ verdict: 'match', tolerance: 0.05 });
    expect(close.hardRules).toEqual([]);
    const far = await rescoreEvidence(bundleOf([faceCheck(0.99)], [], images), { config: DEFAULT_RESCORE_CONFIG, referenceDate, faces });
    expect(far.checks[0]).toMatchObject({ verdict: 'differs' });
    expect(far.hardRules).toEqual([{ code: 'client_score_disagreement', escalateTo: 'review' }]);
  });

  it('names which images the face match compares: portrait before the document crop, face crop before the first keyframe', () => {
    const bundle = bundleOf([], [], [{ id: 'crop', kind: 'document_crop' }, { id: 'k0', kind: 'liveness_keyframe' }, { id: 'k1', kind: 'liveness_keyframe' }]);
    const roles = faceArtifacts(bundle.manifest);
    expect([roles.document?.id, roles.selfie?.id, roles.keyframes.map((k) => k.id)]).toEqual(['crop', 'k0', ['k0', 'k1']]);
  });
});

describe('readBundleContent', () => {
  it('reads the document reading and every geometry, and skips JSON that is neither', () => {
    const geometry = { type: DOCUMENT_GEOMETRY_TYPE, version: 2, artifactId: 'document-front', documentType: 'passport', sizeClass: 'ID3', source: { width: 1280, height: 720, quad: [[100, 80], [1180, 90], [1170, 650], [110, 640]], quadFrom: 'detected' }, rectified: { width: 1250, height: 880, rotated180: false }, mrzLines: [{ x: 40, y: 700, width: 1170, height: 50 }, { x: 40, y: 770, width: 1170, height: 50 }] };
    const content = readBundleContent(bundleOf([], [{ type: 'unrelated' }, read('340415'), geometry, { ...geometry, artifactId: 'document-back', version: 3 }]));
    expect(content.documentRead?.mrzLines).toHaveLength(2);
    expect(content.geometries.map((g) => g.artifactId)).toEqual(['document-front']);
    expect(content.transcript).toBeUndefined();
  });
});

function config() {
  return { ...DEFAULT_RESCORE_CONFIG };
}

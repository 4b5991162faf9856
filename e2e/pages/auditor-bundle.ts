/**
 * Writes evidence bundles for the auditor page's end-to-end test, in Node, with the same code the
 * browser and the verifier run: testkit's sample session (consent, environment, hash-chained
 * events, timings) carrying real content the auditor can replay and re-score (a selfie and a
 * portrait cut from it, the device's MRZ reading, a document crop with its geometry, and a liveness
 * transcript driven by the session nonce), the client's face-match score computed with the
 * verifier's face engine on onnxruntime-node (so the in-browser re-score on onnxruntime-web is a
 * cross-runtime comparison), signed with a fresh session key and sealed to a fresh verifier key.
 *
 * Run: node --conditions=source --import tsx e2e/pages/auditor-bundle.ts <out dir>
 * Writes sealed.jwe, bundle.ekb1 (the decrypted container), verifier-key.json (private JWK),
 * tampered-artifact.jwe (one artifact byte flipped, then sealed again: only its hash fails) and
 * recorded.json (session id, nonce, recorded scores); and sealed-rgba.jwe, a session in the shape
 * core's livenessEvidence gives (the transcript in the manifest's liveness member, raw RGBA
 * keyframes whose hashes are the transcript's, with the detector's keypoints as landmarks); and
 * sealed-licence.jwe, a driving licence session (no MRZ: its printed fields as `ekyc.licence.read`, the
 * licence number doubted, the device's document checks passed under a configuration accepting licences).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildEvidence, createMrz, createSessionSigner, encodeContainer, face as coreFace, generateNonce, liveness, rescore, sealEvidence, sha256Hex,
  type ArtifactInput, type EvidenceBundle,
} from '@ekyc/core';
import { createSampleEvidenceInput } from '@ekyc/testkit/evidence';
import { exportJWK, generateKeyPair } from 'jose';
import { ServerFaceEngine } from '../../packages/verifier/src/face/engine.ts';
import { perform } from '../../packages/core/src/liveness/testing.ts';
import { crop, decodeJpeg, encodeJpeg, SELFIE_JPEG } from '../../packages/verifier/src/testing/faces.ts';
import { realSessionContent, TEST_DOCUMENT } from '../../packages/verifier/src/testing/session-bundle.ts';

/** A plain ID-card-like crop (stock, header band, portrait, MRZ band) with the geometry the auditor draws. */
function documentCrop(portrait: { width: number; height: number; data: Uint8ClampedArray }): { jpeg: Uint8Array; width: number; height: number; geometry: object } {
  const width = 640;
  const height = 450;
  const data = new Uint8ClampedArray(width * height * 4);
  const fill = (x0: number, y0: number, w: number, h: number, rgb: readonly [number, number, number]): void => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) data.set([...rgb, 255], (y * width + x) * 4);
  };
  fill(0, 0, width, height, [226, 232, 240]);
  fill(0, 0, width, 60, [30, 58, 138]);
  fill(0, 330, width, 120, [248, 250, 252]);
  const scale = Math.min(180 / portrait.width, 230 / portrait.height);
  for (let y = 0; y < Math.floor(portrait.height * scale); y++) {
    for (let x = 0; x < Math.floor(portrait.width * scale); x++) {
      const source = (Math.floor(y / scale) * portrait.width + Math.floor(x / scale)) * 4;
      data.set(portrait.data.subarray(source, source + 4), ((y + 80) * width + x + 30) * 4);
    }
  }
  const geometry = {
    type: 'ekyc.document.geometry', version: 1, artifactId: 'document-crop-0',
    // Where the card's corners were found in the capture frame, mapped into the crop (clockwise from top left).
    quad: [[6, 5], [633, 8], [636, 444], [3, 441]],
    mrzZone: { x: 24, y: 352, width: 592, height: 80 },
  };
  return { jpeg: encodeJpeg({ width, height, data }, 85), width, height, geometry };
}

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: auditor-bundle.ts <out dir>');
  mkdirSync(out, { recursive: true });
  const { privateKey, publicKey } = await generateKeyPair('ECDH-ES+A256KW', { crv: 'P-256', extractable: true });
  const verifierPublic = { ...(await exportJWK(publicKey)), kid: 'auditor-e2e' };
  const verifierPrivate = { ...(await exportJWK(privateKey)), kid: 'auditor-e2e' };

  const sessionId = `ses_${generateNonce().slice(0, 22)}`;
  const nonce = generateNonce();
  const startedAt = new Date(Date.now() - 60_000);
  const sample = await createSampleEvidenceInput({ sessionId, nonce, startedAt, seed: 4 });
  const engine = await ServerFaceEngine.create();
  try {
    const content = await realSessionContent({ nonce, startedAt, engine });
    const card = documentCrop(decodeJpeg(content.artifacts.find((a) => a.id === 'portrait-0')!.data));
    const at = new Date(startedAt.getTime() + 950).toISOString();
    const artifacts: ArtifactInput[] = [
      { id: 'document-crop-0', kind: 'document_crop', mediaType: 'image/jpeg', data: card.jpeg, width: card.width, height: card.height, capturedAt: at },
      { id: 'document-geometry', kind: 'other', mediaType: 'application/json', data: new TextEncoder().encode(JSON.stringify(card.geometry)), capturedAt: at },
      ...content.artifacts,
    ];
    const mrzLines = createMrz('TD3', { ...TEST_DOCUMENT });
    const bundle: EvidenceBundle = await buildEvidence({
      ...sample,
      artifacts,
      checks: [
        ...content.checks.map((check) => (check.id === 'mrz' ? { ...check, artifactIds: ['document-read', 'document-crop-0'] } : check)),
        { id: 'liveness', kind: 'liveness.active', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: ['liveness-transcript'], details: { challenges: content.liveness.challenges.length } },
      ],
      liveness: content.liveness,
      models: [
        { id: 'fr-detect', sha256: 'd'.repeat(64) }, { id: 'fr-landmark68', sha256: 'e'.repeat(64) }, { id: 'fr-feature', sha256: 'b'.repeat(64) },
      ],
    }, await createSessionSigner());

    const sealed = await sealEvidence(bundle, verifierPublic);
    const tamperedArtifacts = new Map(bundle.artifacts);
    const selfie = new Uint8Array(tamperedArtifacts.get('keyframe-0')!);
    const middle = Math.floor(selfie.length / 2);
    selfie[middle] = selfie[middle]! ^ 0x01;
    tamperedArtifacts.set('keyframe-0', selfie);
    const tampered = await sealEvidence({ ...bundle, artifacts: tamperedArtifacts }, verifierPublic);

    writeFileSync(path.join(out, 'sealed.jwe'), sealed);
    writeFileSync(path.join(out, 'bundle.ekb1'), encodeContainer(bundle));
    writeFileSync(path.join(out, 'tampered-artifact.jwe'), tampered);
    writeFileSync(path.join(out, 'verifier-key.json'), JSON.stringify(verifierPrivate));
    writeFileSync(path.join(out, 'recorded.json'), JSON.stringify({
      sessionId, nonce, mrzLines, selfieBytes: SELFIE_JPEG().byteLength,
      checks: bundle.manifest.checks.map((check) => ({ id: check.id, kind: check.kind, status: check.status, score: check.score, threshold: check.threshold })),
    }, null, 2));
    await writeRgbaVariant(out, engine, verifierPublic, card.jpeg, card.geometry, artifacts.find((a) => a.id === 'portrait-0')!);
    await writeLicenceVariant(out, verifierPublic);
  } finally {
    await engine.close();
  }
}

/** A session whose liveness part is what core's livenessEvidence makes of a LivenessCapture outcome. */
async function writeRgbaVariant(out: string, engine: ServerFaceEngine, verifierPublic: Parameters<typeof sealEvidence>[1], documentJpeg: Uint8Array, geometry: object, portrait: ArtifactInput): Promise<void> {
  const sessionId = `ses_${generateNonce().slice(0, 22)}`;
  const nonce = generateNonce();
  const startedAt = new Date(Date.now() - 120_000);
  const selfie = decodeJpeg(SELFIE_JPEG());
  const [face] = await engine.detect(selfie);
  // Each keyframe a slightly different still (its own hash, as a camera's frames have), with the detector's keypoints as landmarks.
  const performer = await liveness.LivenessEngine.fromNonce(nonce, liveness.livenessConfig({ challengeCount: 3 }));
  perform(performer, { seed: 11 });
  const keyframes = [];
  for (const [index, keyframe] of performer.transcript().keyframes.entries()) {
    const still = crop(selfie, face!.box, 2.2 + 0.2 * index);
    const image = { width: still.width, height: still.height, data: new Uint8ClampedArray(still.data) };
    const detected = (await engine.detect(still))[0] as coreFace.FaceDetection | undefined;
    const landmarks = Object.values(detected?.keypoints ?? {}).flatMap((p) => [p.x, p.y, 0]);
    performer.attachKeyframe(keyframe.t, { sha256: await sha256Hex(image.data), landmarks });
    keyframes.push({ role: keyframe.role, t: keyframe.t, image });
  }
  const still = keyframes[0]!.image;
  const evidence = await liveness.livenessEvidence({ nonce, transcript: performer.transcript(), keyframes, timeOrigin: startedAt.getTime() + 500 - 1000 });
  const sample = await createSampleEvidenceInput({ sessionId, nonce, startedAt, seed: 5, liveness: evidence });
  const at = new Date(startedAt.getTime() + 300).toISOString();
  const portraitEmbedding = await engine.embedBestFace(decodeJpeg(portrait.data), { allowSeveral: true });
  const selfieEmbedding = await engine.embedBestFace(still);
  if (portraitEmbedding.status !== 'ok' || selfieEmbedding.status !== 'ok') throw new Error('fixture faces not found');
  const similarity = coreFace.cosineSimilarity(portraitEmbedding.embedding, selfieEmbedding.embedding);
  const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
  const bundle = await buildEvidence({
    ...sample,
    artifacts: [
      { id: 'document-crop-0', kind: 'document_crop', mediaType: 'image/jpeg', data: documentJpeg, width: 640, height: 450, capturedAt: at },
      { id: 'document-geometry', kind: 'other', mediaType: 'application/json', data: json(geometry), capturedAt: at },
      { ...portrait, capturedAt: at },
      { id: 'document-read', kind: 'other', mediaType: 'application/json', data: json({ type: 'ekyc.document.read', mrzLines: createMrz('TD3', { ...TEST_DOCUMENT }) }), capturedAt: at },
      ...evidence.artifacts,
    ],
    checks: [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: ['document-read'], details: { format: 'TD3' } },
      { id: 'face-match', kind: 'face.match', status: similarity >= 0.5 ? 'pass' : 'fail', score: similarity, threshold: 0.5, errorCode: null, artifactIds: ['portrait-0', evidence.artifacts[0]!.id], details: { model: 'fr-feature' } },
      { id: 'liveness', kind: 'liveness.active', status: 'pass', score: 1, threshold: 1, errorCode: null, artifactIds: evidence.artifacts.map((a) => a.id), details: {} },
    ],
  }, await createSessionSigner());
  writeFileSync(path.join(out, 'sealed-rgba.jwe'), await sealEvidence(bundle, verifierPublic));
  writeFileSync(path.join(out, 'recorded-rgba.json'), JSON.stringify({
    sessionId, keyframes: evidence.artifacts.map((a) => a.id),
    checks: bundle.manifest.checks.map((check) => ({ id: check.id, kind: check.kind, status: check.status, score: check.score, threshold: check.threshold })),
  }, null, 2));
}

/** A driving licence session: the printed fields as the flow writes them (`licenceReadArtifact`), no images, no liveness. */
async function writeLicenceVariant(out: string, verifierPublic: Parameters<typeof sealEvidence>[1]): Promise<void> {
  const sessionId = `ses_${generateNonce().slice(0, 22)}`;
  const nonce = generateNonce();
  const startedAt = new Date(Date.now() - 90_000);
  const sample = await createSampleEvidenceInput({ sessionId, nonce, startedAt, seed: 6 });
  const at = new Date(startedAt.getTime() + 400).toISOString();
  const read = {
    type: rescore.LICENCE_READ_TYPE, layout: 'numbered', sign: 'D', uncertain: ['documentNumber'],
    fields: { surname: 'MUSTERMANN', givenNames: 'ERIKA', documentNumber: 'B072RRE2I55', birthDate: '1985-03-12', issueDate: '2016-01-19', expiryDate: '2031-01-18', issuingState: 'DEU' },
  };
  const bundle = await buildEvidence({
    ...sample,
    artifacts: [{ id: 'document-read', kind: 'other', mediaType: 'application/json', data: new TextEncoder().encode(JSON.stringify(read)), width: null, height: null, capturedAt: at }],
    checks: [
      { id: 'mrz', kind: 'mrz.check_digits', status: 'inconclusive', score: null, threshold: null, errorCode: 'document_mrz_not_found', artifactIds: ['document-read'], details: { format: 'none' } },
      { id: 'document-checks', kind: 'document.checks', status: 'pass', score: null, threshold: null, errorCode: null, artifactIds: ['document-read'], details: { issues: '' } },
    ],
    liveness: null,
    models: [],
  }, await createSessionSigner());
  writeFileSync(path.join(out, 'sealed-licence.jwe'), await sealEvidence(bundle, verifierPublic));
}

await main();

import { describe, expect, it } from 'vitest';
import type { DocumentRead } from '@ekyc/workers';
import { documentGeometryArtifact, frameDetails, type ReadSide } from './document.ts';

const rectified = { width: 856, height: 540, data: new Uint8ClampedArray(856 * 540 * 4) };
const outline = [{ x: 410, y: 300 }, { x: 1210, y: 340 }, { x: 1180, y: 850 }, { x: 380, y: 800 }] as const;

/** An upload's side as the document worker reads it; only what the geometry artifact looks at is set. */
function uploadSide(read: Partial<DocumentRead>): ReadSide {
  const documentRead = { mrzFound: false, rotated180: false, lines: [], sizeClass: 'ID1', ...read } as unknown as DocumentRead;
  return { index: 0, source: 'upload', capturedAt: '2026-12-03T00:00:00.000Z', width: 1600, height: 1200, read: documentRead, rectified };
}

describe('document geometry artifact', () => {
  it('records the outline the reader found in an upload, the crop it rectified', () => {
    const geometry = documentGeometryArtifact(uploadSide({ located: 'found-quad', quad: outline }), 'document-front', null);
    expect(geometry?.source).toEqual({ width: 1600, height: 1200, quad: outline.map((p) => [p.x, p.y]), quadFrom: 'detected' });
  });
  it('records the whole image when the upload was read as a whole', () => {
    const geometry = documentGeometryArtifact(uploadSide({ located: 'whole-image' }), 'document-front', null);
    expect(geometry?.source).toEqual({ width: 1600, height: 1200, quad: [[0, 0], [1600, 0], [1600, 1200], [0, 1200]], quadFrom: 'whole_image' });
  });
});

describe('frame details for the evidence', () => {
  it('say how many frames a reading fused across frames came from, and nothing of frames for an upload', () => {
    expect(frameDetails(undefined)).toEqual({});
    expect(frameDetails({ used: 2, rejected: 0, outcome: 'stable' })).toEqual({ framesUsed: 2, framesRejected: 0, frameVote: 'stable' });
    expect(frameDetails({ used: 5, rejected: 1, outcome: 'stable', fused: 3 })).toEqual({ framesUsed: 5, framesRejected: 1, frameVote: 'stable', framesFused: 3 });
  });
});

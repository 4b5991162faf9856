import { describe, expect, it } from 'vitest';
import type { DocumentRead, MrzSummary, VisualZoneRead } from '@ekyc/workers';
import { completionKeepsReading, documentGeometryArtifact, documentReadArtifact, evidenceViz, frameDetails, printedFieldsOf, vizCrossCheck, type ReadSide } from './document.ts';

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

/** A valid TD1 reading as the document worker summarises it (core readMrz's values). */
const MRZ: MrzSummary = {
  valid: true, format: 'TD1', ambiguous: false, errors: [], uncertainFields: [],
  fields: { documentCode: 'I', issuingState: 'D', documentNumber: 'T22000129', birthDate: '1964-08-12', sex: 'M', expiryDate: '2031-01-01', nationality: 'D', surname: 'MUELLER', givenNames: 'JOERG' },
  corrected: ['I<D<<T220001293<<<<<<<<<<<<<<<', '6408125M3101012D<<<<<<<<<<<<<6', 'MUELLER<<JOERG<<<<<<<<<<<<<<<<'],
};

/** A front's printed zone: each field read certain unless listed in `uncertain`. */
function printedZone(values: Record<string, string>, uncertain: string[] = []): VisualZoneRead {
  const box = { x: 0, y: 0, width: 10, height: 10 };
  const fields = Object.fromEntries(Object.entries(values).map(([name, value]) => [name, { value, raw: value, confidence: uncertain.includes(name) ? 0.4 : 0.97, uncertain: uncertain.includes(name), reasons: [], labelBox: box, valueBox: box }]));
  return { fields, labels: Object.keys(values).length, boxes: 2 * Object.keys(values).length, texts: [], timings: { detectMs: 0, recognizeMs: 0, secondReadMs: 0 } } as VisualZoneRead;
}

describe('printed fields in the evidence', () => {
  it('carries the printed fields compared with the MRZ, as printed, and leaves out flagged ones and MRZ values filled from the page', () => {
    const zone = printedZone({ surname: 'MÜLLER', givenNames: 'JÖRG', birthDate: '1964-08-12', documentNumber: 'T22000129', expiryDate: '2031-01-01', issueDate: '2021-01-02' }, ['documentNumber']);
    expect(printedFieldsOf(zone, MRZ)).toEqual({ surname: 'MÜLLER', givenNames: 'JÖRG', birthDate: '1964-08-12', expiryDate: '2031-01-01' });
    // Given names filled from the printed page would only match themselves; an uncertain MRZ expiry is no comparison either.
    const filled: MrzSummary = { ...MRZ, uncertainFields: ['givenNames', 'expiryDate'], sources: { givenNames: 'visual_zone' } };
    expect(printedFieldsOf(zone, filled)).toEqual({ surname: 'MÜLLER', birthDate: '1964-08-12' });
    expect(printedFieldsOf(null, MRZ)).toEqual({});
    expect(printedFieldsOf(zone, { ...MRZ, valid: false })).toEqual({});
  });

  it('keeps a printed field that differs from the MRZ, and the check fails naming the field, never its value', () => {
    const printed = printedFieldsOf(printedZone({ surname: 'MÜLLER', birthDate: '1957-08-12' }), MRZ);
    expect(printed).toEqual({ surname: 'MÜLLER', birthDate: '1957-08-12' });
    const check = vizCrossCheck(printed, MRZ, true);
    expect(check).toMatchObject({ kind: 'document.viz_cross_check', status: 'fail', errorCode: 'document_viz_mrz_mismatch', artifactIds: ['document-read'], details: { compared: 2, mismatched: 'birthDate' } });
    expect(JSON.stringify(check)).not.toContain('1957');
  });

  it('passes when every compared field matches; inconclusive when nothing was compared or the MRZ is not valid', () => {
    expect(vizCrossCheck({ surname: 'Müller', givenNames: 'Jörg' }, MRZ, true)).toMatchObject({ status: 'pass', errorCode: null, details: { compared: 2, mismatched: '' } });
    expect(vizCrossCheck({}, MRZ, true)).toMatchObject({ status: 'inconclusive', details: { compared: 0 } });
    expect(vizCrossCheck({ surname: 'MÜLLER' }, { ...MRZ, valid: false }, false)).toMatchObject({ status: 'inconclusive', artifactIds: [] });
  });

  it('puts the user\'s corrections over the printed fields, and sends `viz` only when there is one', () => {
    const viz = evidenceViz({ surname: 'MÜLLER', birthDate: '1964-08-12' }, { surname: 'MUELLER-LÜDENSCHEIDT' });
    expect(viz).toEqual({ surname: 'MUELLER-LÜDENSCHEIDT', birthDate: '1964-08-12' });
    expect(documentReadArtifact(MRZ, viz)).toEqual({ type: 'ekyc.document.read', mrzLines: MRZ.corrected, viz });
    expect(documentReadArtifact(MRZ, evidenceViz({}, null))).not.toHaveProperty('viz');
    expect(documentReadArtifact({ ...MRZ, valid: false }, viz)).toBeNull();
  });
});

describe('a reading completed from the other side', () => {
  const lines = ['IDD<<YJJC729C<0<<<<<<<<<<<<<<<', '0304177X3401099ITA<<<<<<<<<<<4', 'DE<LA<CRUZ<<SIOBHAN<<<<<<<<<<<'];
  const own = (valid: boolean, corrected = lines): MrzSummary => ({ valid, format: 'TD1', fields: {}, uncertainFields: ['documentNumber'], corrected, ambiguous: false, errors: [] });
  const completed: MrzSummary = {
    ...own(true, [lines[0]!.replace('YJJC', 'YJ61'), lines[1]!, lines[2]!]),
    sources: { documentNumber: 'visual_zone' },
    filled: [{ line: 0, column: 7, was: 'J', char: '6', source: 'visual_zone' }, { line: 0, column: 8, was: 'C', char: '1', source: 'visual_zone' }],
  };

  it('stands in for a refused reading, and for a valid one where it changed only what it filled', () => {
    expect(completionKeepsReading(own(false, []), completed)).toBe(true);
    expect(completionKeepsReading(null, completed)).toBe(true);
    expect(completionKeepsReading(own(true), completed)).toBe(true);
  });

  it('does not overrule a valid reading (a camera side fused from frames) anywhere else', () => {
    const fusedName = own(true, [lines[0]!, lines[1]!, 'DE<LA<CRUZ<<SIOBHAM<<<<<<<<<<<']);
    expect(completionKeepsReading(fusedName, completed)).toBe(false);
    expect(completionKeepsReading(own(true, lines.slice(0, 2)), completed)).toBe(false);
  });
});

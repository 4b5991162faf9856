import { readFileSync } from 'node:fs';
import type { document as coreDocument } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { completeFromOtherSide, wantsOtherSide } from './other-side.ts';
import type { VisualZoneRead } from './visual-zone.ts';

/**
 * A TD1 card read in Chromium (`eval:mrz` page, controlled glare over the back's number, seed 604005,
 * mild): the back's engine reads as the worker returned them (`mrzEvidence`) and the front's printed
 * zone as `read(front, { visualZone: true })` returned it.
 */
function recorded(): { truth: string[]; evidence: coreDocument.MrzFrameEvidence; front: VisualZoneRead } {
  const f = JSON.parse(readFileSync(new URL('./__fixtures__/glare-td1-604005.sides.json', import.meta.url), 'utf8')) as { truth: string[]; evidence: coreDocument.MrzFrameEvidence; frontVisualZone: VisualZoneRead };
  return { truth: f.truth, evidence: f.evidence, front: f.frontVisualZone };
}

const REFERENCE = new Date('2026-06-01T00:00:00Z');

describe('completeFromOtherSide (recorded TD1 back and front)', () => {
  it("sets the back's doubted number right from the front's print: flagged, sourced from the visual zone, the filled positions listed", () => {
    const { truth, evidence, front } = recorded();
    const mrz = completeFromOtherSide(evidence, front, REFERENCE)!;
    expect(mrz.valid).toBe(true);
    expect(mrz.corrected).toEqual(truth);
    expect(mrz.fields.documentNumber).toBe('YJ61729C');
    expect(mrz.uncertainFields).toContain('documentNumber');
    expect(mrz.sources).toEqual({ documentNumber: 'visual_zone' });
    expect(mrz.filled?.map((f) => `${f.line}:${f.column}:${f.was}>${f.char}`)).toEqual(['0:7:J>6', '0:8:C>1']);
  });

  it('fills nothing from a front whose printed number was not read: the back stands (null)', () => {
    const { evidence, front } = recorded();
    const { documentNumber: _, ...fields } = front.fields;
    expect(completeFromOtherSide(evidence, { ...front, fields, texts: front.texts.filter((t) => t.text !== 'YJ61729C') }, REFERENCE)).toBeNull();
  });
});

describe('wantsOtherSide', () => {
  it('asks for the front when the back is refused or doubts its number or a date, not for names alone', () => {
    expect(wantsOtherSide({ valid: false, uncertainFields: [] })).toBe(true);
    expect(wantsOtherSide({ valid: true, uncertainFields: ['documentNumber'] })).toBe(true);
    expect(wantsOtherSide({ valid: true, uncertainFields: ['expiryDate', 'surname'] })).toBe(true);
    expect(wantsOtherSide({ valid: true, uncertainFields: ['surname', 'givenNames'] })).toBe(false);
    expect(wantsOtherSide({ valid: true, uncertainFields: [] })).toBe(false);
    expect(wantsOtherSide(null)).toBe(false);
  });
});

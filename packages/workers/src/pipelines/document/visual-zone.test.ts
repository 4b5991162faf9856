import { describe, expect, it } from 'vitest';
import { readMrz, type document as coreDocument } from '@ekyc/core';
import { summarize, withPrintedSources } from './mrz-summary.ts';
import { countWordGaps, printedNumberAnchor, printedValues, unlabelledNameWords } from './visual-zone.ts';

/** A 1-line crop: dark glyph blocks (x ranges) 20 px tall on light paper, with a little noise. */
function line(width: number, glyphs: ReadonlyArray<[number, number]>, extra: ReadonlyArray<[number, number, number, number]> = []) {
  const height = 32;
  const data = new Uint8Array(width * height).map((_, i) => 215 + (i * 7919) % 17);
  const paint = (x0: number, x1: number, y0: number, y1: number) => {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = 30;
  };
  for (const [x0, x1] of glyphs) paint(x0, x1, 6, 26);
  for (const [x0, x1, y0, y1] of extra) paint(x0, x1, y0, y1);
  return { width, height, data };
}

/** Glyphs 14 px wide, 3 px apart; a word space of 12 px after glyph indices in `breaks`. */
function word(count: number, breaks: readonly number[] = [], start = 4): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let x = start;
  for (let i = 0; i < count; i++) {
    out.push([x, x + 14]);
    x += 14 + (breaks.includes(i) ? 12 : 3);
  }
  return out;
}

describe('countWordGaps', () => {
  it('counts word spaces, not letter gaps', () => {
    expect(countWordGaps(line(200, word(9)))).toBe(0);
    expect(countWordGaps(line(200, word(9, [4])))).toBe(1);
    expect(countWordGaps(line(240, word(10, [1, 4])))).toBe(2);
  });
  it('leaves out a field number\'s dot before the name', () => {
    expect(countWordGaps(line(220, word(8, [], 24), [[4, 8, 22, 26]]))).toBe(0);
  });
  it('says nothing on a blank or flat crop', () => {
    expect(countWordGaps(line(200, []))).toBeNull();
    expect(countWordGaps({ width: 4, height: 4, data: new Uint8Array(16) })).toBeNull();
  });
});

describe('printedValues', () => {
  it('offers the number field and every date on the page in MRZ form, the dates whether their label was read or not', () => {
    // 117034 of tuning set 17000 (strong): the birth date's label read `Daleofgorth`, so no field holds it.
    const texts = ['Suname/Nom', 'ABDULLAH', 'Daleofgorth', '01MAR 1949', 'Documentns', 'ATY23Z08', '17 MAY2019', '13JUN 2027'].map((text) => ({ text }));
    const fields = { documentNumber: { value: 'ATY 23Z08' }, issueDate: { value: '2019-05-17' } } as unknown as coreDocument.VisualZoneReading['fields'];
    const printed = printedValues({ fields, texts }, 2026);
    expect(printed.documentNumbers).toEqual(['ATY23Z08']);
    expect([...printed.dates].sort()).toEqual(['190517', '270613', '490301']);
  });
});

describe('unlabelled values (tuning 150000 strong TD2 250006: no label readable)', () => {
  // The visual zone's boxes as read: every value at 0.97-0.99, the labels' debris at 0.16-0.22.
  const texts = [['UTOPIA IDENTITYCARD', 0.83], ['ew', 0.2], ['OON', 0.16], ['OCONNOR', 0.97], ['AY', 0.17], ['EVA', 0.99], ['MoEL', 0.19], ['ESP', 0.99], ['25 FEB 1977', 0.67], ['M', 0.99], ['F9U97M504', 0.98], ['15MAY2020', 0.97], ['07OCT2029', 0.69]].map(([text, confidence]) => ({ text: text as string, confidence: confidence as number }));
  const fields = {} as coreDocument.VisualZoneReading['fields'];

  it('offers the words read certain, letters only, two or more, as names', () => {
    // The title (0.83) is offered too: a word fills only where it agrees with every letter the MRZ read.
    expect(unlabelledNameWords({ fields, texts })).toEqual(['UTOPIA IDENTITYCARD', 'OCONNOR', 'EVA', 'ESP']);
    const surname = { surname: { value: 'OCONNOR', raw: 'OCONNOR' } } as unknown as coreDocument.VisualZoneReading['fields'];
    expect(unlabelledNameWords({ fields: surname, texts })).toEqual(['UTOPIA IDENTITYCARD', 'EVA', 'ESP']);
    // The labels' debris under the floor stays out (0.2 and under here).
    expect(unlabelledNameWords({ fields, texts })).not.toContain('MOEL');
  });

  it('offers names of several words read at 0.5 or more (274004 of tuning 174000, strong MRV-B: no label read)', () => {
    const visa = [['UTOPIA VISA', 0.83], ['DE LA CRUZ', 0.52], ['亮', 0.15], ['JOAO PEDRO', 0.74], ['UTO', 0.99], ['3', 0.25], ['21 MAR 2001', 0.58], ['M', 1.0], ['B8699HZ1E', 0.98], ['Daw', 0.38]].map(([text, confidence]) => ({ text: text as string, confidence: confidence as number }));
    expect(unlabelledNameWords({ fields, texts: visa })).toEqual(['UTOPIA VISA', 'DE LA CRUZ', 'JOAO PEDRO', 'UTO']);
  });

  it('takes the MRZ number as the anchor where a printed text equals it, its label unread', () => {
    expect(printedNumberAnchor({ fields, texts }, 'F9U97M504')).toBe('F9U97M504');
    expect(printedNumberAnchor({ fields, texts }, 'F9U97M505')).toBeNull();
    const labelled = { documentNumber: { value: 'F9U97M5O4' } } as unknown as coreDocument.VisualZoneReading['fields'];
    expect(printedNumberAnchor({ fields: labelled, texts }, 'F9U97M504')).toBe('F9U97M5O4');
  });
});

describe('withPrintedSources', () => {
  it('marks the fields holding characters filled from printed values as from the visual zone, and uncertain', () => {
    const lines = ['V<D<<ABDULLAH<<EVA<<<<<<<<<<<<<<<<<<', 'ATY23Z08<3GBR4903017X2706111<<<<<<<<'];
    const result = readMrz(lines, { referenceDate: new Date('2026-06-01T00:00:00Z') });
    const merged = { result, valid: true, uncertainFields: [], ambiguous: false, printedFilled: [{ line: 1, column: 14, was: 'T', char: '9' }] };
    const summary = withPrintedSources(summarize(merged), merged);
    expect(summary.sources).toEqual({ birthDate: 'visual_zone' });
    expect(summary.uncertainFields).toContain('birthDate');
    expect(summary.filled).toEqual([{ line: 1, column: 14, was: 'T', char: '9', source: 'visual_zone' }]);
    expect(withPrintedSources(summarize(merged), { ...merged, printedFilled: [] })).toEqual(summarize(merged));
  });
});

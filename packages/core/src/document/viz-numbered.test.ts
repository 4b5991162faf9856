import { describe, expect, it } from 'vitest';
import { assembleVisualZone, certainVisualZoneValues, withSecondReading, type VizTextBox } from './viz-fields.ts';
import { numberedFieldToken, splitNumberedSegments, withoutFieldNumber } from './viz-numbered.ts';

const box = (text: string, x: number, y: number, width: number, height = 30, confidence = 0.95): VizTextBox => ({ x, y, width, height, text, confidences: [...text].map(() => confidence) });

/** Row tops (px) of an ID-1 licence front at 12 px/mm: 1, 2, 3, 4a|4c, 4b|4d, 5, 9. */
const ROW = { r1: 168, r2: 222, r3: 276, r4: 330, r5: 384, r6: 438, r9: 552 };

describe('field numbers', () => {
  it('reads printed numbers and their OCR look-alikes', () => {
    expect(numberedFieldToken('1.')).toEqual({ key: '1', exact: true });
    expect(numberedFieldToken('4b.')).toEqual({ key: '4b', exact: true });
    expect(numberedFieldToken('4h.')).toEqual({ key: '4b', exact: false });
    expect(numberedFieldToken('Ab.')).toEqual({ key: '4b', exact: false });
    expect(numberedFieldToken('46.')).toEqual({ key: '4b', exact: false });
    expect(numberedFieldToken('4o.')).toEqual({ key: '4a', exact: false });
    expect(numberedFieldToken('4e.')).toEqual({ key: '4c', exact: false });
    expect(numberedFieldToken('l.')).toEqual({ key: '1', exact: false });
    expect(numberedFieldToken('S.')).toEqual({ key: '5', exact: false });
  });
  it('does not take numbers, dates or words for field numbers', () => {
    expect(numberedFieldToken('46')).toBeNull();
    expect(numberedFieldToken('12.')).toBeNull();
    expect(numberedFieldToken('S')).toBeNull();
    expect(numberedFieldToken('6.')).toBeNull();
    expect(numberedFieldToken('5', true)).toBeNull();
    expect(numberedFieldToken('AB')).toBeNull();
  });
  it('splits a row holding two fields, and numbers run into their values', () => {
    expect(splitNumberedSegments('4a. 19.01.2013 4c. LANDRATSAMT').map((s) => [s.key, s.text])).toEqual([['4a', '19.01.2013'], ['4c', 'LANDRATSAMT']]);
    expect(splitNumberedSegments('1.MUSTERMANN').map((s) => [s.key, s.text])).toEqual([['1', 'MUSTERMANN']]);
    expect(splitNumberedSegments('4b.18.01.2033').map((s) => [s.key, s.text])).toEqual([['4b', '18.01.2033']]);
    expect(splitNumberedSegments('3.12.03.1985 BERLIN').map((s) => [s.key, s.text])).toEqual([['3', '12.03.1985 BERLIN']]);
    expect(splitNumberedSegments('4 b. 18.01.2033').map((s) => [s.key, s.text])).toEqual([['4b', '18.01.2033']]);
    expect(splitNumberedSegments('4cRDW').map((s) => [s.key, s.exact, s.text])).toEqual([['4c', false, 'RDW']]);
    // A date is not a number followed by a value.
    expect(splitNumberedSegments('12.03.1985').map((s) => [s.key, s.text])).toEqual([[null, '12.03.1985']]);
    expect(splitNumberedSegments('1.02.1990').map((s) => [s.key, s.text])).toEqual([[null, '1.02.1990']]);
    expect(withoutFieldNumber('4b. 18.01.2033')).toBe('18.01.2033');
    expect(withoutFieldNumber('MUSTERMANN')).toBe('MUSTERMANN');
  });
});

/** The certain values every variant of the Mustermann licence below must give. */
const MUSTERMANN_FIELDS = {
  surname: 'MUSTERMANN', givenNames: 'ERIKA', birthDate: '1985-03-12', issueDate: '2013-01-19', expiryDate: '2028-01-18', documentNumber: 'B072RRE2I55',
};

describe('assembleVisualZone on a numbered (EU driving licence) layout', () => {
  // What PP-OCR det + rec give for a licence front: each number and its value in one box; the header,
  // the country code and 4c/4d/9 as boxes of their own.
  const licence = [
    box('DRIVING LICENCE', 300, 40, 380, 40),
    box('UT', 40, 40, 60, 40),
    box('1. MUSTERMANN', 396, ROW.r1, 260),
    box('2. ERIKA', 396, ROW.r2, 150),
    box('3. 12.03.1985 BERLIN', 396, ROW.r3, 330),
    box('4a. 19.01.2013', 396, ROW.r4, 220),
    box('4c. LANDRATSAMT', 660, ROW.r4, 250),
    box('4b. 18.01.2028', 396, ROW.r5, 220),
    box('4d. 123456', 660, ROW.r5, 170),
    box('5. B072RRE2I55', 396, ROW.r6, 250),
    box('9. AM/A1/B/L', 396, ROW.r9, 200),
  ];
  it('maps each number to its field and reads dates day first with the place of birth dropped', () => {
    const r = assembleVisualZone(licence, { referenceYear: 2026 });
    expect(r.layout).toBe('numbered');
    expect(certainVisualZoneValues(r)).toEqual(MUSTERMANN_FIELDS);
    expect(r.fields.birthDate).toMatchObject({ raw: '12.03.1985', labelKey: '3' });
    // The value's own part of the box (for the second engine's crop), not the number.
    expect(r.fields.surname!.valueBox.x).toBeGreaterThan(396 + 15);
    expect(r.labels).toBe(9);
  });
  it('pairs a number standing alone with the text after it on its row', () => {
    const split = [
      box('1.', 396, ROW.r1, 24), box('MUSTERMANN', 432, ROW.r1, 230),
      box('2.', 396, ROW.r2, 24), box('ERIKA', 432, ROW.r2, 120),
      box('3.', 396, ROW.r3, 24), box('12.03.1985 BERLIN', 432, ROW.r3, 300),
      box('4a.', 396, ROW.r4, 40), box('19.01.2013', 444, ROW.r4, 170), box('4c.', 660, ROW.r4, 40), box('LANDRATSAMT', 708, ROW.r4, 220),
      box('4b.', 396, ROW.r5, 40), box('18.01.2028', 444, ROW.r5, 170),
      box('5.', 396, ROW.r6, 24), box('B072RRE2I55', 432, ROW.r6, 220),
    ];
    expect(certainVisualZoneValues(assembleVisualZone(split, { referenceYear: 2026 }))).toEqual(MUSTERMANN_FIELDS);
  });
  it('reads numbers through OCR confusions when their place on the card agrees', () => {
    const confused = [
      box('l. MUSTERMANN', 396, ROW.r1, 260),
      box('2. ERIKA', 396, ROW.r2, 150),
      box('3.12.03.1985 BERLIN', 396, ROW.r3, 320),
      box('4a.19.01.2013 4e. LANDRATSAMT', 396, ROW.r4, 520),
      box('Ab. 18.01.2028', 396, ROW.r5, 220),
      box('S. B072RRE2I55', 396, ROW.r6, 250),
    ];
    const r = assembleVisualZone(confused, { referenceYear: 2026 });
    expect(certainVisualZoneValues(r)).toEqual(MUSTERMANN_FIELDS);
    // 4h for 4b, 4 b. with a space read inside.
    const r2 = assembleVisualZone([...confused.slice(0, 4), box('4h. 18.01.2028', 396, ROW.r5, 220), box('5. B072RRE2I55', 396, ROW.r6, 250)], { referenceYear: 2026 });
    // Slashed dates run into their number (seed 7009: `4a.21/06/2025`), and a number box that caught
    // the first digit of its value (seed 7005: `4b.2` beside `24/11/2035`).
    const r4 = assembleVisualZone([...confused.slice(0, 3), box('4a.21/06/2025', 396, ROW.r4, 230), box('4b.2', 396, ROW.r5, 62), box('24/11/2035', 444, ROW.r5, 170)], { referenceYear: 2026 });
    expect(certainVisualZoneValues(r4)).toMatchObject({ issueDate: '2025-06-21', expiryDate: '2035-11-24' });
    expect(r2.fields.expiryDate).toMatchObject({ value: '2028-01-18', uncertain: false });
    const r3 = assembleVisualZone([...confused.slice(0, 4), box('4 b. 18.01.2028', 396, ROW.r5, 230)], { referenceYear: 2026 });
    expect(r3.fields.expiryDate).toMatchObject({ value: '2028-01-18', uncertain: false });
  });
  it('doubts a look-alike number that sits in another field\'s place', () => {
    // Row 4a read `Ab.` (a 4b look-alike) above the real 4b: never an expiry taken from the issue row.
    const r = assembleVisualZone([
      box('1. MUSTERMANN', 396, ROW.r1, 260), box('2. ERIKA', 396, ROW.r2, 150),
      box('Ab. 19.01.2013', 396, ROW.r4, 220), box('4b. 18.01.2028', 396, ROW.r5, 220),
    ], { referenceYear: 2026 });
    expect(r.fields.expiryDate).toMatchObject({ value: '2028-01-18', uncertain: false });
    const onlyLookAlike = assembleVisualZone([
      box('1. MUSTERMANN', 396, ROW.r1, 260), box('2. ERIKA', 396, ROW.r2, 150), box('5. B072RRE2I55', 396, ROW.r6, 250),
      box('Ab. 19.01.2013', 396, ROW.r6 + 54, 220),
    ], { referenceYear: 2026 });
    expect(onlyLookAlike.fields.expiryDate).toMatchObject({ uncertain: true, reasons: expect.arrayContaining(['label_uncertain']) });
  });
  it('flags dates that cannot all be right (4a and 4b swapped)', () => {
    const r = assembleVisualZone([
      box('1. MUSTERMANN', 396, ROW.r1, 260), box('2. ERIKA', 396, ROW.r2, 150),
      box('4a. 18.01.2028', 396, ROW.r4, 220), box('4b. 19.01.2013', 396, ROW.r5, 220),
    ], { referenceYear: 2026 });
    expect(r.fields.issueDate).toMatchObject({ uncertain: true, reasons: ['inconsistent_dates'] });
    expect(r.fields.expiryDate).toMatchObject({ uncertain: true, reasons: ['inconsistent_dates'] });
  });
  it('resolves two-digit years by field: a birth year in the past, an expiry year ahead', () => {
    const r = assembleVisualZone([
      box('1. NOVAK', 396, ROW.r1, 200), box('2. LENA', 396, ROW.r2, 150), box('3. 07/11/52 PRAHA', 396, ROW.r3, 280),
      box('4a. 02/05/19', 396, ROW.r4, 200), box('4b. 01/05/34', 396, ROW.r5, 200),
    ], { referenceYear: 2026 });
    expect(certainVisualZoneValues(r)).toMatchObject({ birthDate: '1952-11-07', issueDate: '2019-05-02', expiryDate: '2034-05-01' });
  });
  it('the second engine\'s read of a crop that caught the number still confirms the value', () => {
    const r = assembleVisualZone(licence, { referenceYear: 2026 });
    expect(withSecondReading('expiryDate', r.fields.expiryDate!, '4b. 18.01.2028', 2026)).toMatchObject({ uncertain: false });
    expect(withSecondReading('birthDate', r.fields.birthDate!, '12.03.1985 BERL', 2026)).toMatchObject({ uncertain: false });
    expect(withSecondReading('expiryDate', r.fields.expiryDate!, '18.01.2026', 2026)).toMatchObject({ uncertain: true, reasons: ['engines_disagree'] });
  });
  it('a labelled card with a number in its address is not read as numbered', () => {
    const r = assembleVisualZone([
      box('Surname / Nom', 370, 120, 160, 22), box('NOVAK', 370, 146, 110, 32),
      box('Address', 370, 200, 100, 22), box('1 MAIN STREET', 370, 226, 200, 32), box('5. FLOOR', 370, 260, 200, 32),
    ], { referenceYear: 2026 });
    expect(r.layout).toBe('labelled');
    expect(r.fields.surname?.value).toBe('NOVAK');
  });
});

describe('numbered values as PP-OCR reads them', () => {
  it('cuts the date from a place of birth run into it, never a two-digit year out of a misread four-digit one', () => {
    const rows = (three: string) => [
      box('MURPHY', 420, ROW.r1, 120), box('1', 396, ROW.r1, 14),
      box('MARIAJOSE', 420, ROW.r2, 160), box('2.', 396, ROW.r2, 24, 30, 0.6),
      box(three, 420, ROW.r3, 280), box('3.', 396, ROW.r3, 24),
      box('4c. STAROSTA', 708, ROW.r4, 200), box('18.04.2025', 444, ROW.r4, 170), box('4a.', 396, ROW.r4, 40),
      box('17.04.2035', 444, ROW.r5, 170), box('4b.', 396, ROW.r5, 40),
      box('KJFTCP2KGBR', 432, ROW.r6, 200), box('5.', 396, ROW.r6, 24),
    ];
    const r = assembleVisualZone(rows('28.07.1950UT0PIA'), { referenceYear: 2026 });
    expect(r.fields.birthDate).toMatchObject({ value: '1950-07-28', raw: '28.07.1950' });
    expect(certainVisualZoneValues(r)).toMatchObject({ surname: 'MURPHY', givenNames: 'MARIAJOSE', issueDate: '2025-04-18', expiryDate: '2035-04-17', documentNumber: 'KJFTCP2KGBR' });
    for (const f of Object.values(r.fields)) {
      expect(Number.isInteger(f.valueBox.x) && Number.isInteger(f.valueBox.width)).toBe(true);
    }
    // `195O` (O for 0) must not leave `28.07.19` as a birth in 2019.
    expect(assembleVisualZone(rows('28.07.195OUT0PIA'), { referenceYear: 2026 }).fields.birthDate?.value ?? null).not.toBe('2019-07-28');
    expect(assembleVisualZone(rows('28.07.50KORK'), { referenceYear: 2026 }).fields.birthDate?.value).toBe('1950-07-28');
  });
  it('a licence issued to a holder under 14 is a misread date', () => {
    const r = assembleVisualZone([
      box('1. NOVAK', 396, ROW.r1, 200), box('2. LENA', 396, ROW.r2, 150), box('3. 07.11.2019', 396, ROW.r3, 280),
      box('4a. 02.05.2025', 396, ROW.r4, 200), box('4b. 01.05.2035', 396, ROW.r5, 200),
    ], { referenceYear: 2026 });
    expect(r.fields.birthDate).toMatchObject({ uncertain: true, reasons: ['inconsistent_dates'] });
    expect(r.fields.issueDate).toMatchObject({ uncertain: true, reasons: ['inconsistent_dates'] });
  });
});

describe('numbered layout order', () => {
  // Seed 4 of the synthetic licences, as PP-OCR read it: the signature's `7.` came out as `1` (0.37).
  const seed4 = [
    box('DE VRIES', 420, ROW.r1, 150), box('1.', 396, ROW.r1, 24, 30, 0.74),
    box('AOIFE', 420, ROW.r2, 100), box('2.', 396, ROW.r2, 24),
    box('03.03.1969P0RTO', 420, ROW.r3, 260), box('3.', 396, ROW.r3, 24, 30, 0.87),
    box('4c. RDW', 708, ROW.r4, 110), box('03.07.2016', 444, ROW.r4, 170), box('4a.', 396, ROW.r4, 40),
    box('02.07.2031', 444, ROW.r5, 170), box('4b.', 396, ROW.r5, 40),
    box('DEVR1857447YZ5JV', 432, ROW.r6, 260, 30, 0.51), box('5.', 396, ROW.r6, 24),
    box('1', 396, ROW.r6 + 54, 14, 30, 0.37),
  ];
  it('one misread number doubts itself, not the fields around it', () => {
    const r = assembleVisualZone(seed4, { referenceYear: 2026 });
    expect(certainVisualZoneValues(r)).toEqual({ surname: 'DE VRIES', givenNames: 'AOIFE', birthDate: '1969-03-03', issueDate: '2016-07-03', expiryDate: '2031-07-02' });
    expect(r.fields.documentNumber).toMatchObject({ uncertain: true, reasons: ['low_confidence'] });
  });
  it('the same number read exactly in two places is doubted in both', () => {
    const r = assembleVisualZone([
      box('1. MUSTERMANN', 396, ROW.r1, 260), box('2. ERIKA', 396, ROW.r2, 150),
      box('4b. 19.01.2013', 396, ROW.r4, 220), box('4b. 18.01.2028', 396, ROW.r5, 220),
    ], { referenceYear: 2026 });
    expect(r.fields.expiryDate).toMatchObject({ uncertain: true, reasons: ['label_uncertain'] });
  });
});

describe('numbered layout: numbers lost or split by the detector', () => {
  // Seed 6 (mild), as PP-OCR det + rec gave it: `4a.` read `a.`, a 6x5 px speck read `1` inside the issue
  // date, the `4b.` box overlapping its value by a glyph.
  const seed6 = [
    box('DRIVING LICENCE', 205, 51, 343, 30, 0.57), box('PERMISDECONDUIRE FUHRERSCHEIN PATENTEDIGUIDA', 199, 95, 506, 25, 0.51),
    box('OLSEN', 407, 165, 110, 29, 1), box('1', 355, 172, 18, 19, 1),
    box('SANNE', 407, 215, 113, 29, 1), box('2.', 357, 219, 17, 20, 0.67),
    box('06.08.1950MILANO', 408, 265, 316, 27, 0.82), box('3', 360, 271, 16, 17, 0.94),
    box('4c.RDW', 707, 312, 136, 32, 0.99), box('01.01.2020', 402, 314, 188, 30, 1), box('a.', 373, 320, 38, 21, 0.95), box('1', 405, 325, 6, 5, 0.21),
    box('31.12.2034', 403, 365, 187, 27, 0.99), box('4b.', 355, 367, 62, 25, 0.96),
    box('BR2XSPG98J8', 407, 414, 222, 30, 0.94), box('5.', 356, 418, 21, 23, 0.98),
    box('7.', 358, 480, 18, 19, 0.87), box('AM/B/T', 91, 548, 120, 32, 0.98), box('9.', 48, 555, 25, 21, 0.98),
  ];
  it('pairs each number with its own value, and takes `a.` for 4a where its row agrees', () => {
    const r = assembleVisualZone(seed6, { referenceYear: 2026 });
    expect(certainVisualZoneValues(r)).toEqual({ surname: 'OLSEN', givenNames: 'SANNE', issueDate: '2020-01-01', expiryDate: '2034-12-31', documentNumber: 'BR2XSPG98J8', birthDate: '1950-08-06' });
  });
  it('a value whose number was not detected is placed by its row: certain only between exactly read rows', () => {
    const withoutOne = seed6.filter((b) => !(b.text === '1' && b.y === 172));
    const r = assembleVisualZone(withoutOne, { referenceYear: 2026 });
    expect(r.fields.surname).toMatchObject({ value: 'OLSEN', uncertain: false, labelKey: '1' });
    expect(r.fields.givenNames).toMatchObject({ value: 'SANNE', uncertain: false });
    // Without `1.` and `2.`: exactly read numbers on three rows (3, 4b, 5) still place rows 0 and 1 tightly.
    const withoutTwo = withoutOne.filter((b) => b.text !== '2.');
    expect(certainVisualZoneValues(assembleVisualZone(withoutTwo, { referenceYear: 2026 }))).toMatchObject({ surname: 'OLSEN', givenNames: 'SANNE' });
    // Without `5.` and `4c.` as well: exact numbers on two rows left (3, 4b), and rows 0 and 1 have no
    // exactly read neighbour: flagged.
    const r2 = assembleVisualZone(withoutTwo.filter((b) => b.text !== '5.' && b.text !== '4c.RDW'), { referenceYear: 2026 });
    expect(r2.fields.surname).toMatchObject({ value: 'OLSEN', uncertain: true, reasons: ['label_uncertain'] });
    expect(r2.fields.givenNames).toMatchObject({ value: 'SANNE', uncertain: true, reasons: ['label_uncertain'] });
    // The header and the categories are in no field's row.
    expect(Object.values(r.fields).map((f) => f.raw)).not.toContain('DRIVING LICENCE');
  });
});

describe('numbered layout when blur took the field numbers', () => {
  // Seed 107004 (strong), texts as PP-OCR read them: no `1.`, `2.`, `3.`, `4a.`, `5.`; `4b` at 0.20.
  const seed107004 = [
    box('DRIVINGLICENCE', 205, 51, 343, 30, 0.99), box('PRMSDLONOREFUERSCIENEDOO', 199, 95, 506, 25, 0.29),
    box('MUSTERMANN', 407, 165, 230, 29, 1), box('PIETER', 407, 215, 130, 29, 0.97),
    box('14.04.1999SEVILLA', 408, 265, 330, 27, 0.97), box('12.04.2022', 402, 314, 188, 30, 0.84), box('4cRDW', 707, 312, 120, 32, 0.85),
    box('11.04.2032', 403, 365, 187, 27, 0.9), box('4b', 355, 367, 40, 25, 0.2),
    box('UBMJSM7P6JX', 407, 414, 222, 30, 0.88), box('S', 356, 418, 21, 23, 0.13), box('AM/A1/B/L', 91, 548, 120, 32, 0.94),
  ];
  it('the title and the three stacked dates place every row; all flagged, since no number confirms them', () => {
    const r = assembleVisualZone(seed107004, { referenceYear: 2026 });
    expect(r.layout).toBe('numbered');
    const values = Object.fromEntries(Object.entries(r.fields).map(([k, f]) => [k, f.value]));
    expect(values).toEqual({ surname: 'MUSTERMANN', givenNames: 'PIETER', birthDate: '1999-04-14', issueDate: '2022-04-12', expiryDate: '2032-04-11', documentNumber: 'UBMJSM7P6JX' });
    expect(certainVisualZoneValues(r)).toEqual({});
  });
  it('without the title, a few stray numbers are no layout', () => {
    expect(assembleVisualZone(seed107004.slice(2), { referenceYear: 2026 }).layout).toBe('labelled');
  });
});

describe('a look-alike number needs the rows of exact ones', () => {
  it('`4O` (0.18) beside the expiry under strong blur is not taken as 4a when no exact number places its row (seed 107003)', () => {
    const r = assembleVisualZone([
      box('DRIVING LICENCE', 205, 51, 343, 30, 0.53), box('PERIES DE cORGLEPHeEASOHENCTEAT DOCa', 199, 95, 506, 25, 0.2),
      box('JANSEN', 407, 165, 130, 29, 0.93), box('RIAJOSE', 407, 215, 140, 29, 0.98), box('0Z.59LYON', 408, 265, 200, 27, 0.37),
      box('4NDLS', 707, 312, 120, 32, 0.98), box('03.16', 440, 314, 100, 30, 0.98),
      box('26.03.26', 403, 365, 160, 27, 0.99), box('4O', 355, 367, 40, 25, 0.18),
      box('V06UJBG4SCM', 407, 414, 222, 30, 0.76), box('6', 356, 418, 21, 23, 0.31), box('9.AM/B', 48, 548, 120, 32, 0.6),
    ], { referenceYear: 2026 });
    expect(r.fields.issueDate).toMatchObject({ value: '2026-03-26', uncertain: true, reasons: expect.arrayContaining(['label_uncertain']) });
    expect(certainVisualZoneValues(r)).toEqual({});
  });
});

import { describe, expect, it } from 'vitest';
import { crossCheckVisualZone } from './cross-check.ts';
import { assembleVisualZone, certainVisualZoneValues, parsePrintedDate, parseVizValue, settleNameSpacing, vizLabelField, withSecondReading, type VizTextBox } from './viz-fields.ts';

const box = (text: string, x: number, y: number, width: number, height: number, confidence = 0.95): VizTextBox => ({ x, y, width, height, text, confidences: [...text].map(() => confidence) });

describe('parsePrintedDate', () => {
  it('reads month names, bilingual months, numeric day-first and ISO prints', () => {
    expect(parsePrintedDate('12 AUG 1974').iso).toBe('1974-08-12');
    expect(parsePrintedDate('12 AUG/AOUT 74', 'birth', 2026).iso).toBe('1974-08-12');
    expect(parsePrintedDate('01NOV2033', 'expiry').iso).toBe('2033-11-01');
    expect(parsePrintedDate('28JUN 2024', 'issue').iso).toBe('2024-06-28');
    expect(parsePrintedDate('12.08.1974').iso).toBe('1974-08-12');
    expect(parsePrintedDate('03/04/31', 'expiry').iso).toBe('2031-04-03');
    expect(parsePrintedDate('1974-08-12').iso).toBe('1974-08-12');
    expect(parsePrintedDate('12 Août 1974').iso).toBe('1974-08-12');
  });
  it('pivots two-digit years by kind: a birth year in the future belongs to the last century', () => {
    expect(parsePrintedDate('01.02.30', 'birth', 2026).iso).toBe('1930-02-01');
    expect(parsePrintedDate('01.02.20', 'birth', 2026).iso).toBe('2020-02-01');
    expect(parsePrintedDate('01.02.30', 'expiry', 2026).iso).toBe('2030-02-01');
  });
  it('repairs letters read for digits, and says so', () => {
    const d = parsePrintedDate('2O NOV 1996');
    expect(d).toEqual({ iso: '1996-11-20', repaired: true, ambiguous: false });
  });
  it('reads a month name with letters read as digits, run into its numbers or not, and says so (306009: `260CT2029`)', () => {
    expect(parsePrintedDate('260CT2029', 'expiry', 2026)).toEqual({ iso: '2029-10-26', repaired: true, ambiguous: false });
    expect(parsePrintedDate('15 5EP 2035', 'expiry', 2026).iso).toBe('2035-09-15');
    expect(parsePrintedDate('03 AU6 2020', 'issue', 2026).iso).toBe('2020-08-03');
    // Two of the three must be letters: digits alone stay a number, never a month.
    expect(parsePrintedDate('10 1010 2020', 'issue', 2026).iso).toBeNull();
    expect(parsePrintedDate('26 OCT 2029', 'expiry', 2026).repaired).toBe(false);
  });
  it('reads a month-first date only as ambiguous, and refuses impossible dates', () => {
    expect(parsePrintedDate('08/13/1974')).toEqual({ iso: '1974-08-13', repaired: false, ambiguous: true });
    expect(parsePrintedDate('31 FEB 1990').iso).toBeNull();
    expect(parsePrintedDate('HUMAN LIBRARY').iso).toBeNull();
    expect(parsePrintedDate('').iso).toBeNull();
  });
});

describe('labels and values', () => {
  it('names the field of a label, tolerating one OCR error in long keywords', () => {
    expect(vizLabelField('Surname / Nom')).toBe('surname');
    expect(vizLabelField('Suname/Nom')).toBe('surname');
    expect(vizLabelField('Given names / Prénoms')).toBe('givenNames');
    expect(vizLabelField('Date of birth')).toBe('birthDate');
    expect(vizLabelField('Date of expiry')).toBe('expiryDate');
    expect(vizLabelField('Date of issue')).toBe('issueDate');
    expect(vizLabelField('Document no.')).toBe('documentNumber');
    expect(vizLabelField('Sex')).toBe('sex');
    expect(vizLabelField('Nationality')).toBe('nationality');
    expect(vizLabelField('ERIKSSON')).toBeNull();
    expect(vizLabelField('12 AUG 1974')).toBeNull();
  });
  it('normalises values per field', () => {
    expect(parseVizValue('surname', 'van der Berg').value).toBe('VAN DER BERG');
    expect(parseVizValue('surname', 'N0VAK').value).toBeNull();
    expect(parseVizValue('documentNumber', 'L89 890-2C3').value).toBe('L898902C3');
    expect(parseVizValue('sex', 'F/F').value).toBe('F');
    expect(parseVizValue('sex', 'W').value).toBe('F');
    expect(parseVizValue('sex', 'MALE').value).toBeNull();
  });
});

describe('assembleVisualZone', () => {
  // A card's fields: labels in small print, values below them; a stray box from the portrait.
  const boxes = [
    box('UTOPIA IDENTITY CARD', 50, 40, 400, 40),
    box('HUMAN LIBRARY', 40, 120, 200, 20),
    box('Surname / Nom', 370, 120, 160, 22),
    box('NOVAK', 370, 146, 110, 32),
    box('Given names / Prénoms', 370, 176, 240, 22),
    box('LUCAS', 370, 202, 100, 32),
    box('Date of birth', 370, 232, 150, 22),
    box('20 NOV 1996', 370, 258, 180, 32, 0.6),
    box('Sex', 370, 288, 50, 22),
    box('F', 370, 314, 26, 32),
    box('Document no.', 600, 120, 150, 22),
    box('T150H8J3D', 600, 146, 170, 32),
  ];
  it('pairs each label with the value under it and flags the unconfident one', () => {
    const r = assembleVisualZone(boxes, { referenceYear: 2026 });
    expect(r.labels).toBe(5);
    expect(r.fields.surname?.value).toBe('NOVAK');
    expect(r.fields.givenNames?.value).toBe('LUCAS');
    expect(r.fields.sex?.value).toBe('F');
    expect(r.fields.documentNumber?.value).toBe('T150H8J3D');
    expect(r.fields.birthDate).toMatchObject({ value: '1996-11-20', uncertain: true, reasons: ['low_confidence'] });
    expect(certainVisualZoneValues(r)).toEqual({ surname: 'NOVAK', givenNames: 'LUCAS', sex: 'F', documentNumber: 'T150H8J3D' });
  });
  it('takes a value to the right of its label on the same row', () => {
    const r = assembleVisualZone([box('Sex:', 10, 10, 40, 20), box('M', 60, 10, 20, 20)]);
    expect(r.fields.sex?.value).toBe('M');
  });
  it('a second engine confirms an unconfident value, and a dissent flags a confident one', () => {
    const r = assembleVisualZone(boxes, { referenceYear: 2026 });
    expect(withSecondReading('birthDate', r.fields.birthDate!, '20 NOV 1996', 2026)).toMatchObject({ uncertain: false, reasons: [] });
    expect(withSecondReading('surname', r.fields.surname!, 'NOVAC', 2026)).toMatchObject({ uncertain: true, reasons: ['engines_disagree'] });
  });
});

describe('value crops in a numbered row', () => {
  it('cuts a date from the place after it where the date ink ends, 1 counted as wide as the other digits', () => {
    // `3. 11.08.1989 KRAKOW` in DejaVu Sans (advances per 2048 em: digits 1303, `.` and space 651, capitals
    // 1343-2025): the date's ink ends at 59.4% of the box and `K` starts at 62.1%.
    const row = box('3. 11.08.1989 KRAKOW', 396, 276, 400, 30);
    const r = assembleVisualZone([
      box('DRIVING LICENCE', 205, 51, 343, 30), box('1. MUSTERMANN', 396, 168, 260, 30), box('2. ERIKA', 396, 222, 150, 30), row,
      box('4a. 19.01.2016', 396, 330, 220, 30), box('4b. 18.01.2031', 396, 384, 214, 30), box('5. B072RRE2I55', 396, 438, 250, 30),
    ], { referenceYear: 2026 });
    const cut = r.fields.birthDate!.valueBox;
    expect(r.fields.birthDate?.value).toBe('1989-08-11');
    expect(cut.x + cut.width).toBeGreaterThanOrEqual(396 + 0.594 * 400);
    expect(cut.x + cut.width).toBeLessThan(396 + 0.621 * 400);
  });
});

describe('crossCheckVisualZone with uncertain fields', () => {
  const mrz = { surname: 'NOVAK', givenNames: 'LUCAS', documentNumber: 'T150H8J3D', birthDate: '1996-11-20', expiryDate: '2033-11-01', sex: 'F', nationality: 'D' };
  it('compares only certain fields, sex and nationality codes included', () => {
    const r = crossCheckVisualZone({ surname: 'NOVAK', birthDate: '1990-11-20', sex: 'F', nationality: 'D' }, mrz, { vizUncertain: ['birthDate'] });
    expect(r.fields.birthDate).toBe('uncertain');
    expect(r.fields.sex).toBe('match');
    expect(r.fields.nationality).toBe('match');
    expect(r.signal).toBeNull();
  });
  it('signals a certain disagreement, and ignores a country printed as a name', () => {
    const r = crossCheckVisualZone({ surname: 'HARRISON', nationality: 'UTOPIAN' }, mrz);
    expect(r.mismatches).toEqual(['surname']);
    expect(r.fields.nationality).toBe('missing');
    expect(r.signal).toBe('document_viz_mrz_mismatch');
  });
  it('an MRZ name flagged uncertain is compared only for differences no OCR doubt explains', () => {
    expect(crossCheckVisualZone({ surname: 'NOVAK' }, { surname: 'NOVAC' }, { mrzUncertain: ['surname'] }).fields.surname).toBe('uncertain');
    const forged = crossCheckVisualZone({ surname: 'HARRISON' }, { surname: 'NOVAK' }, { mrzUncertain: ['surname'] });
    expect(forged.fields.surname).toBe('mismatch');
    expect(forged.signal).toBe('document_viz_mrz_mismatch');
  });
  it('an uncertain MRZ name that is a misread filler run is not compared', () => {
    expect(crossCheckVisualZone({ givenNames: 'YUKI' }, { givenNames: 'KKKKKKKKKKKKKKKKKKKKKKK' }, { mrzUncertain: ['givenNames'] }).fields.givenNames).toBe('uncertain');
  });
  it('an X sex in the visual zone matches the MRZ filler', () => {
    expect(crossCheckVisualZone({ sex: 'X' }, { sex: '<' }).fields.sex).toBe('match');
  });
});

describe('settleNameSpacing', () => {
  const read = assembleVisualZone([box('Given names', 10, 10, 120, 20), box('MARIAJOSE', 10, 34, 160, 30)], { referenceYear: 2026 });
  const disagreeing = withSecondReading('givenNames', read.fields.givenNames!, 'MARIA JOSE', 2026);
  it('takes the reading whose spaces the print\'s word gaps confirm', () => {
    expect(disagreeing).toMatchObject({ uncertain: true, reasons: ['engines_disagree'] });
    expect(settleNameSpacing('givenNames', disagreeing, 'MARIA JOSE', 1)).toMatchObject({ value: 'MARIA JOSE', uncertain: false, reasons: [] });
    expect(settleNameSpacing('givenNames', disagreeing, 'MARIA JOSE', 0)).toMatchObject({ value: 'MARIAJOSE', uncertain: false });
  });
  it('leaves a doubt it cannot settle: other letters, an unmatched gap count, no measure', () => {
    expect(settleNameSpacing('givenNames', disagreeing, 'MARIA JOSE', 2)).toBe(disagreeing);
    expect(settleNameSpacing('givenNames', disagreeing, 'MARIA JOSF', 1)).toBe(disagreeing);
    expect(settleNameSpacing('givenNames', disagreeing, 'MARIA JOSE', null)).toBe(disagreeing);
    expect(settleNameSpacing('documentNumber', disagreeing, 'MARIA JOSE', 1)).toBe(disagreeing);
  });
});

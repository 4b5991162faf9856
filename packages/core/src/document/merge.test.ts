import { describe, expect, it } from 'vitest';
import { alignStrings, mergeMrzReads, MERGE_MAX_CANDIDATES } from './merge.ts';
import { MrzFrameVoter, votable } from './voting.ts';
import type { EngineMrzRead, OcrCharRead, OcrLineRead } from './ocr-read.ts';
import { lineFromText } from './ocr-read.ts';
import { recordedReads } from '../../test/recorded-reads.ts';
import { computeCheckDigit } from '../mrz/check-digit.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const REF = { referenceDate: new Date('2010-01-01T00:00:00Z') };

/** A line read with per-position overrides: [index, char, confidence, alternatives]. */
function read(text: string, overrides: Array<[number, string, number, Array<[string, number]>?]> = [], conf = 0.98): OcrLineRead {
  const chars: OcrCharRead[] = [...text].map((char) => ({ char, confidence: conf, alternatives: [] }));
  for (const [i, char, confidence, alts = []] of overrides) {
    chars[i] = { char, confidence, alternatives: alts.map(([c, p]) => ({ char: c, confidence: p })) };
  }
  return { text: chars.map((c) => c.char).join(''), chars };
}

describe('alignStrings', () => {
  it('pairs equal characters and marks gaps', () => {
    expect(alignStrings('AB<C', 'ABC')).toEqual([[0, 0], [1, 1], [2, -1], [3, 2]]);
  });
});

describe('mergeMrzReads', () => {
  it('accepts two engines that agree', () => {
    const m = mergeMrzReads([{ engine: 'a', lines: TD3.map((l) => lineFromText(l)) }, { engine: 'b', lines: TD3.map((l) => lineFromText(l)) }], REF);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.disagreements).toBe(0);
    expect(m.cost).toBe(0);
  });

  it('takes each engine where the other is unsure (errors in different places)', () => {
    // Engine a misreads the document number's 9 as 4 (low confidence, 9 as alternative); b misreads a name letter.
    const a: EngineMrzRead = { engine: 'a', lines: [read(TD3[0]!), read(TD3[1]!, [[2, '4', 0.5, [['9', 0.45]]]])] };
    const b: EngineMrzRead = { engine: 'b', lines: [read(TD3[0]!, [[21, 'N', 0.55, [['R', 0.4]]]]), read(TD3[1]!)] };
    const m = mergeMrzReads([a, b], REF);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.disagreements).toBeGreaterThanOrEqual(2);
    expect(m.candidates).toBeLessThanOrEqual(MERGE_MAX_CANDIDATES);
  });

  it('repairs a digit both engines misread when the check digit allows only one reading', () => {
    // Both read birth date 740812 as 74O812 (O for 0): a corrector job, confirmed by the check digit.
    const bad = TD3[1]!.slice(0, 15) + 'O' + TD3[1]!.slice(16);
    const m = mergeMrzReads([{ engine: 'a', lines: [read(TD3[0]!), read(bad)] }, { engine: 'b', lines: [read(TD3[0]!), read(bad)] }], REF);
    expect(m.valid).toBe(true);
    expect(m.result.fields.birthDate?.value).toBe('1974-08-12');
  });

  it('flags a field whose check digit no engine read: the corrector wrote it to fit (camera glare, MRV-A 45008)', () => {
    // A hotspot clipped the expiry's last digit (9) and its check digit (8) to white. One engine read
    // `7` and `<` there, the other next to nothing; check digit 6 fits `270207`, and MRV-A has no composite.
    const visa = ['V<UTOTANAKA<<MOHAMMED<ALI<<<<<<<<<<<<<<<<<<<', 'CY825388A6POL6009278F2702098<<<<<<<<<<<<<<<<'];
    const a: EngineMrzRead = { engine: 'a', lines: [read(visa[0]!), read(visa[1]!, [[26, '7', 0.5], [27, '<', 0.4]])] };
    const b: EngineMrzRead = { engine: 'b', lines: [read(visa[0]!), read(visa[1]!, [[26, 'V', 0.02], [27, 'L', 0.01]])] };
    const m = mergeMrzReads([a, b], REF);
    expect(m.result.corrected[1]!.slice(21, 28)).not.toBe('2702098');
    expect(m.valid && !m.uncertainFields.includes('expiryDate')).toBe(false);
    // The same read with the check digit seen by both engines stands.
    const seen: EngineMrzRead = { engine: 'b', lines: [read(visa[0]!), read(visa[1]!, [[26, 'V', 0.02]])] };
    const fine = mergeMrzReads([{ engine: 'a', lines: [read(visa[0]!), read(visa[1]!, [[26, '7', 0.5]])] }, seen], REF);
    expect(fine.result.fields.expiryDate?.value).toBe('2027-02-09');
    expect(fine.uncertainFields).not.toContain('expiryDate');
  });

  it('aligns an engine that dropped a filler', () => {
    const dropped = TD3[0]!.slice(0, 30) + TD3[0]!.slice(31);
    const m = mergeMrzReads([{ engine: 'a', lines: [read(dropped), read(TD3[1]!)] }, { engine: 'b', lines: [read(TD3[0]!), read(TD3[1]!)] }], REF);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
  });

  it('flags a name letter the engines disagree on evenly (no check digit covers names)', () => {
    const a: EngineMrzRead = { engine: 'a', lines: [read(TD3[0]!, [[6, 'R', 0.6, [['P', 0.4]]]]), read(TD3[1]!)] };
    const b: EngineMrzRead = { engine: 'b', lines: [read(TD3[0]!, [[6, 'P', 0.6, [['R', 0.4]]]]), read(TD3[1]!)] };
    const m = mergeMrzReads([a, b], REF);
    expect(m.uncertainFields).toContain('surname');
  });

  it('never returns a valid read from noise', () => {
    const noise = ['P<UTO###########################', 'XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'];
    const m = mergeMrzReads([{ engine: 'a', lines: noise.map((l) => lineFromText(l, 0.3)) }], REF);
    expect(m.valid).toBe(false);
  });
});

describe('MrzFrameVoter', () => {
  const good = votable(mergeMrzReads([{ engine: 'a', lines: TD3.map((l) => lineFromText(l)) }], REF));
  it('is stable after N agreeing frames and reports how many it took', () => {
    const v = new MrzFrameVoter({ stableFrames: 2 });
    expect(v.add(null).status).toBe('reading');
    expect(v.add(good).status).toBe('reading');
    const s = v.add(good);
    expect(s).toMatchObject({ status: 'stable', frames: 3 });
    expect(v.add(null)).toBe(s);
  });
  it('gives up after maxFrames', () => {
    const v = new MrzFrameVoter({ stableFrames: 2, maxFrames: 3 });
    v.add(null); v.add(good);
    expect(v.add(null)).toEqual({ status: 'gave_up', frames: 3 });
  });
  it('lists each different valid reading with its count and the fields no agreeing frame confirmed', () => {
    const v = new MrzFrameVoter({ stableFrames: 3 });
    const sure = { ...good, uncertainFields: [] };
    const doubtful = { ...sure, uncertainFields: ['surname' as const] };
    const rival = { ...sure, corrected: [good.corrected[0]!, good.corrected[1]!.replace(/^./, 'X')] };
    v.add(doubtful); v.add(null); v.add(rival);
    expect(v.readings.map((t) => [t.count, t.uncertainFields])).toEqual([[1, ['surname']], [1, []]]);
    v.add(sure);
    expect(v.readings[0]).toMatchObject({ count: 2, read: doubtful, uncertainFields: [] });
  });
});

describe('mergeMrzReads and dropped characters', () => {
  it('marks a name uncertain when the chosen reading lacks letters another engine read', () => {
    // Engine a drops two letters of the surname (still a valid MRZ: names carry no check digit);
    // engine b reads them but adds filler garbage that no layout accepts.
    const dropped = 'P<UTOERKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<<';
    const garbage = 'P<UTOERIKSSON<<ANNA<MARIA<KLKLKLKLKLKLKLKLKLKLKLKLKLKL';
    const m = mergeMrzReads([
      { engine: 'a', lines: [read(dropped, [], 0.9), read(TD3[1]!)] },
      { engine: 'b', lines: [read(garbage, [], 0.9), read(TD3[1]!)] },
    ], REF);
    if (m.valid && m.result.fields.surname?.value !== 'ERIKSSON') expect(m.uncertainFields).toContain('surname');
    expect(m.valid && m.result.fields.surname?.value !== 'ERIKSSON' && !m.uncertainFields.includes('surname')).toBe(false);
  });
});

describe('mergeMrzReads in checked fields', () => {
  it('reports a document number uncertain when two of its characters are not what the engines read', () => {
    // Both engines drop two characters of the document number; whatever the corrector makes of it must not be certain.
    const line2 = TD3[1]!.slice(0, 3) + TD3[1]!.slice(5);
    const m = mergeMrzReads([
      { engine: 'a', lines: [read(TD3[0]!), read(line2)] },
      { engine: 'b', lines: [read(TD3[0]!), read(line2)] },
    ], REF);
    if (m.valid) expect(m.uncertainFields).toContain('documentNumber');
  });
  it('flags a correction no engine offered where one engine alone read the field (mild MRV-B 270014, recorded reads)', () => {
    // The cell reader alone read line 2 (the fast path), its number `X719R108<` for `K719R108<` (`X` at
    // 0.97, `8` at 0.99); the corrector's `8` -> `B` passes the number's digit, and MRV-B has no composite.
    const m = mergeMrzReads(recordedReads('mild-mrvb-270014'), { referenceDate: new Date('2026-06-01T00:00:00Z'), engineWeights: { 'ppocr#0': 1, 'ocrb#0': 1.5 }, fillerLookalikes: { 'ppocr#0': 'KA' }, lengthWitnesses: ['ocrb#0'] });
    expect(m.uncertainFields).toContain('documentNumber');
  });
  it('flags a number read on a glyph glare faded: the check digits cannot tell 0 from U (glare stress, mild TD3 906037, recorded reads)', () => {
    // The number's `0` lost its top to a glare core: PP-OCR read `U` at 0.98, the cell reader `U` at
    // 0.65 on a cell it saw faded. `U` weighs 30, `0` weighs 0: both check digits pass.
    const m = mergeMrzReads(recordedReads('glare-td3-906037'), { referenceDate: new Date('2026-06-01T00:00:00Z'), engineWeights: { 'ppocr#0': 1, 'ocrb#0': 1.5 }, fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' }, lengthWitnesses: ['ocrb#0'] });
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('RC4DPLFU7');
    expect(m.uncertainFields).toContain('documentNumber');
    // Dates hold digits only, whose values differ mod 10: the faded cells do not touch them.
    expect(m.uncertainFields).not.toContain('birthDate');
    expect(m.uncertainFields).not.toContain('expiryDate');
  });
  it('flags a single correction of what one engine alone read, offered as its runner-up or not at all', () => {
    // The same read as below, by one engine: its other characters have no second reading to stand on.
    const bad = 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10';
    for (const line of [read(bad), read(bad, [[5, 'O', 0.6, [['0', 0.3]]]])]) {
      const m = mergeMrzReads([{ engine: 'a', lines: [read(TD3[0]!), line] }], REF);
      expect(m.valid).toBe(true);
      expect(m.result.fields.documentNumber?.value).toBe('L898902C3');
      expect(m.uncertainFields).toContain('documentNumber');
    }
    // Its runner-up stronger than its read: what the engine saw, not the corrector's change.
    const close = mergeMrzReads([{ engine: 'a', lines: [read(TD3[0]!), read(bad, [[5, 'O', 0.4, [['0', 0.55]]]])] }], REF);
    expect(close.result.fields.documentNumber?.value).toBe('L898902C3');
    expect(close.uncertainFields).not.toContain('documentNumber');
  });
  it('keeps a single proven correction certain', () => {
    const bad = 'L8989O2C36UTO7408122F1204159ZE184226B<<<<<10';
    const m = mergeMrzReads([{ engine: 'a', lines: [read(TD3[0]!), read(bad)] }, { engine: 'b', lines: [read(TD3[0]!), read(bad)] }], REF);
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('L898902C3');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

describe('mergeMrzReads and positions no check digit separates', () => {
  // The document number's 6 at column 3 could be a G: 6 and G differ by 10 in check-digit values, so the
  // digit cannot tell them apart and the corrector leaves the position uncertain.
  const TD2 = ['I<BRAKOWALSKA<<SIOBHAN<<<<<<<<<<<<<<', 'JC56495S06ESP9507177X2704195<<<<<<<6'];
  const OPTIONS = { referenceDate: new Date('2026-06-01T00:00:00Z') };

  it('leaves the field uncertain on one engine alone, however confident', () => {
    const m = mergeMrzReads([{ engine: 'a', lines: TD2.map((l) => read(l, [], 0.99)) }], OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toContain('documentNumber');
  });

  it('confirms it when two engines read the same character with no doubt', () => {
    const m = mergeMrzReads([{ engine: 'a', lines: TD2.map((l) => read(l)) }, { engine: 'b', lines: TD2.map((l) => read(l)) }], OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD2);
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('keeps it uncertain when an engine offers the look-alike as an alternative', () => {
    const b = [read(TD2[0]!), read(TD2[1]!, [[3, '6', 0.6, [['G', 0.35]]]])];
    const m = mergeMrzReads([{ engine: 'a', lines: TD2.map((l) => read(l)) }, { engine: 'b', lines: b }], OPTIONS);
    expect(m.uncertainFields).toContain('documentNumber');
  });
});

describe('mergeMrzReads and filler look-alikes', () => {
  // The glyph reader (weight 1.5) reads the fillers `<` with confidence; both PP-OCR variants (weight 1
  // each) read some of them as A or K, as on blurred strong-set lines.
  const WEIGHTS = { ocrb: 1.5, 'ppocr#0': 1, 'ppocr#1': 1 };
  const LOOKALIKES = { 'ppocr#0': 'KA', 'ppocr#1': 'KA' };
  const misread = (line: string, at: Array<[number, string]>): OcrLineRead => read(line, at.map(([i, c]) => [i, c, 0.8] as [number, string, number]));
  const ppocrLine0 = misread(TD3[0]!, [[14, 'A'], [30, 'K'], [31, 'A'], [40, 'K']]);
  const reads = (): EngineMrzRead[] => [
    { engine: 'ocrb', lines: TD3.map((l) => read(l, [], 0.95)) },
    { engine: 'ppocr#0', lines: [ppocrLine0, read(TD3[1]!)] },
    { engine: 'ppocr#1', lines: [ppocrLine0, read(TD3[1]!)] },
  ];

  it('reads the fillers when the look-alikes are declared', () => {
    const m = mergeMrzReads(reads(), { ...REF, engineWeights: WEIGHTS, fillerLookalikes: LOOKALIKES });
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.result.fields.surname?.value).toBe('ERIKSSON');
    // The engines still disagreed on those columns: the names stay flagged.
    expect(m.uncertainFields).toContain('givenNames');
  });

  it('lets the two variants outvote the glyph reader without the rule', () => {
    const m = mergeMrzReads(reads(), { ...REF, engineWeights: WEIGHTS });
    expect(m.result.corrected[0]).not.toBe(TD3[0]);
  });

  it('never drops a real letter silently where the glyph reader is sure of `<`', () => {
    // The A of ANNA read as `<` by the glyph reader: the letter's column is split, the name flagged.
    const ocrb = [read(TD3[0]!, [[15, '<', 0.95]], 0.95), read(TD3[1]!, [], 0.95)];
    const m = mergeMrzReads([{ engine: 'ocrb', lines: ocrb }, { engine: 'ppocr#0', lines: TD3.map((l) => read(l, [], 0.8)) }], { ...REF, engineWeights: WEIGHTS, fillerLookalikes: LOOKALIKES });
    expect(m.uncertainFields).toContain('givenNames');
  });
});

describe('mergeMrzReads and the names separator', () => {
  it('flags the names, rather than refusing the read, when engines split them differently', () => {
    // One engine reads the second `<` of ERIKSSON<<ANNA as A: the readings differ only in how the names split.
    const a: EngineMrzRead = { engine: 'a', lines: [read(TD3[0]!, [[14, 'A', 0.6, [['<', 0.3]]]]), read(TD3[1]!)] };
    const b: EngineMrzRead = { engine: 'b', lines: [read(TD3[0]!, [[14, '<', 0.7, [['A', 0.25]]]]), read(TD3[1]!)] };
    const m = mergeMrzReads([a, b], REF);
    expect(m.ambiguous).toBe(false);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    expect(m.result.fields.documentNumber?.value).toBe('L898902C3');
  });
});

describe('mergeMrzReads and the split between the names', () => {
  it('flags the given names too when a doubtful letter stands where the separator was (they came out empty)', () => {
    // Glare over the second `<` of ERIKSSON<<ANNA: both engines lean to a letter there, so the chosen
    // reading has one surname ERIKSSON SANNA MARIA and no given names; the doubt is on the surname's
    // letter, and the empty given names have no character of their own to carry it.
    const at = TD3[0]!.indexOf('<<') + 1;
    const line0 = (engineConfidence: number) => read(TD3[0]!, [[at, 'S', engineConfidence, [['<', 1 - engineConfidence]]]]);
    const m = mergeMrzReads([{ engine: 'a', lines: [line0(0.6), read(TD3[1]!)] }, { engine: 'b', lines: [line0(0.55), read(TD3[1]!)] }], REF);
    expect(m.valid).toBe(true);
    expect(m.result.fields.givenNames?.value ?? '').toBe('');
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
  });
});

describe('mergeMrzReads and columns no engine read (a glare core)', () => {
  const AT = { referenceDate: new Date('2026-06-01T00:00:00Z') };
  /** A TD1 whose line 1 optional data is `optional`, with its composite check digit recomputed. */
  const td1 = (optional: string): string[] => {
    const l1 = `C<ITAFS1S962564${optional}`;
    const l2 = '6708065X3111172BRA<<<<<<<<<<<';
    const composite = computeCheckDigit(l1.slice(5) + l2.slice(0, 7) + l2.slice(8, 15) + l2.slice(18, 29));
    return [l1, l2 + composite, 'VAN<DER<BERG<<LUCAS<<<<<<<<<<<'];
  };
  /**
   * As on the strong eval (101025): glare clipped cells 21-25 of line 1 to white. The cell reader puts a
   * guess at 0 confidence in each (a `6` among them), PP-OCR (two variants) skips the five.
   */
  const readsOf = (truth: string[], guesses = 'NM6L0', line = 0, at = 21): EngineMrzRead[] => {
    const glared = read(truth[line]!, [...guesses].map((ch, i): [number, string, number] => [at + i, ch, 0]));
    const skipped = read(truth[line]!.slice(0, at) + truth[line]!.slice(at + guesses.length), [], 0.9);
    const pp = truth.map((l, i) => (i === line ? skipped : read(l, [], 0.9)));
    return [
      { engine: 'ppocr#0', lines: pp },
      { engine: 'ppocr#1', lines: pp },
      { engine: 'ocrb#0', lines: truth.map((l, i) => (i === line ? glared : read(l))) },
    ];
  };
  const weights = { engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5 } };

  it('reads a filler run hidden to the end of its field as fillers, and flags the field', () => {
    const truth = td1('<<<<<<<<<<<<<<<');
    const m = mergeMrzReads(readsOf(truth), { ...AT, ...weights });
    expect(m.ambiguous).toBe(false);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(truth);
    expect(m.uncertainFields).toContain('optionalData');
    expect(m.result.fields.documentNumber?.value).toBe('FS1S96256');
  });

  it('still refuses when the field holds content after the hidden run (not its padding)', () => {
    // `0` and `<` weigh the same under the composite digit: what the glare hid is anyone's guess.
    const truth = td1('<<<<<<<<<<<<<7<');
    const m = mergeMrzReads(readsOf(truth), { ...AT, ...weights });
    expect(m.valid).toBe(false);
  });
});

describe('mergeMrzReads and a rival the check digits cannot separate', () => {
  // Fresh tuning set, strong TD1 121020: the document number B5Y013200 read B5YO132O0 (two O/0 swaps at
  // weights 7 and 3 cancel mod 10 in its digit and in the composite), the right reading 0.6 behind.
  const truth = ['IDESPB5Y0132006<<<<<<<<<<<<<<<', '6011033M3211289ITA<<<<<<<<<<<4', 'ERIKSSON<<PIOTR<<<<<<<<<<<<<<<'];
  const O0: Array<[string, number]> = [['0', 0.19]];
  const cellReader = (): EngineMrzRead => ({
    engine: 'ocrb',
    lines: [read(truth[0]!, [[8, 'O', 0.78, O0], [12, 'O', 0.79, O0], [13, 'O', 0.74, [['0', 0.23]]]]), read(truth[1]!), read(truth[2]!)],
  });
  // PP-OCR read only columns 10-16 of the first line (its span); the cell reader's characters stand
  // outside it at confidence 0, as the pipeline splices them.
  const span = (): EngineMrzRead => {
    const l0 = read(truth[0]!, [...[8, 12, 13].map((i): [number, string, number] => [i, 'O', 0])], 0);
    const chars = l0.chars.map((c, i) => (i >= 10 && i <= 16 ? { char: truth[0]![i]!, confidence: 0.98, alternatives: [] } : c));
    return { engine: 'ppocr', lines: [{ text: chars.map((c) => c.char).join(''), chars }, read(truth[1]!), read(truth[2]!)] };
  };
  const options = { referenceDate: new Date('2026-06-01T00:00:00Z'), engineWeights: { ocrb: 1.5, ppocr: 1 } };

  it('flags the document number when the valid reading it lost to stands less than a column behind', () => {
    const m = mergeMrzReads([cellReader(), span()], options);
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('B5YO132O0');
    expect(m.uncertainFields).toContain('documentNumber');
  });

  it('leaves the field certain when the chosen reading keeps what the engines read at every position', () => {
    // Strong TD2 121026: KN454785 and KN4S478S both pass (S/5 at weights 7 and 3); the cell reader reads
    // 5 at both, PP-OCR S: the rival stands 0.67 behind but the chosen reading changed nothing the engines read.
    const td2 = ['C<ITAOCONNOR<<YUKI<<<<<<<<<<<<<<<<<<', 'KN454785<8NLD6909194F2711140<<<<<<<8'];
    const s5: Array<[string, number]> = [['S', 0.05]];
    const m = mergeMrzReads([
      { engine: 'ocrb', lines: [read(td2[0]!), read(td2[1]!, [[3, '5', 0.9, s5], [7, '5', 0.9, s5]])] },
      { engine: 'ppocr', lines: [read(td2[0]!), read(td2[1]!, [[3, 'S', 0.6], [7, 'S', 0.6]])] },
    ], options);
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('KN454785');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('leaves a document number the engines read clearly certain', () => {
    const m = mergeMrzReads([{ engine: 'ocrb', lines: truth.map((l) => read(l)) }, { engine: 'ppocr', lines: truth.map((l) => read(l)) }], options);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

describe('mergeMrzReads and a digit no engine read (erasure decoding)', () => {
  // The birth date's `0` (line 2, column 15) under a glare core: the cell reader guesses at ~0
  // confidence, PP-OCR emits nothing there.
  const cellReader = (): EngineMrzRead => ({ engine: 'ocrb', lines: [read(TD3[0]!), read(TD3[1]!, [[15, '6', 0.01, [['5', 0.005]]]])] });
  const ppocr = (): EngineMrzRead => ({ engine: 'ppocr', lines: [read(TD3[0]!), read(TD3[1]!.slice(0, 15) + TD3[1]!.slice(16))] });
  const options = { ...REF, engineWeights: { ocrb: 1.5, ppocr: 1 }, lengthWitnesses: ['ocrb'] };

  it('solves it from the birth date digit, verified by the composite, and flags the field', () => {
    const m = mergeMrzReads([ppocr(), cellReader()], options);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.result.fields.birthDate?.value).toBe('1974-08-12');
    expect(m.uncertainFields).toContain('birthDate');
    expect(m.unread[1]).toContain(15);
  });

  it('refuses when another character under the composite is wrong too', () => {
    const bad = TD3[1]!.slice(0, 30) + '7' + TD3[1]!.slice(31);
    const reads: EngineMrzRead[] = [
      { engine: 'ppocr', lines: [read(TD3[0]!), read(bad.slice(0, 15) + bad.slice(16))] },
      { engine: 'ocrb', lines: [read(TD3[0]!), read(bad, [[15, '6', 0.01, [['5', 0.005]]]])] },
    ];
    expect(mergeMrzReads(reads, options).valid).toBe(false);
  });
});

describe('mergeMrzReads and a character the check digits cannot tell from its rival', () => {
  // Strong TD1 117000 (fresh set 17000): a glare veil over the top of the document number's second `0`
  // (line 1, column 11) left a `U`-shaped rest; the cell reader read `U` at 0.77, and `U` (30) and `0`
  // weigh the same mod 10 under every check digit, the composite included.
  const truth = ['IDJPNMT0C4X0X<9<<<<<<<<<<<<<<<', '9602201F2810113ITA<<<<<<<<<<<0', 'TANAKA<<JOAO<PEDRO<<<<<<<<<<<<'];
  const misread = truth[0]!.slice(0, 11) + 'U' + truth[0]!.slice(12);
  const options = { referenceDate: new Date('2026-12-03T00:00:00Z'), engineWeights: { ocrb: 1.5, ppocr: 1 } };
  const cellReader = (faded: boolean, confidence = 0.77, rival = 0.06): EngineMrzRead => {
    const l0 = read(misread, [[11, 'U', confidence, [['O', 0.1], ['0', rival]]]]);
    const chars = l0.chars.map((c, i) => (i === 11 && faded ? { ...c, faded } : c));
    return { engine: 'ocrb', lines: [{ text: l0.text, chars }, read(truth[1]!), read(truth[2]!)] };
  };

  it('flags the field when the only engine that read the character saw it faded', () => {
    const m = mergeMrzReads([cellReader(true)], options);
    expect(m.valid).toBe(true);
    expect(m.result.fields.documentNumber?.value).toBe('MT0C4XUX');
    expect(m.uncertainFields).toContain('documentNumber');
  });

  it('leaves a clear reading by one engine certain (the glyph not faded, the rival far behind)', () => {
    const m = mergeMrzReads([cellReader(false)], options);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('flags it when the rival stands close (a thin margin), faded or not', () => {
    const m = mergeMrzReads([cellReader(false, 0.5, 0.4)], options);
    expect(m.valid && !m.uncertainFields.includes('documentNumber')).toBe(false);
  });

  it('flags it even when a second engine reads the same rest of the glyph (as PP-OCR did on 117000)', () => {
    const m = mergeMrzReads([cellReader(true), { engine: 'ppocr', lines: [read(misread), read(truth[1]!), read(truth[2]!)] }], options);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toContain('documentNumber');
  });

  it('confirms a close call two engines read alike where nothing is faded', () => {
    const m = mergeMrzReads([cellReader(false, 0.5, 0.4), { engine: 'ppocr', lines: [read(misread), read(truth[1]!), read(truth[2]!)] }], options);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('never reports a value valid and certain when the second engine reads the rival', () => {
    const m = mergeMrzReads([cellReader(true), { engine: 'ppocr', lines: truth.map((l) => read(l, [], 0.9)) }], options);
    expect(m.valid && !m.uncertainFields.includes('documentNumber')).toBe(false);
  });

  it('leaves a numeric field alone: no digit is check-blind to another digit', () => {
    // The birth date's first `0` faded, `U` offered beside it: `U` cannot stand in a date.
    const l1 = read(truth[1]!);
    const chars = l1.chars.map((c, i) => (i === 2 ? { ...c, alternatives: [{ char: 'U', confidence: 0.05 }], faded: true } : c));
    const m = mergeMrzReads([{ engine: 'ocrb', lines: [read(truth[0]!), { text: l1.text, chars }, read(truth[2]!)] }], options);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).not.toContain('birthDate');
  });
});

describe('mergeMrzReads and a filler look-alike in padding the cell reader saw no ink in', () => {
  // A one-letter given name `A` between fillers, under a glare core: the cell reader saw the cell washed
  // out (0), PP-OCR read `A`, a letter it also reads for a blurred `<`. The same reads stand for padding
  // PP-OCR read as `A` (the miss class of 201036 / 105030), which was taken unflagged before: the
  // evidence cannot tell the two apart. The padding is put there, but a real letter must never be
  // dropped silently: the names are flagged and the position is listed as not read, so the visual-zone
  // fill can put the letter back.
  const truth = ['IDITAY8B3662E71<<<<<<<<<<<<<<<', '8007175M2911168D<<<<<<<<<<<<<0', 'ERIKSSON<<LUCAS<A<<<<<<<<<<<<<'];
  const options = { referenceDate: new Date('2026-06-01T00:00:00Z'), engineWeights: { ocrb: 1.5, ppocr: 1 }, fillerLookalikes: { ppocr: 'KA' }, lengthWitnesses: ['ocrb'] };
  const washedOut = (text: string, at: number): OcrLineRead => {
    const l = read(text, [[at, text[at]!, 0]]);
    return { text: l.text, chars: l.chars.map((c, i) => (i === at ? { ...c, faded: true } : c)) };
  };

  it('flags the names and lists the position as not read', () => {
    const m = mergeMrzReads([
      { engine: 'ppocr', lines: [read(truth[0]!), read(truth[1]!), read(truth[2]!, [[16, 'A', 0.95]])] },
      { engine: 'ocrb', lines: [read(truth[0]!), read(truth[1]!), washedOut(truth[2]!, 16)] },
    ], options);
    expect(m.valid).toBe(true);
    expect(m.unread[2]).toContain(16);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('leaves a letter the cell reader saw alone (a clear cell is no padding)', () => {
    const m = mergeMrzReads([
      { engine: 'ppocr', lines: [read(truth[0]!), read(truth[1]!), read(truth[2]!)] },
      { engine: 'ocrb', lines: [read(truth[0]!), read(truth[1]!), read(truth[2]!)] },
    ], options);
    expect(m.result.corrected).toEqual(truth);
    expect(m.uncertainFields).not.toContain('givenNames');
  });
});

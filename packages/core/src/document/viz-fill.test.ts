import { describe, expect, it } from 'vitest';
import { recordedReads } from '../../test/recorded-reads.ts';
import { fillFromUnlabelledNames, fillFromVisualZone, wantsVisualZoneFill, type MrzToFill } from './viz-fill.ts';
import { crossCheckVisualZone } from './cross-check.ts';
import { mergeMrzReads } from './merge.ts';
import { parseMrz } from '../mrz/parse.ts';
import type { OcrCharRead, OcrLineRead } from './ocr-read.ts';

// TD2 101006 of the strong eval set: a glare core over PIOTR left no ink; the cell reader guessed WILL at 0 confidence.
const TRUTH = ['I<JPNERIKSSON<<PIOTR<<<<<<<<<<<<<<<<', 'R185886423ITA0305059F3409109<<<<<<<0'];
const READ = ['I<JPNERIKSSON<<WILLR<<<<<<<<<<<<<<<<', TRUTH[1]!];
const REF = { referenceDate: new Date('2026-06-01T00:00:00Z') };
const PRINTED = { surname: 'ERIKSSON', givenNames: 'PIOTR', documentNumber: 'R18588642', birthDate: '2003-05-05', sex: 'F' };

function toFill(lines: readonly string[], unread: number[][], uncertainFields: MrzToFill['uncertainFields'] = ['givenNames']): MrzToFill {
  const parsed = parseMrz(lines, REF);
  const fields: MrzToFill['fields'] = {};
  for (const [name, f] of Object.entries(parsed.fields)) fields[name as keyof typeof fields] = f?.value ?? null;
  return { format: parsed.format, corrected: lines, unread, fields, uncertainFields };
}

const GLARE = [[15, 16, 17, 18], []]; // P I O T unread, R read

/** The pipeline's merge options (document worker: engine weights, PP-OCR's filler letters, the cell reader as length witness). */
const PIPELINE_OPTIONS = { ...REF, engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 }, fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' }, lengthWitnesses: ['ocrb#0'] };

/** A recorded document's engine reads (`__fixtures__/<name>.reads.json`) merged as the pipeline merges them, and the reading as the fill takes it. */
function merged(name: string, printed?: { documentNumbers: string[]; dates: string[] }): { m: ReturnType<typeof mergeMrzReads>; mrz: MrzToFill } {
  const reads = recordedReads(name);
  const m = mergeMrzReads(reads, { ...PIPELINE_OPTIONS, ...(printed ? { printed } : {}) });
  const fields: MrzToFill['fields'] = {};
  for (const [k, f] of Object.entries(m.result.fields)) fields[k as keyof typeof fields] = f?.value ?? null;
  return { m, mrz: { format: m.result.format, corrected: m.result.corrected, unread: m.unread, rivals: m.rivals, washedOut: m.washedOut, fadedRead: m.fadedRead, fields, uncertainFields: m.uncertainFields } };
}

describe('fillFromVisualZone', () => {
  it('fills name characters no engine read from the printed name, marked as from the visual zone', () => {
    const fill = fillFromVisualZone(toFill(READ, GLARE), PRINTED);
    expect(fill?.corrected).toEqual(TRUTH);
    expect(fill?.values.givenNames).toBe('PIOTR');
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
    expect(fill?.filled.map((f) => `${f.was}>${f.char}`)).toEqual(['W>P', 'L>O', 'L>T']);
  });

  it('never changes a character an engine read: a printed name that disagrees with a read letter fills nothing', () => {
    // R at column 19 was read; a printed PIOTA disagrees with it.
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, givenNames: 'PIOTA' })).toBeNull();
    // The surname was read: a printed ERIKSEN is another document's (or a modified one's), not a fill.
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, surname: 'ERIKSEN' })).toBeNull();
  });

  it('needs a number or birth date equal in both zones (the printed page is this document)', () => {
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, documentNumber: 'R18588643', birthDate: null })).toBeNull();
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, documentNumber: null, birthDate: '2003-05-05' })?.corrected).toEqual(TRUTH);
    // A number the MRZ reading doubts anchors when printed exactly as read; printed otherwise, nothing is filled.
    const doubted = toFill(READ, GLARE, ['givenNames', 'documentNumber']);
    expect(fillFromVisualZone(doubted, { ...PRINTED, birthDate: null })?.corrected).toEqual(TRUTH);
    expect(fillFromVisualZone(doubted, { ...PRINTED, documentNumber: 'R18588643', birthDate: null })).toBeNull();
    // Not when the MRZ's number was itself filled from the page: it would match itself.
    expect(fillFromVisualZone({ ...doubted, sources: { documentNumber: 'visual_zone' } }, { ...PRINTED, birthDate: null })).toBeNull();
  });

  it('fills nothing where too little of the name was read to vouch for the rest', () => {
    // The whole names field unread: no read letter agrees, the printed name would stand alone.
    const all = Array.from({ length: 31 }, (_, i) => i + 5);
    expect(fillFromVisualZone(toFill(READ, [all, []]), PRINTED)).toBeNull();
  });

  it('fills nothing without a printed value or when nothing was unread', () => {
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, givenNames: null })).toBeNull();
    expect(fillFromVisualZone(toFill(READ, [[], []]), PRINTED)).toBeNull();
  });

  it('fills nothing when two transliterations of the printed name fit what was read differently', () => {
    // JÜRGEN: MRZ form JUERGEN or JURGEN; with everything after the J unread, both fit.
    const lines = ['I<JPNERIKSSON<<JLLLLLLL<<<<<<<<<<<<<', TRUTH[1]!];
    const unread = [[16, 17, 18, 19, 20, 21, 22], []];
    expect(fillFromVisualZone(toFill(lines, unread), { ...PRINTED, givenNames: 'JÜRGEN' })).toBeNull();
    // One form only (JURGEN printed without the umlaut): filled.
    expect(fillFromVisualZone(toFill(lines, unread), { ...PRINTED, givenNames: 'JURGEN' })?.values.givenNames).toBe('JURGEN');
  });

  it('fills an unread sex from a printed one', () => {
    const lines = [TRUTH[0]!, TRUTH[1]!.slice(0, 20) + 'M' + TRUTH[1]!.slice(21)];
    const fill = fillFromVisualZone(toFill(lines, [[], [20]], ['sex']), PRINTED);
    expect(fill?.corrected[1]).toBe(TRUTH[1]);
    expect(fill?.sources).toEqual({ sex: 'visual_zone' });
    expect(fill?.values.sex).toBe('F');
    // Read (not unread): left as read.
    expect(fillFromVisualZone(toFill(lines, [[], []], ['sex']), PRINTED)).toBeNull();
  });
});

describe('wantsVisualZoneFill', () => {
  it('only for uncertain names or sex holding unread positions', () => {
    expect(wantsVisualZoneFill(toFill(READ, GLARE))).toBe(true);
    expect(wantsVisualZoneFill(toFill(READ, GLARE, []))).toBe(false);
    expect(wantsVisualZoneFill(toFill(READ, [[], [3]], ['givenNames', 'documentNumber']))).toBe(false);
  });
});

describe('cross-check of a filled field', () => {
  it('reports a field filled from the visual zone as not compared, never as a match', () => {
    const r = crossCheckVisualZone({ givenNames: 'PIOTR', surname: 'ERIKSSON' }, { givenNames: 'PIOTR', surname: 'ERIKSSON' }, { mrzUncertain: ['givenNames'], mrzFromVisualZone: ['givenNames'] });
    expect(r.fields.givenNames).toBe('not_compared');
    expect(r.fields.surname).toBe('match');
    expect(r.signal).toBeNull();
  });
});

describe('mergeMrzReads unread positions', () => {
  it('lists the positions no engine read (glare: the cell reader at ~0 confidence, PP-OCR skipping them)', () => {
    const glare = (text: string, cols: number[]): OcrLineRead => {
      const chars: OcrCharRead[] = [...text].map((char, i) => ({ char, confidence: cols.includes(i) ? 0.01 : 0.95, alternatives: [] }));
      return { text, chars };
    };
    const m = mergeMrzReads([{ engine: 'ocrb', lines: [glare(READ[0]!, [15, 16, 17, 18]), glare(READ[1]!, [])] }], REF);
    expect(m.valid).toBe(true);
    expect(m.unread).toEqual([[15, 16, 17, 18], []]);
  });
});

describe('fillFromVisualZone on recorded reads (tuning set 17000, strong)', () => {
  it('takes a printed document number read uncertain but equal to the verified one as the anchor (117017)', () => {
    // TD3 117017: `KOWALS?A`, cell 11 unread. The visual zone read the names certain and the number
    // J6WN6N87 with its engines disagreeing (uncertain): equal to the MRZ's, checked by its digit.
    const { mrz } = merged('strong-td3-117017');
    const certain = { surname: 'KOWALSKA', givenNames: 'CHIDI' };
    const fill = fillFromVisualZone(mrz, certain, { documentNumber: 'J6WN6N87', birthDate: null });
    expect(fill?.corrected[0]).toBe('P<POLKOWALSKA<<CHIDI<<<<<<<<<<<<<<<<<<<<<<<<');
    expect(fill?.sources).toEqual({ surname: 'visual_zone' });
    // Another number, even read uncertain, is no anchor, and the names alone then do not stand for one.
    expect(fillFromVisualZone(mrz, certain, { documentNumber: 'J6WN6N88', birthDate: null })).toBeNull();
  });

  it('fills the given names alone, with the surname as the MRZ read it, when the printed names agree with 4 read letters per filled one (117031)', () => {
    // TD2 117031: `MARTIN<<ANN?<MARIA`, cell 16 unread. The visual zone read the given names certain and
    // no label of the surname, number or birth date (blurred): the 8 read letters of ANNA MARIA vouch for one.
    const { mrz } = merged('strong-td2-117031');
    const fill = fillFromVisualZone(mrz, { givenNames: 'ANNA MARIA' }, { documentNumber: null, birthDate: null });
    expect(fill?.corrected[0]).toBe('IDITAMARTIN<<ANNA<MARIA<<<<<<<<<<<<<');
    expect(fill?.values.givenNames).toBe('ANNA MARIA');
    // A printed name that disagrees with a read letter fills nothing.
    expect(fillFromVisualZone(mrz, { givenNames: 'ANNA MARTA' }, { documentNumber: null, birthDate: null })).toBeNull();
  });
});

describe('fillFromUnlabelledNames on recorded reads (tuning set 150000, strong)', () => {
  // TD2 250006: a glare core over NOR<< of `OCONNOR<<EVA` (cells 9-13 unread; the cell reader guessed LOZLW
  // at 0-0.06). The visual zone read every value (`OCONNOR` 0.97, `EVA` 0.99, `F9U97M504` 0.98) and no label.
  const reads = recordedReads('strong-td2-250006');
  const m = mergeMrzReads(reads, { ...REF, engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 }, fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' }, lengthWitnesses: ['ocrb#0'] });
  const fields: MrzToFill['fields'] = {};
  for (const [k, f] of Object.entries(m.result.fields)) fields[k as keyof typeof fields] = f?.value ?? null;
  const mrz: MrzToFill = { format: m.result.format, corrected: m.result.corrected, unread: m.unread, fields, uncertainFields: m.uncertainFields };
  const WORDS = ['OCONNOR', 'EVA', 'ESP', 'M'];

  it('fills the names from the one pair of unlabelled words that agrees with every read position, anchored by the printed number', () => {
    expect(mrz.corrected[0]).toBe('I<D<<OCONLOZLWEVA<<<<<<<<<<<<<<<<<<<');
    expect(fillFromVisualZone(mrz, {}, { documentNumber: 'F9U97M504', birthDate: null })).toBeNull();
    const fill = fillFromUnlabelledNames(mrz, WORDS, { documentNumber: 'F9U97M504', birthDate: null });
    expect(fill?.corrected[0]).toBe('I<D<<OCONNOR<<EVA<<<<<<<<<<<<<<<<<<<');
    expect(fill?.sources).toEqual({ surname: 'visual_zone', givenNames: 'visual_zone' });
  });

  it('fills nothing without the anchor, or when two pairs fit', () => {
    expect(fillFromUnlabelledNames(mrz, WORDS, { documentNumber: null, birthDate: null })).toBeNull();
    expect(fillFromUnlabelledNames(mrz, WORDS, { documentNumber: 'F9U97M505', birthDate: null })).toBeNull();
    expect(fillFromUnlabelledNames(mrz, [...WORDS, 'OCONNAR'], { documentNumber: 'F9U97M504', birthDate: null })).toBeNull();
  });
});

describe('a name letter misread under glare, filled where an engine also offered the printed one (tuning set 150000, strong)', () => {
  // TD2 250026: `MOHAMMED<ALI` under a glare veil, merged `MUHAMMED<ALI` (both engines read U; the cell reader
  // offered O third, at 0.09). The visual zone read `ERIKSSON` under its label and `MOHAMMED ALI` (0.86)
  // without one, and the number `VX568465H`.
  const reads = recordedReads('strong-td2-250026');
  const m = mergeMrzReads(reads, { ...REF, engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 }, fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' }, lengthWitnesses: ['ocrb#0'] });
  const fields: MrzToFill['fields'] = {};
  for (const [k, f] of Object.entries(m.result.fields)) fields[k as keyof typeof fields] = f?.value ?? null;
  const mrz: MrzToFill = { format: m.result.format, corrected: m.result.corrected, unread: m.unread, rivals: m.rivals, fields, uncertainFields: m.uncertainFields };
  const anchors = { documentNumber: 'VX568465H', birthDate: null };

  it('the merge offers the printed letter as a rival where it read another, and the fill is wanted for it', () => {
    expect(mrz.corrected[0]).toBe('A<FRAERIKSSON<<MUHAMMED<ALI<<<<<<<<<');
    expect(m.rivals[0]![16]).toContain('O');
    expect(wantsVisualZoneFill(mrz)).toBe(true);
    expect(wantsVisualZoneFill({ ...mrz, rivals: undefined })).toBe(mrz.unread[0]!.some((c) => c >= 5 && c < 36));
  });

  it('fills the given names from an unlabelled word beside the labelled surname, anchored by the printed number', () => {
    const fill = fillFromUnlabelledNames(mrz, ['MOHAMMED ALI', 'NLD', 'F'], anchors, { surname: 'ERIKSSON' });
    expect(fill?.corrected[0]).toBe('A<FRAERIKSSON<<MOHAMMED<ALI<<<<<<<<<');
    expect(fill?.filled.map((f) => [f.column, f.was, f.char])).toContainEqual([16, 'U', 'O']);
    expect(fill?.values.givenNames).toBe('MOHAMMED ALI');
  });

  it('fills nothing without the rivals, without the anchor, or from a word that differs where no engine offered it', () => {
    expect(fillFromUnlabelledNames({ ...mrz, rivals: undefined }, ['MOHAMMED ALI'], anchors, { surname: 'ERIKSSON' })).toBeNull();
    expect(fillFromUnlabelledNames(mrz, ['MOHAMMED ALI'], { documentNumber: null, birthDate: null }, { surname: 'ERIKSSON' })).toBeNull();
    expect(fillFromUnlabelledNames(mrz, ['MAHAMMED ALI'], anchors, { surname: 'ERIKSSON' })).toBeNull();
  });
});

describe('fillFromVisualZone without an anchor field', () => {
  it('needs the names to carry it: 4 read letters per filled one, else nothing (and never the sex)', () => {
    // PIOTR: 9 read letters (ERIKSSON, R) for 3 filled: under 4 x 3.
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, documentNumber: null, birthDate: null })).toBeNull();
    // One letter lost of ERIKSSON<<PIOTR: 12 read letters for 1 filled.
    const lines = ['I<JPNERIKSSON<<PIOLR<<<<<<<<<<<<<<<<', TRUTH[1]!];
    expect(fillFromVisualZone(toFill(lines, [[18], []]), { ...PRINTED, documentNumber: null, birthDate: null })?.corrected).toEqual(TRUTH);
    const sexLines = [TRUTH[0]!, TRUTH[1]!.slice(0, 20) + 'M' + TRUTH[1]!.slice(21)];
    expect(fillFromVisualZone(toFill(sexLines, [[], [20]], ['sex']), { ...PRINTED, documentNumber: null, birthDate: null })).toBeNull();
  });

  it('fills nothing when a verified field printed certain differs, even with another equal', () => {
    expect(fillFromVisualZone(toFill(READ, GLARE), { ...PRINTED, documentNumber: 'R18588643' })).toBeNull();
  });
});

describe('name letters lost under a glare core, read as something by an engine that saw no glyph there (tuning set 174000, strong)', () => {
  it('fills CHIDI where PP-OCR and tesseract.js read the filler on cells the cell reader saw washed out (TD3 274037)', () => {
    // `ERIKSSON<<CHIDI`: the cell reader read cells 14-20 at 0, faded; PP-OCR read `<` at 0.96-0.99 on
    // cells 16 and 18, so those count as read, not unread. The visual zone read both names and the number.
    const { m, mrz } = merged('strong-td3-274037');
    expect(mrz.corrected[0]).toBe('P<POLERIKSSON<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<');
    expect(m.unread[0]).not.toContain(16);
    expect(m.washedOut[0]).toEqual(expect.arrayContaining([16, 18]));
    const certain = { surname: 'ERIKSSON', givenNames: 'CHIDI' };
    const anchors = { documentNumber: 'TG642GZU', birthDate: null };
    const fill = fillFromVisualZone(mrz, certain, anchors);
    expect(fill?.corrected[0]).toBe('P<POLERIKSSON<<CHIDI<<<<<<<<<<<<<<<<<<<<<<<<');
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
    // Without the washed-out cells the read `<` blocks the fill, as before.
    expect(fillFromVisualZone({ ...mrz, washedOut: undefined }, certain, anchors)).toBeNull();
    // A letter the engines read clearly still blocks a printed name that differs there.
    expect(fillFromVisualZone(mrz, { ...certain, surname: 'ERIKSEN' }, anchors)).toBeNull();
  });

  it('fills the names from unlabelled words where PP-OCR dropped cells and its next letter stood on a washed-out one (MRV-B 274004)', () => {
    // `CRUZ<<JOAO`: cells 14-17 lost; PP-OCR read `CRUOAO`, its `U` aligned onto the `J`'s faded cell
    // (read 0 by the cell reader). The visual zone read `DE LA CRUZ` (0.52) and `JOAO PEDRO` (0.74),
    // no label, and the number B8699HZ1E.
    const { m, mrz } = merged('strong-mrvb-274004');
    expect(mrz.corrected[0]).toBe('V<UTODE<LA<CRL<<<UOAO<PEDRO<<<<<<<<<');
    expect(m.washedOut[0]).toContain(17);
    const words = ['UTOPIA VISA', 'DE LA CRUZ', 'JOAO PEDRO', 'UTO', 'M'];
    const anchors = { documentNumber: 'B8699HZ1E', birthDate: null };
    const fill = fillFromUnlabelledNames(mrz, words, anchors);
    expect(fill?.corrected[0]).toBe('V<UTODE<LA<CRUZ<<JOAO<PEDRO<<<<<<<<<');
    expect(fill?.sources).toEqual({ surname: 'visual_zone', givenNames: 'visual_zone' });
    expect(fillFromUnlabelledNames({ ...mrz, washedOut: undefined }, words, anchors)).toBeNull();
    expect(fillFromUnlabelledNames(mrz, words, { documentNumber: null, birthDate: null })).toBeNull();
  });

  it('counts no washed-out position as a read letter vouching for the fill', () => {
    // PIOTR with P, I, O, T unread and R washed out: ERIKSSON's 8 letters vouch for 4 filled; with
    // ERIKSSON washed out as well, nothing read vouches for the name.
    const lines = ['I<JPNERIKSSON<<WILLR<<<<<<<<<<<<<<<<', TRUTH[1]!];
    expect(fillFromVisualZone({ ...toFill(lines, GLARE), washedOut: [[19], []] }, PRINTED)?.corrected).toEqual(TRUTH);
    const allWashed = [[5, 6, 7, 8, 9, 10, 11, 12, 19], []];
    expect(fillFromVisualZone({ ...toFill(lines, GLARE), washedOut: allWashed }, PRINTED)).toBeNull();
  });

  it('asks for the fill where an uncertain name holds a washed-out position', () => {
    const base = toFill(TRUTH, [[], []]);
    expect(wantsVisualZoneFill(base)).toBe(false);
    expect(wantsVisualZoneFill({ ...base, washedOut: [[17], []] })).toBe(true);
    expect(wantsVisualZoneFill({ ...base, washedOut: [[17], []], uncertainFields: [] })).toBe(false);
  });
});

describe('given names lost whole, no label read (tuning set 154000, strong MRV-B 254004)', () => {
  // `MUELLER<<LUCAS`: cells 14-18 lost (the cell reader read `LTILQ` at 0, faded; PP-OCR `<` on 16). The
  // number `K679S4791` is flagged (tesseract.js read the check-blind `8` for `S`) and printed as read.
  // The visual zone read no label: `UTOPIA VISA`, `MUELLER`, `LUCAS`, `UTO` (the nationality).
  const reads = recordedReads('strong-mrvb-254004');
  const m = mergeMrzReads(reads, { ...REF, engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 }, fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' }, lengthWitnesses: ['ocrb#0'] });
  const fields: MrzToFill['fields'] = {};
  for (const [k, f] of Object.entries(m.result.fields)) fields[k as keyof typeof fields] = f?.value ?? null;
  const mrz: MrzToFill = { format: m.result.format, corrected: m.result.corrected, unread: m.unread, rivals: m.rivals, washedOut: m.washedOut, fields, uncertainFields: m.uncertainFields };
  const words = ['UTOPIA VISA', 'MUELLER', 'LUCAS', 'UTO'];
  const anchors = { documentNumber: 'K679S4791', birthDate: null };

  it('fills the given names from the one word that is no coded field\'s value, anchored by the number printed as read', () => {
    expect(mrz.corrected[0]).toBe('V<FRAMUELLER<<<<<<<<<<<<<<<<<<<<<<<<');
    expect(mrz.uncertainFields).toContain('documentNumber');
    const fill = fillFromUnlabelledNames(mrz, words, anchors);
    expect(fill?.corrected[0]).toBe('V<FRAMUELLER<<LUCAS<<<<<<<<<<<<<<<<<');
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
  });

  it('fills nothing when another word fits the lost cells as well', () => {
    expect(fillFromUnlabelledNames(mrz, [...words, 'ANNA'], anchors)).toBeNull();
    // The nationality's value offered as a name fits too; it is left out only because it is that field's.
    expect(fillFromUnlabelledNames({ ...mrz, fields: { ...fields, nationality: 'FRA' } }, words, anchors)).toBeNull();
  });
});

describe('glyphs a glare core left part of, and cells two engines saw nothing in (sets 166000, 174000, 178000, strong)', () => {
  it('fills a letter whose rest the cell reader saw faded and read as another letter (MRV-B 278019)', () => {
    // `SIOBHAN`: the `B` kept its stem and base (`L` at 0.90 faded, PP-OCR `L` at 0.51), `HAN` lost.
    const { m, mrz } = merged('strong-mrvb-278019');
    expect(mrz.corrected[0]).toBe('V<BRAKOWALSKA<<SIOL<<<<<<<<<<<<<<<<<');
    expect(m.fadedRead[0]).toContain(18);
    const certain = { surname: 'KOWALSKA', givenNames: 'SIOBHAN', birthDate: '1965-02-10', sex: 'M' };
    const anchors = { documentNumber: 'WN61656P', birthDate: '1965-02-10' };
    const fill = fillFromVisualZone(mrz, certain, anchors);
    expect(fill?.corrected[0]).toBe('V<BRAKOWALSKA<<SIOBHAN<<<<<<<<<<<<<<');
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
    expect(fillFromVisualZone({ ...mrz, fadedRead: [[], []] }, certain, anchors)).toBeNull();
  });

  it('fills names where PP-OCR emitted nothing and the cell reader matched nothing, whatever tesseract.js put there (TD3 266002)', () => {
    const { m, mrz } = merged('strong-td3-266002', { documentNumbers: ['G6X61709S'], dates: ['660508', '270327', '180825'] });
    expect(mrz.corrected[1]).toBe('G6X61709S0D<<6605083M2703279ZE423722<<<<<<14');
    const certain = { surname: 'OCONNOR', givenNames: 'SIOBHAN', documentNumber: 'G6X61709S', birthDate: '1966-05-08' };
    const fill = fillFromVisualZone({ ...mrz, sources: { birthDate: 'visual_zone' } }, certain, { documentNumber: 'G6X61709S', birthDate: '1966-05-08' });
    expect(fill?.corrected[0]).toBe('P<FRAOCONNOR<<SIOBHAN<<<<<<<<<<<<<<<<<<<<<<<');
    expect(m.washedOut[0]).toEqual(expect.arrayContaining([10, 11, 12, 13, 14, 15, 16, 17]));
  });

  it('keeps letters PP-OCR read whole as read where the cell reader, its grid a cell off, matched nothing (MRV-A 274003)', () => {
    const { m, mrz } = merged('strong-mrva-274003');
    // `OKAFOR<<LUCAS` read by PP-OCR (both variants): those cells are not washed out, and their letters vouch for the fill.
    for (const c of [13, 14, 15, 16, 17]) expect(m.washedOut[0]).not.toContain(c);
    const fill = fillFromVisualZone(mrz, { surname: 'OKAFOR', givenNames: 'LUCAS' }, { documentNumber: null, birthDate: null });
    expect(fill?.corrected[0]).toBe('V<JPNOKAFOR<<LUCAS<<<<<<<<<<<<<<<<<<<<<<<<<<');
  });
  it('gives the given names their new value when a fill in the surname moves the names\' split (fresh MRV-A 290028)', () => {
    // `VAN<DER<BERG<<EVA`: PP-OCR read `VAN<DEIRG<<EVA`, the cell reader `VAN<DLLHLLWG<<EVA` (`LLHLLW` at 0).
    const { mrz } = merged('strong-mrva-290028');
    const fill = fillFromVisualZone(mrz, { surname: 'VAN DER BERG', givenNames: 'EVA' }, { documentNumber: 'U8Z773252', birthDate: '2001-10-08' });
    expect(fill?.corrected[0]).toBe('V<JPNVAN<DER<BERG<<EVA<<<<<<<<<<<<<<<<<<<<<<');
    expect(fill?.values).toEqual({ surname: 'VAN DER BERG', givenNames: 'EVA' });
    expect(fill?.sources).toEqual({ surname: 'visual_zone', givenNames: 'visual_zone' });
  });
});

import { describe, expect, it } from 'vitest';
import { mergeMrzReads } from './merge.ts';
import { recordedReads, withCharRead } from '../../test/recorded-reads.ts';

/**
 * The engine reads the pipeline merged for strong TD1 121010 of tuning set 21000 (eval:mrz --seed 21000),
 * as dumped from the document worker (confidences rounded to 3 places): a glare core over line 1's
 * optional data `<<<<<` (cells 19-23) and one cell of line 2's. The cell reader guessed `D4293` and `J`
 * there at 0 confidence; PP-OCR (two variants) and tesseract.js skipped the cells.
 */
const reads = recordedReads('strong-td1-121010');
const TRUTH = ['A<FRAL244S5C7<9<<<<<<<<<<<<<<<', '7206100F3311053POL<<<<<<<<<<<0', 'KOWALSKA<<PIOTR<<<<<<<<<<<<<<<'];
const OPTIONS = {
  referenceDate: new Date('2026-06-01T00:00:00Z'),
  engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' },
  lengthWitnesses: ['ocrb#0'],
};

describe('mergeMrzReads and padding under a glare core (recorded reads)', () => {
  it('puts the filler back where no engine read anything, rather than the cell reader\'s guesses, and flags the fields', () => {
    const m = mergeMrzReads(reads, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TRUTH);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['optionalData', 'optionalData2']));
    // The checked fields the engines did read stay certain.
    expect(m.uncertainFields).not.toContain('documentNumber');
    expect(m.uncertainFields).not.toContain('birthDate');
    expect(m.uncertainFields).not.toContain('expiryDate');
  });
});

/**
 * The engine reads the pipeline merged for strong TD2 117031 of tuning set 17000 (eval:mrz --seed 17000),
 * dumped from the document worker (`mrzEvidence`, confidences rounded to 3 places): a glare core over the
 * second `A` of the given names `ANNA<MARIA` (line 1, cell 16). The cell reader read that cell `A` at 0
 * confidence; PP-OCR (asked for the cells around it) skipped it: `ANN<MARIA`.
 */
const reads117031 = recordedReads('strong-td2-117031');

describe('mergeMrzReads and a measured cell no engine read (recorded reads)', () => {
  it('keeps the position rather than dropping it and shifting the rest of the name, and says it was not read', () => {
    const m = mergeMrzReads(reads117031, OPTIONS);
    expect(m.valid).toBe(true);
    const line = m.result.corrected[0]!;
    // MARTIN<<ANN?<MARIA: the given names' second name stays where it was printed.
    expect(line.slice(0, 16)).toBe('IDITAMARTIN<<ANN');
    expect(line.slice(17, 23)).toBe('<MARIA');
    expect(m.unread[0]).toContain(16);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    // Line 2 (number, dates: all read) is the truth and certain.
    expect(m.result.corrected[1]).toBe('B44B8M29<7ITA0701101M3308268<<<<<<<2');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

/**
 * The engine reads the pipeline merged for strong TD3 117017 of tuning set 17000, dumped as above: a glare
 * core's rim over `SK` of the surname `KOWALSKA` (line 1, cells 10-11). The cell reader saw both washed
 * out and read them at 0; PP-OCR read `S` at 0.30 and `N` at 0.17 (`L` 0.13, `H` 0.12 behind it).
 */
const reads117017 = recordedReads('strong-td3-117017');

describe('mergeMrzReads and a faded cell read only by weak guesses (recorded reads)', () => {
  it('counts the cell as not read, so the name is flagged and the position is one the visual zone may fill', () => {
    const m = mergeMrzReads(reads117017, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.unread[0]).toContain(11);
    // `S` (0.30 from PP-OCR) was read; it stays read.
    expect(m.unread[0]).not.toContain(10);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    expect(m.result.corrected[1]).toBe('J6WN6N87<2UTO9207112M3402018ZE749620<<<<<<92');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

/**
 * The engine reads the pipeline merged for the stress set's mild TD1 81000 (`small`: the document filling
 * 25-40% of a photo; eval:mrz --stress --seed 81000), dumped as above: line 1's optional data is all
 * padding. The cell reader saw cells 18-20 washed out and read `L7K` at 0; PP-OCR (two variants) skipped
 * them; tesseract.js read `K` at cell 20 (0.46, with `<` at 0.41 behind it), as it reads `K` and `L` all
 * along the padding.
 */
const reads81000 = recordedReads('stress-small-td1-81000');

describe('mergeMrzReads and a filler look-alike where the cell reader saw no ink (recorded reads)', () => {
  it('puts the padding back rather than the lone letter, lists the position as not read and flags the field', () => {
    const m = mergeMrzReads(reads81000, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(['IDITAY8B3662E71<<<<<<<<<<<<<<<', '8007175M2911168D<<<<<<<<<<<<<0', 'ERIKSSON<<LUCAS<<<<<<<<<<<<<<<']);
    expect(m.unread[0]).toContain(19);
    expect(m.uncertainFields).toContain('optionalData');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

/**
 * The engine reads the pipeline merged for strong MRV-A 205028 of tuning set 105000, dumped as above: a
 * glare core over the given names' padding (line 1, cells 22-25). The cell reader saw those cells washed
 * out (`W<W` at 0, `<` at 0.35); PP-OCR read its filler look-alikes there, `KKA` (0.51, 0.54, 0.28). Cell
 * 22 no engine read at all (only the cell reader's `W` at 0), so the run of look-alikes had no filler
 * beside it on the left, and `YUKI<<<<<KKA` stood (flagged, wrong).
 */
const reads205028 = recordedReads('strong-mrva-205028');

describe('mergeMrzReads and a run of filler look-alikes next to a cell no engine read (recorded reads)', () => {
  it('looks past the unread cell for the run\'s neighbour: the padding is put back, the cells listed as not read, the names flagged', () => {
    const m = mergeMrzReads(reads205028, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(['V<UTOMUELLER<<YUKI<<<<<<<<<<<<<<<<<<<<<<<<<<', 'D6V54S25<4NLD9501289X3111127<<<<<<<<<<<<<<<<']);
    expect(m.unread[0]).toEqual(expect.arrayContaining([22, 23, 24]));
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
    expect(m.uncertainFields).not.toContain('documentNumber');
  });
});

describe('filler letters read apart by two engines where the cell reader saw nothing (recorded reads)', () => {
  /**
   * Strong MRV-A 274003 of tuning set 174000: `V<JPN` with the cell reader's first cells lost (`X` at 0
   * for the `<`); PP-OCR read `K` (both variants), tesseract.js `L` with `<` its runner-up.
   */
  const visa = recordedReads('strong-mrva-274003');

  it('takes the column for padding, not read, and flags the document code', () => {
    const m = mergeMrzReads(visa, OPTIONS);
    expect(m.valid).toBe(true);
    expect(m.result.corrected[0]!.slice(0, 5)).toBe('V<JPN');
    expect(m.unread[0]).toContain(1);
    expect(m.uncertainFields).toContain('documentCode');
  });

  it('keeps the letter where the letters come from variants of one engine only', () => {
    // The same reads with tesseract.js's line dropped: PP-OCR's two variants agree on `K`.
    const m = mergeMrzReads(visa.filter((r) => r.engine !== 'tesseract#0'), OPTIONS);
    expect(m.result.corrected[0]!.slice(0, 2)).toBe('VK');
  });
});

describe('filler letters read apart (synthetic reads)', () => {
  const line = (text: string, at: Record<number, { confidence: number; alternatives?: Array<{ char: string; confidence: number }> }> = {}) => ({
    text,
    chars: [...text].map((char, i) => ({ char, confidence: at[i]?.confidence ?? 0.95, alternatives: at[i]?.alternatives ?? [] })),
  });
  const TD3 = ['P<UTOERIKSSON<<ANNA<<<<<<<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const withAt = (text: string, i: number, ch: string): string => text.slice(0, i) + ch + text.slice(i + 1);

  it('needs two engines reading different filler letters: one letter common to both stays', () => {
    // Column 1 (the document code's filler): the cell reader saw nothing there, PP-OCR read `K`.
    const cell = { engine: 'ocrb#0', lines: [line(withAt(TD3[0]!, 1, 'X'), { 1: { confidence: 0 } }), line(TD3[1]!)] };
    const ppocr = { engine: 'ppocr#0', lines: [line(withAt(TD3[0]!, 1, 'K'), { 1: { confidence: 0.9 } }), line(TD3[1]!)] };
    const apart = { engine: 'tesseract#0', lines: [line(withAt(TD3[0]!, 1, 'L'), { 1: { confidence: 0.46, alternatives: [{ char: '<', confidence: 0.41 }] } }), line(TD3[1]!)] };
    const same = { engine: 'tesseract#0', lines: [line(withAt(TD3[0]!, 1, 'K'), { 1: { confidence: 0.46, alternatives: [{ char: '<', confidence: 0.41 }] } }), line(TD3[1]!)] };
    expect(mergeMrzReads([ppocr, cell, apart], OPTIONS).result.corrected[0]!.slice(0, 2)).toBe('P<');
    expect(mergeMrzReads([ppocr, cell, same], OPTIONS).result.corrected[0]!.slice(0, 2)).toBe('PK');
  });
});

/**
 * The engine reads the pipeline merged for strong TD3 266002 of set 166000 (eval:mrz --seed 166000),
 * dumped from the document worker (confidences rounded to 3 places): a glare core over line 2's
 * `<660` (nationality `D<<`, birth date `660508`) and over line 1's `OR<<SIOB`. PP-OCR dropped the
 * cells (`D5083`); the cell reader read them `<NDLJ` at 0, its guessed `D` three cells after the
 * nationality's own; tesseract.js read `500SUB3`.
 */
const reads266002 = recordedReads('strong-td3-266002');
const TRUTH_266002 = ['P<FRAOCONNOR<<SIOBHAN<<<<<<<<<<<<<<<<<<<<<<<', 'G6X61709S0D<<6605083M2703279ZE423722<<<<<<14'];
/** What the page's visual zone printed (viz-fields.ts read them certain): number, birth, expiry and issue dates. */
const PRINTED_266002 = { documentNumbers: ['G6X61709S'], dates: ['660508', '270327', '180825'] };

describe('mergeMrzReads and cells a glare core erased that one engine dropped (recorded reads)', () => {
  it('keeps the erased cells at their measured positions, so the printed birth date fills them and the nationality is padding', () => {
    const m = mergeMrzReads(reads266002, { ...OPTIONS, printed: PRINTED_266002 });
    expect(m.valid).toBe(true);
    expect(m.result.corrected[1]).toBe(TRUTH_266002[1]);
    expect(m.printedFilled.map((f) => [f.line, f.column, f.char])).toEqual([[1, 13, '6'], [1, 14, '6']]);
    expect(m.unread[1]).toEqual([11, 12, 13, 14]);
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['birthDate', 'nationality']));
    expect(m.uncertainFields).not.toContain('documentNumber');
    expect(m.uncertainFields).not.toContain('expiryDate');
  });

  it('lists the name cells the cell reader matched nothing to as washed out, where the visual zone may put its letters', () => {
    const m = mergeMrzReads(reads266002, { ...OPTIONS, printed: PRINTED_266002 });
    // `OR<<SIOB` (cells 10-17): another engine's letters stand there, none of them the printed name's.
    expect(m.washedOut[0]).toEqual(expect.arrayContaining([10, 11, 12, 13, 14, 15, 16, 17]));
    expect(m.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
  });

  it('refuses the read without the printed values: three lost digits of a date have many solutions', () => {
    expect(mergeMrzReads(reads266002, OPTIONS).valid).toBe(false);
  });
});

/**
 * The engine reads the pipeline merged for mild TD1 286030 of set 286000 (eval:mrz --seed 286000),
 * dumped from the document worker (confidences rounded to 3 places): glare over the number's last
 * characters and the cell after its check digit, where the optional data's padding starts. The cell
 * reader matched `4` there at 0 (faded); tesseract.js read `D`, PP-OCR `V` at 0.01. Readings with `0`
 * and with `<` there (check-blind: both weigh 0) cost the same, and `0` came first: refused as ambiguous.
 */
describe('mergeMrzReads where the padding and a guessed digit tie on cells no engine offered either for (recorded reads)', () => {
  const TRUTH = ['C<POLP28SY7H575<<<<<<<<<<<<<<<', '6110198M2712066BRA<<<<<<<<<<<4', 'NOVAK<<LUCAS<<<<<<<<<<<<<<<<<<'];

  it('takes the padding, valid, with the optional data flagged', () => {
    const m = mergeMrzReads(recordedReads('mild-td1-286030'), OPTIONS);
    expect(m.ambiguous).toBe(false);
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TRUTH);
    expect(m.uncertainFields).toContain('optionalData');
    expect(m.uncertainFields).not.toContain('documentNumber');
  });

  it('keeps a digit an engine read there: the padding wins a tie of guesses only', () => {
    // tesseract.js's `D` after the number read as a sure `0`: then the digit is something seen.
    const m = mergeMrzReads(withCharRead(recordedReads('mild-td1-286030'), 'tesseract#0', 0, 14, { char: '0', confidence: 0.9, alternatives: [] }), OPTIONS);
    expect(m.result.corrected[0]).toBe('C<POLP28SY7H5750<<<<<<<<<<<<<<');
  });
});

import { describe, expect, it } from 'vitest';
import { fillErasuresFromPrinted } from './printed-erasures.ts';
import { mergeMrzReads } from './merge.ts';
import type { OcrCharRead, OcrLineRead } from './ocr-read.ts';

// MRV-B 117034 of tuning set 17000 (strong): a glare core over `GBR49030` of line 2; the birth date
// 490301 kept its last digit and its check digit 7. The visual zone printed `01MAR 1949` under a label
// the blur made unreadable, `17 MAY2019` and the expiry `13JUN 2027` (read wrong: 11 JUN).
const TRUTH = ['V<D<<ABDULLAH<<EVA<<<<<<<<<<<<<<<<<<', 'ATY23Z08<3GBR4903017X2706111<<<<<<<<'];
const LOST = ['V<D<<ABDULLAH<<EVA<<<<<<<<<<<<<<<<<<', 'ATY23Z08<3GBRITLLU17X2706111<<<<<<<<'];
const ERASED = [[], [13, 14, 15, 16, 17]];
const READ_ALL = (): boolean => true;
const PRINTED = { documentNumbers: ['ATY23Z08'], dates: ['490301', '190517', '270613'] };

describe('fillErasuresFromPrinted', () => {
  it('fills a checked field\'s lost characters from the one printed value its read characters and check digit verify', () => {
    const fill = fillErasuresFromPrinted(LOST, ERASED, READ_ALL, PRINTED);
    expect(fill?.lines).toEqual(TRUTH);
    expect(fill?.filled.map((f) => `${f.column}:${f.was}>${f.char}`)).toEqual(['13:I>4', '14:T>9', '15:L>0', '16:L>3', '17:U>0']);
  });

  it('fills nothing where the check digit does not verify the printed value, or two values pass it', () => {
    expect(fillErasuresFromPrinted(LOST, ERASED, READ_ALL, { ...PRINTED, dates: ['490311', '190517'] })).toBeNull();
    // 400401 ends in the read 1 and weighs 7 too: the digits cannot tell the two apart.
    expect(fillErasuresFromPrinted(LOST, ERASED, READ_ALL, { ...PRINTED, dates: ['490301', '400401'] })).toBeNull();
  });

  it('fills nothing where the check digit itself was lost or is not supported by the engines', () => {
    expect(fillErasuresFromPrinted(LOST, [[], [...ERASED[1]!, 19]], READ_ALL, PRINTED)).toBeNull();
    expect(fillErasuresFromPrinted(LOST, ERASED, (l, c) => !(l === 1 && c === 19), PRINTED)).toBeNull();
  });

  it('fills nothing where a read character of the field disagrees with the printed value', () => {
    const misread = [LOST[0]!, LOST[1]!.slice(0, 18) + '7' + LOST[1]!.slice(19)];
    expect(fillErasuresFromPrinted(misread, ERASED, READ_ALL, PRINTED)).toBeNull();
  });
});

describe('mergeMrzReads with printed values', () => {
  // TD3 under a glare core: the cell reader read the lost cells at ~0 (`W`), nothing else read them.
  const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
  const cells = (text: string, lost: number[]): OcrLineRead => {
    const chars: OcrCharRead[] = [...text].map((char, i) => ({ char: lost.includes(i) ? 'W' : char, confidence: lost.includes(i) ? 0.01 : 0.95, alternatives: [] }));
    return { text: chars.map((c) => c.char).join(''), chars };
  };
  const readsLosing = (lost: number[]) => [{ engine: 'ocrb', lines: [cells(TD3[0]!, []), cells(TD3[1]!, lost)] }];
  const options = { referenceDate: new Date('2026-06-01T00:00:00Z'), lengthWitnesses: ['ocrb'] };
  const printed = { documentNumbers: ['L898902C3'], dates: ['120415', '740812', '210301'] };

  it('reads two lost letters of the document number from the printed number its check digit verifies (refused without)', () => {
    expect(mergeMrzReads(readsLosing([1, 2]), options).valid).toBe(false);
    const m = mergeMrzReads(readsLosing([1, 2]), { ...options, printed });
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.uncertainFields).toContain('documentNumber');
    expect(m.printedFilled.map((f) => f.column)).toEqual([1, 2]);
    // Another printed number fills nothing: refused as before.
    expect(mergeMrzReads(readsLosing([1, 2]), { ...options, printed: { ...printed, documentNumbers: ['L878902C3'] } }).valid).toBe(false);
  });

  it('reads three lost digits of the birth date from the printed dates, labels or not: the digits read and the check digit pick one', () => {
    expect(mergeMrzReads(readsLosing([13, 14, 15]), options).valid).toBe(false);
    const m = mergeMrzReads(readsLosing([13, 14, 15]), { ...options, printed });
    expect(m.result.corrected).toEqual(TD3);
    expect(m.valid).toBe(true);
    expect(m.uncertainFields).toContain('birthDate');
  });

  it('keeps a position for a cell the cell reader measured where another engine\'s gap outweighs it (else the line is a cell short and no layout)', () => {
    // PP-OCR skipped the two lost cells and cell 30; the cell reader read cell 30 at 0.3 (its vote 0.45 under the gap's 0.5).
    const line = (lost: number[], weak: number[], skip: number[]): OcrLineRead => {
      const chars: OcrCharRead[] = [...TD3[1]!].flatMap((char, i) => (skip.includes(i) ? [] : [{ char: lost.includes(i) ? 'W' : char, confidence: lost.includes(i) ? 0.01 : weak.includes(i) ? 0.3 : 0.95, alternatives: [] }]));
      return { text: chars.map((c) => c.char).join(''), chars };
    };
    const reads = [
      { engine: 'ppocr', lines: [cells(TD3[0]!, []), line([], [], [1, 2, 30])] },
      { engine: 'ocrb', lines: [cells(TD3[0]!, []), line([1, 2], [30], [])] },
    ];
    const weighted = { ...options, engineWeights: { ppocr: 1, ocrb: 1.5 } };
    expect(mergeMrzReads(reads, weighted).valid).toBe(false);
    const m = mergeMrzReads(reads, { ...weighted, printed });
    expect(m.valid).toBe(true);
    expect(m.result.corrected).toEqual(TD3);
    expect(m.printedFilled.map((f) => f.column)).toEqual([1, 2]);
  });
});

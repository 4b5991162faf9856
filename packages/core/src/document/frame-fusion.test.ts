import { describe, expect, it } from 'vitest';
import { cellReads, frameReads, fuseFrames, type FusionFrame, type MrzFrameEvidence } from './frame-fusion.ts';
import { mergeMrzReads } from './merge.ts';
import type { OcrCharRead, OcrLineRead } from './ocr-read.ts';
import { MrzFrameVoter, votable } from './voting.ts';

const TD3 = ['P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<', 'L898902C36UTO7408122F1204159ZE184226B<<<<<10'];
const REF = { referenceDate: new Date('2010-01-01T00:00:00Z') };
/** As the document worker weighs its engines (document.ts): the cell reader 1.5 and a length witness, PP-OCR 1. */
const WEIGHTS = { 'ocrb#0': 1.5, 'ppocr#0': 1 };

type Cell = readonly [line: number, column: number];
type Misread = readonly [line: number, column: number, char: string];

/**
 * One camera frame's engine reads of TD3: `clipped` cells lost to a glare core (the cell reader reads a
 * filler at 0.02, PP-OCR skips the glyph), the cell reader marking the cells beside them faded (their
 * true character at 0.6); `misread` cells read clearly, by both engines, as another character.
 */
function frame(clipped: readonly Cell[] = [], misread: readonly Misread[] = [], lines: readonly string[] = TD3): MrzFrameEvidence {
  const at = (cells: readonly Cell[], l: number, c: number): boolean => cells.some(([cl, cc]) => cl === l && cc === c);
  const ocrb = lines.map((text, l): OcrLineRead => {
    const chars = [...text].map((char, c): OcrCharRead => {
      const wrong = misread.find(([ml, mc]) => ml === l && mc === c)?.[2];
      if (wrong) return { char: wrong, confidence: 0.9, alternatives: [] };
      if (at(clipped, l, c)) return { char: '<', confidence: 0.02, alternatives: [] };
      if (at(clipped, l, c - 1) || at(clipped, l, c + 1)) return { char, confidence: 0.6, alternatives: [], faded: true };
      return { char, confidence: 0.95, alternatives: [] };
    });
    return { text: chars.map((x) => x.char).join(''), chars };
  });
  const ppocr = lines.map((text, l): OcrLineRead => {
    const chars = [...text].flatMap((char, c): OcrCharRead[] => {
      const wrong = misread.find(([ml, mc]) => ml === l && mc === c)?.[2];
      if (wrong) return [{ char: wrong, confidence: 0.9, alternatives: [] }];
      return at(clipped, l, c) ? [] : [{ char, confidence: 0.97, alternatives: [] }];
    });
    return { text: chars.map((x) => x.char).join(''), chars };
  });
  return { reads: [{ engine: 'ppocr#0', lines: ppocr }, { engine: 'ocrb#0', lines: ocrb }], engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] };
}

const alone = (evidence: MrzFrameEvidence) => mergeMrzReads(evidence.reads, { ...REF, engineWeights: WEIGHTS, lengthWitnesses: ['ocrb#0'] });
const frames = (...evidence: MrzFrameEvidence[]): FusionFrame[] => evidence.map((e) => ({ evidence: e }));
/** A recorded line read: its characters with their confidences, no alternatives. */
const read = (text: string, confidences: readonly number[]): OcrLineRead => ({ text, chars: [...text].map((char, i) => ({ char, confidence: confidences[i]!, alternatives: [] })) });
/** One line of a recorded frame as the document worker reads it: two PP-OCR variants, the OCR-B cell reader, tesseract.js, with the worker's weights. */
const recordedFrame = (lines: Readonly<Record<'ppocr#0' | 'ppocr#1' | 'ocrb#0' | 'tesseract#0', OcrLineRead>>): MrzFrameEvidence => ({
  reads: Object.entries(lines).map(([engine, line]) => ({ engine, lines: [line] })),
  engineWeights: { 'ppocr#0': 1, 'ppocr#1': 1, 'ocrb#0': 1.5, 'tesseract#0': 0.7 },
  fillerLookalikes: { 'ppocr#0': 'KA', 'ppocr#1': 'KA' },
  lengthWitnesses: ['ocrb#0'],
});

describe('cellReads', () => {
  it('a cell read by the engines is clear; a clipped cell, and a cell the cell reader saw faded, are not seen', () => {
    const cells = cellReads(frame([[1, 3]]), TD3);
    expect(cells[1]![0]).toEqual({ char: 'L', clear: true });
    expect(cells[1]![3]).toBeNull();
    expect(cells[1]![2]).toBeNull();
    expect(cells[1]![4]).toBeNull();
    expect(cells[0]!.every((cell, c) => cell?.char === TD3[0]![c] && cell?.clear === true)).toBe(true);
  });
});

describe('cellReads in a run of fillers', () => {
  it('a filler run one engine read shorter is read clearly: where its gaps fall in the run is the aligner\'s choice, no vote against', () => {
    // PP-OCR reads the name line's trailing fillers 12 short (a blurred run); the cell reader reads all 44.
    const e = frame();
    const short: MrzFrameEvidence = { ...e, reads: e.reads.map((r) => (r.engine !== 'ppocr#0' ? r : { ...r, lines: r.lines.map((line, l) => (l !== 0 ? line : { text: line.text.slice(0, 32), chars: line.chars.slice(0, 32) })) })) };
    const cells = cellReads(short, TD3)[0]!;
    expect(cells.every((cell, c) => cell?.char === TD3[0]![c] && cell?.clear === true)).toBe(true);
    // A letter PP-OCR skipped is still no clear read (the gap counts outside a run of fillers).
    const skipped: MrzFrameEvidence = { ...e, reads: e.reads.map((r) => (r.engine !== 'ppocr#0' ? r : { ...r, lines: r.lines.map((line, l) => (l !== 0 ? line : { text: line.text.slice(0, 15) + line.text.slice(16), chars: [...line.chars.slice(0, 15), ...line.chars.slice(16)] })) })) };
    expect(cellReads(skipped, TD3)[0]![15]).toEqual({ char: 'A', clear: false });
  });
});

describe('cellReads: a letter in a run of fillers', () => {
  it('a letter one engine read where the others have no character is no clear read against the filler: there the gaps count', () => {
    // PP-OCR's first read has an A in the names' padding (line 1, 30); its second read and the cell reader
    // read the run one filler shorter, so the aligner gives them a gap there (tuning stream 301500 strong).
    const line = (text: string, confidence: number): OcrLineRead => ({ text, chars: [...text].map((char) => ({ char, confidence, alternatives: [] })) });
    const withA = TD3[0]!.slice(0, 30) + 'A' + TD3[0]!.slice(31);
    const short = TD3[0]!.slice(0, 43);
    const evidence: MrzFrameEvidence = {
      reads: [
        { engine: 'ppocr#0', lines: [line(withA, 0.97), line(TD3[1]!, 0.97)] },
        { engine: 'ppocr#1', lines: [line(short, 0.97), line(TD3[1]!, 0.97)] },
        { engine: 'ocrb#0', lines: [line(short, 0.95), line(TD3[1]!, 0.95)] },
      ],
      engineWeights: { ...WEIGHTS, 'ppocr#1': 1 },
      lengthWitnesses: ['ocrb#0'],
    };
    const cells = cellReads(evidence, TD3)[0]!;
    expect(cells[30]).toBeNull();
    // The fillers beside it stay clear (a gap is no vote against the filler).
    expect(cells[29]).toEqual({ char: '<', clear: true });
    expect(cells[31]).toEqual({ char: '<', clear: true });
  });
});

describe('cellReads: a line the cell reader read blind', () => {
  it('where the cell reader read no cell of a line, its faded marks there are no washed-out glyphs: the other engines\' clear reads stand', () => {
    // Its grid missed the glyphs of line 2: every cell read at 0, every other one marked faded; PP-OCR reads the line right.
    const e = frame();
    const blind = (confidence: number): MrzFrameEvidence => ({ ...e, reads: e.reads.map((r) => (r.engine !== 'ocrb#0' ? r : { ...r, lines: r.lines.map((line, l) => (l !== 1 ? line : { text: 'F'.repeat(44), chars: line.chars.map((_, c) => ({ char: 'F', confidence, alternatives: [], ...(c % 2 === 0 ? { faded: true } : {}) })) })) })) });
    const cells = cellReads(blind(0), TD3)[1]!;
    expect(cells.every((cell, c) => cell !== null && cell.char === TD3[1]![c] && cell.clear)).toBe(true);
    // A cell read above 0.1 anywhere on the line: the grid sat on glyphs, and its faded cells are not seen.
    const seeing = cellReads(blind(0.12), TD3)[1]!;
    expect(seeing.filter((cell) => cell === null)).toHaveLength(22);
  });
});

describe('cellReads: a blind read longer than the others', () => {
  it('a line the cell reader read at no confidence is left out of the frame\'s alignment: the others\' characters keep their cells', () => {
    // Recorded: tuning stream 330500 strong (TD1), frame 2, line 1. Glare over `Z63CR`: PP-OCR read 25
    // characters, the cell reader 30 of junk, every one at 0.00. Aligned with the junk, PP-OCR's `<` of
    // `E<3` stood in the document number's `0` cell, read clearly: every window holding the frame was refused.
    const ppocr = read('A<ESPE0E<3<<<<<<<<<<<<<<<', [0.36, 0.95, 0.69, 0.77, 0.68, 0.59, 0.32, 0.44, 0.28, 0.76, ...new Array<number>(15).fill(0.98)]);
    const evidence = recordedFrame({
      'ppocr#0': ppocr,
      'ppocr#1': read(ppocr.text, [0.47, 0.95, 0.82, 0.83, 0.72, 0.83, 0.4, 0.56, 0.65, 0.85, ...new Array<number>(15).fill(0.98)]),
      'ocrb#0': read('KUUUY6LLJ6DL4JWWWWWWWWWWWM94L6', new Array<number>(30).fill(0)),
      'tesseract#0': read('A<ESPEOE3<K<LLLLL<IRERK<', [0.98, 0.98, 0.98, 0.98, 0.99, 0.99, 0.97, 0.72, 0.88, 0.91, 0.46, 0.88, 0.42, 0.41, 0.42, 0.43, 0.41, 0.92, 0.82, 0.91, 0.84, 0.88, 0.48, 0.46]),
    });
    const reading = ['A<ESPE0EZ63CR<3<<<<<<<<<<<<<<<'];
    const cells = cellReads(evidence, reading)[0]!;
    // No cell read clearly as another character than the document's.
    expect(cells.filter((cell, c) => cell?.clear && cell.char !== reading[0]![c])).toEqual([]);
    expect(cells.slice(0, 5)).toEqual([...'A<ESP'].map((char) => expect.objectContaining({ char })));
  });
});

describe('cellReads: a read mostly blind', () => {
  it('a line the cell reader read at no confidence in most cells is left out of the alignment too: its few sure fillers no longer move the others', () => {
    // Recorded: tuning stream 330500+5 strong (TD1), frame 5, line 3. The cell reader's 30 cells: nine
    // fillers at 0.66-1.00 among junk at 0.00. Aligned with it, PP-OCR's `CAS` of `LUCAS` stood two cells
    // late: the padding's `<` read clearly as `S` (and `A`, `S` where the gaps stood), refusing every window that held it.
    const evidence = recordedFrame({
      'ppocr#0': read('N0VAK<<LUCAS<<<<<<<<<<<<<<', [0.76, 0.3, 0.91, 0.47, 0.7, 0.97, 0.98, 0.87, 0.66, 0.57, 0.73, 0.79, 0.97, 0.97, 0.99, 0.99, 0.99, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98, 0.98, 0.96, 0.89]),
      'ppocr#1': read('NOVAK<<LUCAS<<<<<<<<<<<<<<', [0.97, 0.88, 0.99, 0.96, 0.96, 0.92, 0.96, 0.91, 0.98, 0.94, 0.96, 0.97, 0.9, 0.94, 0.93, 0.97, 0.95, 0.95, 0.81, 0.91, 0.91, 0.98, 0.94, 0.98, 0.93, 0.89]),
      'ocrb#0': read('NONYJLC<LUIY<LC<<<<MHLC<<<<MHL', [0, 0, 0, 0, 0, 0, 0, 0.99, 0, 0, 0, 0, 0, 0, 0, 0.97, 1, 1, 1, 0, 0, 0, 0, 0.66, 1, 1, 1, 0, 0, 0]),
      'tesseract#0': read('NOVAK<<LUCAS<<<<LLLLLLL<LLK', [0.98, 0.98, 0.98, 0.99, 0.49, 0.97, 0.93, 0.48, 0.99, 0.49, 0.99, 0.98, 0.94, 0.92, 0.93, 0.81, 0.42, 0.45, 0.45, 0.45, 0.44, 0.43, 0.47, 0.93, 0.46, 0.46, 0.42]),
    });
    const reading = ['NOVAK<<LUCAS<<<<<<<<<<<<<<<<<<'];
    const cells = cellReads(evidence, reading)[0]!;
    expect(cells.filter((cell, c) => cell?.clear && cell.char !== reading[0]![c])).toEqual([]);
    expect(cells.slice(7, 12)).toEqual([...'LUCAS'].map((char) => expect.objectContaining({ char })));
  });
});

describe('fuseFrames', () => {
  it('fills characters clipped in one frame from the frames that read them (no frame read them all)', () => {
    // Document number (line 2, 2-3), expiry (line 2, 23) and a given name (line 1, 21) each lost in one frame.
    const a = frame([[1, 2], [1, 3]]);
    const b = frame([[1, 23], [0, 21]]);
    const c = frame([[1, 28], [0, 6]]);
    for (const f of [a, b, c]) {
      const m = alone(f);
      expect(m.valid && m.uncertainFields.length === 0 && m.unread.every((u) => u.length === 0)).toBe(false);
    }
    const fused = fuseFrames(frames(a, b, c), REF);
    expect(fused).toMatchObject({ accepted: true, frames: 3, conflicts: [], unsupported: [] });
    expect(fused.merged.result.corrected).toEqual(TD3);
    expect(fused.uncertainFields).toEqual([]);
  });

  it('with one frame asked to see each character, two frames clipped in different places are enough', () => {
    const fused = fuseFrames(frames(frame([[1, 2]]), frame([[1, 23]])), { ...REF, minSeenReads: 1 });
    expect(fused.accepted).toBe(true);
    expect(fused.merged.result.corrected).toEqual(TD3);
    // The default asks two frames to see each character: the clipped cells and their faded neighbours had one.
    const strict = fuseFrames(frames(frame([[1, 2]]), frame([[1, 23]])), REF);
    expect(strict).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(strict.unsupported.map((u) => `${u.line}:${u.column}`)).toEqual(expect.arrayContaining(['1:2', '1:23']));
  });

  it('a character one frame read clearly and another only leaned to is seen twice: accepted; read once and lost elsewhere, refused', () => {
    // The given name's R (line 1, 22): PP-OCR leans to K (0.6), the cell reader to R (0.45, weight 1.5).
    const e = frame([[1, 2]]);
    const leaning: MrzFrameEvidence = { ...e, reads: e.reads.map((r) => ({ ...r, lines: r.lines.map((line, l) => (l !== 0 ? line : { text: line.text, chars: line.chars.map((ch, c) => (c !== 22 ? ch : { char: r.engine === 'ppocr#0' ? 'K' : 'R', confidence: r.engine === 'ppocr#0' ? 0.6 : 0.45, alternatives: [] })) })) })) };
    expect(cellReads(leaning, TD3)[0]![22]).toEqual({ char: 'R', clear: false });
    const ok = fuseFrames(frames(frame([[1, 23]]), leaning, frame([[0, 22]])), REF);
    expect(ok.accepted).toBe(true);
    expect(ok.merged.result.corrected).toEqual(TD3);
    const lost = fuseFrames(frames(frame([[1, 23]]), frame([[0, 22], [1, 2]]), frame([[0, 22]])), REF);
    expect(lost.accepted).toBe(false);
    expect(lost.unsupported.map((u) => `${u.line}:${u.column}`)).toContain('0:22');
  });

  it('flags, never guesses, a cell frames read clearly as different characters, even where the check digit settles it', () => {
    // One frame reads the document number's 9 (line 2, 2) clearly as 4; two read it clearly as 9.
    const fused = fuseFrames(frames(frame(), frame([], [[1, 2, '4']]), frame()), REF);
    expect(fused.merged.valid).toBe(true);
    expect(fused).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(fused.conflicts.map((c) => [c.line, c.column, c.char, c.clear])).toEqual([[1, 2, '9', ['9', '4', '9']]]);
    expect(fused.uncertainFields).toContain('documentNumber');
  });

  it('one frame reading a cell clearly as another character is outvoted by three that read it as it stands: accepted, its field flagged', () => {
    // A frame whose alignment slipped reads a filler of the names' padding (line 1, 26) clearly as N.
    const slipped = frame([], [[0, 26, 'N']]);
    const fused = fuseFrames(frames(frame(), frame(), frame(), slipped), REF);
    expect(fused).toMatchObject({ accepted: true, conflicts: [] });
    expect(fused.merged.result.corrected).toEqual(TD3);
    expect(fused.thin.map((t) => [t.line, t.column, t.clear])).toEqual([[0, 26, ['<', '<', '<', 'N']]]);
    expect([...fused.uncertainFields].sort()).toEqual(['givenNames', 'surname']);
    // Two frames for it are not enough, and neither are three against two frames reading another character.
    expect(fuseFrames(frames(frame(), frame(), slipped), REF)).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(fuseFrames(frames(frame(), frame(), frame(), slipped, slipped), REF)).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
  });

  it('flags a name letter frames read clearly as different letters (no check digit to settle it)', () => {
    const fused = fuseFrames(frames(frame([], [[0, 17, 'E']]), frame(), frame([[0, 17]])), REF);
    expect(fused.accepted).toBe(false);
    expect(fused.conflicts.map((c) => `${c.line}:${c.column}`)).toEqual(['0:17']);
    expect(fused.uncertainFields).toEqual(expect.arrayContaining(['surname', 'givenNames']));
  });

  it('refuses a character no frame read, even where the check digit could fill it', () => {
    // The document number's 8 (line 2, 3) clipped in every frame: an erasure solve could write it from
    // the check digit, but nothing saw it.
    const fused = fuseFrames(frames(frame([[1, 3]]), frame([[1, 3]]), frame([[1, 3]])), REF);
    expect(fused.accepted).toBe(false);
    expect(fused.merged.valid).toBe(true);
    expect(fused.unsupported.some((u) => u.line === 1 && u.column === 3 && u.clear.every((ch) => ch === null))).toBe(true);
    expect(fused.uncertainFields).toContain('documentNumber');
  });

  it('holds each character to earlier frames too (heldFrames, not merged): their reads support it, their clear misreads refuse it', () => {
    // The merged window saw the document number's 9 (line 2, 2) and the expiry's 5 (line 2, 23) once each.
    const window = frames(frame([[1, 2]]), frame([[1, 23]]));
    expect(fuseFrames(window, REF)).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    const held = fuseFrames(window, { ...REF, heldFrames: frames(frame([[0, 22]])) });
    expect(held).toMatchObject({ accepted: true, frames: 2 });
    expect(held.merged.result.corrected).toEqual(TD3);
    // An earlier frame that read the 9 clearly as 4 contradicts it.
    const contradicted = fuseFrames(window, { ...REF, heldFrames: frames(frame([[0, 22]]), frame([], [[1, 2, '4']])) });
    expect(contradicted).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(contradicted.conflicts.map((c) => `${c.line}:${c.column}`)).toEqual(['1:2']);
    // An earlier frame of another line count is not held to.
    const oneLine: MrzFrameEvidence = { reads: frame().reads.map((r) => ({ ...r, lines: r.lines.slice(1) })), engineWeights: WEIGHTS };
    expect(fuseFrames(window, { ...REF, heldFrames: frames(oneLine) }).accepted).toBe(false);
  });

  it('a digit 0 read where only letters stand counts for the letter O (the corrector reads it so), and O where only digits stand for 0', () => {
    // PP-OCR reads the issuing state's O (line 1, 4) as 0 in every frame, and the expiry's 0 (line 2, 23) as O.
    const zero = (e: MrzFrameEvidence): MrzFrameEvidence => ({ ...e, reads: e.reads.map((r) => (r.engine !== 'ppocr#0' ? r : { ...r, lines: r.lines.map((line, l) => ({ text: line.text, chars: line.chars.map((ch, c) => (l === 0 && c === 4 ? { ...ch, char: '0' } : l === 1 && c === 23 ? { ...ch, char: 'O' } : ch)) })) })) });
    expect(cellReads(zero(frame()), TD3)[0]![4]).toEqual({ char: 'O', clear: false });
    const kinds = (l: number, c: number) => (l === 0 && c === 4 ? 'alpha' as const : l === 1 && c === 23 ? 'numeric' as const : undefined);
    expect(cellReads(zero(frame()), TD3, kinds)[0]![4]).toEqual({ char: 'O', clear: true });
    expect(cellReads(zero(frame()), TD3, kinds)[1]![23]).toEqual({ char: '0', clear: true });
    const fused = fuseFrames(frames(zero(frame([[1, 2]])), zero(frame([[1, 26]])), zero(frame([[0, 22]]))), REF);
    expect(fused).toMatchObject({ accepted: true, frames: 3 });
    expect(fused.merged.result.corrected).toEqual(TD3);
  });

  it('an accepted reading flags the fields of positions decided by a thin vote: read clearly in one frame only', () => {
    // Two frames clipped in different places, each asked to be seen once: the document number's 9 (line 2,
    // 2) and the expiry's 5 (line 2, 23), and the faded cells beside them, were read clearly by one frame.
    const fused = fuseFrames(frames(frame([[1, 2]]), frame([[1, 23]])), { ...REF, minSeenReads: 1 });
    expect(fused.accepted).toBe(true);
    expect(fused.merged.result.corrected).toEqual(TD3);
    expect(fused.merged.uncertainFields).toEqual([]);
    expect(fused.thin.map((t) => `${t.line}:${t.column}`)).toEqual(['1:1', '1:2', '1:3', '1:22', '1:23', '1:24']);
    expect([...fused.uncertainFields].sort()).toEqual(['documentNumber', 'expiryDate']);
  });

  it('an accepted reading flags a name letter a frame leaned to as another letter, though two frames read it clearly', () => {
    // The given name's R (line 1, 22): in the third frame PP-OCR leans to K (0.6), the cell reader to R (0.3).
    const e = frame();
    const leaningToK: MrzFrameEvidence = { ...e, reads: e.reads.map((r) => ({ ...r, lines: r.lines.map((line, l) => (l !== 0 ? line : { text: line.text, chars: line.chars.map((ch, c) => (c !== 22 ? ch : { char: r.engine === 'ppocr#0' ? 'K' : 'R', confidence: r.engine === 'ppocr#0' ? 0.6 : 0.3, alternatives: [] })) })) })) };
    expect(cellReads(leaningToK, TD3)[0]![22]).toEqual({ char: 'K', clear: false });
    const fused = fuseFrames(frames(frame(), frame(), leaningToK), REF);
    expect(fused.accepted).toBe(true);
    expect(fused.merged.result.corrected).toEqual(TD3);
    expect(fused.thin.map((t) => `${t.line}:${t.column}`)).toEqual(['0:22']);
    expect([...fused.uncertainFields].sort()).toEqual(['givenNames', 'surname']);
    // Three frames reading it clearly: nothing thin, nothing flagged.
    expect(fuseFrames(frames(frame(), frame(), frame()), REF)).toMatchObject({ accepted: true, thin: [], uncertainFields: [] });
  });

  it('refuses a fused reading that dropped a letter a frame read clearly, though every character it kept was read', () => {
    // Two frames lost the given name's first A (line 1, 15) and read the rest one cell to the left: ANNA<MARIA
    // as NNA<MARIA<. A third frame read it. The merge follows the two; every kept character has its reads.
    const shifted = [TD3[0]!.slice(0, 15) + TD3[0]!.slice(16) + '<', TD3[1]!];
    const fused = fuseFrames(frames(frame([], [], shifted), frame([], [], shifted), frame()), REF);
    expect(fused.merged.valid).toBe(true);
    expect(fused.merged.result.corrected).toEqual(shifted);
    expect(fused.conflicts).toEqual([]);
    expect(fused.unsupported).toEqual([]);
    expect(fused).toMatchObject({ accepted: false, refusal: 'unclear_cells' });
    expect(fused.unplaced).toEqual([{ line: 0, column: 15, char: 'A', frame: 2 }]);
    expect(fused.uncertainFields).toEqual(expect.arrayContaining(['givenNames', 'surname']));
    // frameReads: the third frame's A has no position in the shifted reading; against the truth it has one.
    expect(frameReads(frame(), shifted).unplaced).toEqual([{ line: 0, column: 15, char: 'A' }]);
    expect(frameReads(frame(), TD3).unplaced).toEqual([]);
  });

  it('refuses a name letter no frame read', () => {
    const fused = fuseFrames(frames(frame([[0, 22]]), frame([[0, 22]]), frame([[0, 22]])), REF);
    expect(fused.accepted).toBe(false);
    expect(fused.uncertainFields).toEqual(expect.arrayContaining(['givenNames']));
  });

  it('needs two frames of the same line count', () => {
    expect(fuseFrames(frames(frame()), REF)).toMatchObject({ accepted: false, refusal: 'too_few_frames' });
    const oneLine: MrzFrameEvidence = { reads: frame().reads.map((r) => ({ ...r, lines: r.lines.slice(1) })), engineWeights: WEIGHTS };
    expect(fuseFrames(frames(frame(), oneLine), REF)).toMatchObject({ accepted: false, refusal: 'line_count' });
  });
});

describe('MrzFrameVoter with fusion', () => {
  const good = votable(alone(frame()));
  const clipped = votable(alone(frame([[1, 2], [1, 3]])));
  it('a reading valid in whole frames is stable as before: the fused reading is not asked for', async () => {
    const v = new MrzFrameVoter({ stableFrames: 2 });
    let asked = 0;
    const fuse = async () => { asked++; return null; };
    expect((await v.addAsync(good, fuse)).status).toBe('reading');
    const s = await v.addAsync(good, fuse);
    expect(s).toMatchObject({ status: 'stable', frames: 2, read: good });
    expect(s.status === 'stable' && s.fused).toBeUndefined();
    expect(asked).toBe(1);
  });
  it('takes a fused reading when offered, and says it was fused and from how many frames', async () => {
    const v = new MrzFrameVoter({ stableFrames: 2, maxFrames: 3 });
    let asked = 0;
    const fuse = async () => (++asked >= 2 ? { read: good, frames: 2 } : null);
    expect((await v.addAsync(null, fuse)).status).toBe('reading');
    expect(asked).toBe(0);
    expect((await v.addAsync(clipped, fuse)).status).toBe('reading');
    const s = await v.addAsync(clipped, fuse);
    expect(s).toMatchObject({ status: 'stable', frames: 3, read: good, fused: { frames: 2 } });
    expect(await v.addAsync(good, fuse)).toBe(s);
    expect(v.add(good)).toBe(s);
  });
  it('a frame whose own reading settles the vote never asks for a fusion, and without one the budget ends as before', async () => {
    const v = new MrzFrameVoter({ stableFrames: 2, maxFrames: 3 });
    let asked = 0;
    const fuse = async () => (++asked >= 2 ? { read: good, frames: 2 } : null);
    expect((await v.addAsync(null, fuse)).status).toBe('reading');
    expect((await v.addAsync(clipped, fuse)).status).toBe('reading');
    const s = await v.addAsync(clipped, fuse);
    expect(s).toMatchObject({ status: 'stable', frames: 3, read: good, fused: { frames: 2 } });
    expect(asked).toBe(2);
    // A whole-frame stable reading does not wait on a fusion; the budget ends as before without one.
    const w = new MrzFrameVoter({ stableFrames: 2, maxFrames: 2 });
    expect((await w.addAsync(good, async () => null)).status).toBe('reading');
    expect(await w.addAsync(good, () => { throw new Error('not asked'); })).toMatchObject({ status: 'stable', frames: 2 });
    const g = new MrzFrameVoter({ stableFrames: 2, maxFrames: 2 });
    await g.addAsync(clipped, async () => null);
    expect((await g.addAsync(clipped, async () => null)).status).toBe('gave_up');
  });
});

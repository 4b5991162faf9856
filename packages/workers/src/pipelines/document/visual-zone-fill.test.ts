import { readFileSync } from 'node:fs';
import { document as coreDocument } from '@ekyc/core';
import { describe, expect, it } from 'vitest';
import { fillNamesFromPage, nameWordsAnyLabel, printedBirthDateAnchor, unlabelledNameWords } from './visual-zone.ts';

type PageRead = Parameters<typeof fillNamesFromPage>[1];

/**
 * A recorded strong document (`__fixtures__/<name>.page.json`, `eval:mrz` with `mrzEvidence` and the
 * visual zone): its engine reads merged as the pipeline merged them, the reading as the fill takes it,
 * the page's printed read, and the true MRZ.
 */
function recorded(name: string): { toFill: coreDocument.MrzToFill; page: PageRead; truth: string[]; merged: string[] } {
  const f = JSON.parse(readFileSync(new URL(`./__fixtures__/${name}.page.json`, import.meta.url), 'utf8')) as {
    truth: string[]; reads: coreDocument.EngineMrzRead[]; visualZone: PageRead;
    mergeOptions: Pick<coreDocument.MergeOptions, 'engineWeights' | 'fillerLookalikes' | 'lengthWitnesses'>;
  };
  const m = coreDocument.mergeMrzReads(f.reads, { referenceDate: new Date('2026-06-01T00:00:00Z'), ...f.mergeOptions });
  const fields: coreDocument.MrzToFill['fields'] = {};
  for (const [k, v] of Object.entries(m.result.fields)) fields[k as keyof typeof fields] = v?.value ?? null;
  const toFill = { format: m.result.format, corrected: m.result.corrected, unread: m.unread, rivals: m.rivals, washedOut: m.washedOut, fadedRead: m.fadedRead, fields, uncertainFields: m.uncertainFields };
  return { toFill, page: f.visualZone, truth: f.truth, merged: [...m.result.corrected] };
}

describe('fillNamesFromPage on recorded strong documents', () => {
  it('anchors on a printed birth date whose label was not read (298024, fresh 198000 strong MRV-B)', () => {
    const { toFill, page, truth, merged } = recorded('strong-mrvb-298024');
    expect(merged[0]).not.toBe(truth[0]); // `OKAFORLIILTA`: the cell reader's guesses in the glare
    expect(page.fields.birthDate).toBeUndefined();
    const fill = fillNamesFromPage(toFill, page, 2026);
    expect(fill?.corrected).toEqual(truth);
    expect(fill?.sources).toEqual({ surname: 'visual_zone', givenNames: 'visual_zone' });
    // Without the printed `05DEC1970` nothing proves the page is this document's: no fill.
    expect(fillNamesFromPage(toFill, { ...page, texts: page.texts.filter((t) => t.text !== '05DEC1970') }, 2026)).toBeNull();
  });

  it('takes a name read uncertain (the engines disagreeing) as a word of the page (294018, fresh 194000 strong MRV-A)', () => {
    const { toFill, page, truth, merged } = recorded('strong-mrva-294018');
    expect(merged[0]).not.toBe(truth[0]); // `JOAO<PEDRO<OO`
    expect(page.fields.givenNames?.uncertain).toBe(true);
    expect(coreDocument.fillFromUnlabelledNames(toFill, unlabelledNameWords(page), { documentNumber: 'G269A3D6F', birthDate: '1955-07-23' }, { surname: 'KOWALSKA' })).toBeNull();
    const fill = fillNamesFromPage(toFill, page, 2026);
    expect(fill?.corrected).toEqual(truth);
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
  });

  it('takes a name read under a label that does not fit it (298014, fresh 198000 strong MRV-B: `ANNA MARIA` as the surname)', () => {
    const { toFill, page, truth, merged } = recorded('strong-mrvb-298014');
    expect(merged[0]).not.toBe(truth[0]); // the given names `ANNA` lost whole
    expect(page.fields.surname?.value).toBe('ANNA MARIA');
    const fill = fillNamesFromPage(toFill, page, 2026);
    expect(fill?.corrected).toEqual(truth);
    expect(fill?.sources).toEqual({ givenNames: 'visual_zone' });
  });
});

describe('nameWordsAnyLabel', () => {
  it('adds the name fields\' values, certain or not, to the unlabelled words; not a value read under the floor', () => {
    const fields = {
      surname: { value: 'KOWALSKA', raw: 'KOWALSKA', confidence: 0.99, uncertain: false },
      givenNames: { value: 'JOAO PEDRO', raw: 'JOAO PEDRO', confidence: 0.99, uncertain: true },
    } as unknown as coreDocument.VisualZoneReading['fields'];
    const texts = [{ text: 'UTOPIA VISA', confidence: 0.77 }, { text: 'KOWALSKA', confidence: 0.99 }, { text: 'JOAO PEDRO', confidence: 0.81 }];
    expect(unlabelledNameWords({ fields, texts })).toEqual(['UTOPIA VISA']);
    expect(nameWordsAnyLabel({ fields, texts })).toEqual(['UTOPIA VISA', 'KOWALSKA', 'JOAO PEDRO']);
    const faint = { ...fields, givenNames: { value: 'JOAO PEDRO', raw: 'JOAO PEDRO', confidence: 0.3, uncertain: true } } as unknown as coreDocument.VisualZoneReading['fields'];
    expect(nameWordsAnyLabel({ fields: faint, texts })).toEqual(['UTOPIA VISA', 'KOWALSKA']);
  });
});

describe('printedBirthDateAnchor', () => {
  const texts = [{ text: 'OKAFOR' }, { text: '05DEC1970' }, { text: '15 SEP 2035' }];
  it('takes the MRZ birth date where a printed text reads as it, its label unread', () => {
    expect(printedBirthDateAnchor({ fields: {}, texts }, '1970-12-05', 2026)).toBe('1970-12-05');
    expect(printedBirthDateAnchor({ fields: {}, texts }, '1970-12-06', 2026)).toBeNull();
    expect(printedBirthDateAnchor({ fields: {}, texts }, null, 2026)).toBeNull();
  });
  it('keeps the labelled value as read, equal or not', () => {
    const fields = { birthDate: { value: '1970-12-08' } } as unknown as coreDocument.VisualZoneReading['fields'];
    expect(printedBirthDateAnchor({ fields, texts }, '1970-12-05', 2026)).toBe('1970-12-08');
  });
});

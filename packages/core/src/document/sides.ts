/**
 * Which side of a document holds what, whether a back is needed, and which of the images a user gave
 * is which side.
 */
import type { MrzFormat } from '../mrz/formats.ts';
import type { DocumentType } from './types.ts';

export type DocumentSide = 'front' | 'back';

export interface SideLayout {
  /** Where the MRZ is printed; null for a document without one (most driving licences). */
  readonly mrzSide: DocumentSide | null;
  readonly portraitSide: DocumentSide;
  /** A back image is required to read the document. */
  readonly backNeeded: boolean;
}

/**
 * TD1 cards print the portrait and the visual zone on the front and the MRZ on the back; passport data
 * pages (TD3), TD2 cards and visas carry both on one side. A driving licence (ISO 18013) has no MRZ
 * and its back holds only categories, so one side is enough.
 */
export function sideLayout(type: DocumentType, format: MrzFormat | null): SideLayout {
  if (type === 'driving_licence' || format === null) return { mrzSide: null, portraitSide: 'front', backNeeded: false };
  if (format === 'TD1') return { mrzSide: 'back', portraitSide: 'front', backNeeded: true };
  return { mrzSide: 'front', portraitSide: 'front', backNeeded: false };
}

/** What was found on one image. */
export interface SideObservation {
  readonly mrzFound: boolean;
  readonly mrzFormat: MrzFormat | null;
  /** Faces found on the rectified image (0, 1, or more for ghost images). */
  readonly faces: number;
}

export interface SideAssignment {
  /** Index into the observations, or null. */
  readonly front: number | null;
  readonly back: number | null;
  /** The format read from whichever side had the MRZ. */
  readonly mrzFormat: MrzFormat | null;
  /** Sides still to capture (e.g. the back of a TD1 card). */
  readonly missing: readonly DocumentSide[];
  /** Problems: `no_mrz` (nothing readable and an MRZ is required), `duplicate_side` (two images of the same side). */
  readonly issues: readonly ('no_mrz' | 'duplicate_side' | 'no_portrait')[];
}

/**
 * Says which image is which side. A TD1 side with an MRZ is the back, another side the front;
 * a TD2/TD3/visa page with both is the (only) front. With `mrzRequired`, a set of images none of which
 * shows an MRZ is `no_mrz`.
 */
export function assignSides(observations: readonly SideObservation[], options: { mrzRequired?: boolean } = {}): SideAssignment {
  const issues = new Set<'no_mrz' | 'duplicate_side' | 'no_portrait'>();
  const withMrz = observations.map((o, i) => ({ o, i })).filter(({ o }) => o.mrzFound);
  const mrzFormat = withMrz[0]?.o.mrzFormat ?? null;
  let front: number | null = null;
  let back: number | null = null;
  const setSide = (side: DocumentSide, index: number): void => {
    if (side === 'front') { if (front === null) front = index; else if (front !== index) issues.add('duplicate_side'); }
    else if (back === null) back = index; else if (back !== index) issues.add('duplicate_side');
  };
  observations.forEach((o, i) => {
    // ICAO 9303-5 puts a TD1 MRZ on the back; a face there is a ghost image, not the portrait.
    if (o.mrzFound && o.mrzFormat === 'TD1') setSide('back', i);
    else if (o.mrzFound) setSide('front', i);
  });
  observations.forEach((o, i) => {
    if (o.mrzFound) return;
    if (o.faces > 0) setSide('front', i);
    else if (mrzFormat === 'TD1' && front === null) setSide('front', i);
    else setSide(front === null ? 'front' : 'back', i);
  });
  const missing: DocumentSide[] = [];
  if (front === null) missing.push('front');
  if (mrzFormat === 'TD1' && back === null) missing.push('back');
  if (withMrz.length === 0 && options.mrzRequired) issues.add('no_mrz');
  if (front !== null && (observations[front]?.faces ?? 0) === 0) issues.add('no_portrait');
  return { front, back, mrzFormat, missing, issues: [...issues] };
}

/**
 * Where the document lay in what the device captured, as an `other` JSON artifact
 * (`application/json`) beside the document image: the auditor draws it (docs/auditor.md) and
 * nothing routes on it. Version 2 is what VerificationFlow writes: the quad in the source image's
 * pixels (the source image itself is not in the bundle), the rectified size, and the MRZ line boxes
 * in the rectified image's pixels. Version 1 (quad and MRZ zone in the document image's own pixels)
 * is still read.
 */
import { z } from 'zod';

export const DOCUMENT_GEOMETRY_TYPE = 'ekyc.document.geometry';

const coordinate = z.number().finite().min(-1e5).max(1e5);
const point = z.tuple([coordinate, coordinate]);
const quad = z.tuple([point, point, point, point]);
const size = z.number().int().min(1).max(100_000);
const box = z.strictObject({ x: coordinate, y: coordinate, width: z.number().positive().max(1e5), height: z.number().positive().max(1e5) });

const geometryV1 = z.strictObject({
  type: z.literal(DOCUMENT_GEOMETRY_TYPE),
  version: z.literal(1),
  /** The document image these coordinates are in (pixels). */
  artifactId: z.string().max(128),
  /** The document's corners, clockwise from top left. */
  quad,
  /** The MRZ's bounding box; its lines share the height, characters the width (OCR-B is fixed pitch). */
  mrzZone: box.optional(),
});

const geometryV2 = z.strictObject({
  type: z.literal(DOCUMENT_GEOMETRY_TYPE),
  version: z.literal(2),
  /** The document image (the rectified crop, possibly downscaled for the bundle) this describes. */
  artifactId: z.string().max(128),
  /** What the device judged the document to be (core documentTypeFromMrz), null when no MRZ told it. */
  documentType: z.enum(['passport', 'id_card', 'residence_permit', 'visa', 'driving_licence']).nullable(),
  /** ICAO size class the rectification used. */
  sizeClass: z.enum(['ID1', 'ID2', 'ID3', 'MRVA', 'MRVB']).nullable(),
  source: z.strictObject({
    width: size,
    height: size,
    /** The document's corners in the source image's pixels, clockwise from top left. */
    quad,
    /** `detected`: the outline was found (by the camera's quality worker, or in an upload by the document reader); `whole_image`: taken as the whole image. */
    quadFrom: z.enum(['detected', 'whole_image']),
  }),
  rectified: z.strictObject({
    width: size,
    height: size,
    /** The MRZ was found only after turning the rectified image upside down. */
    rotated180: z.boolean(),
  }),
  /** One box per MRZ line (line 0 first), in the rectified image's pixels; empty when no MRZ was found. */
  mrzLines: z.array(box).max(3),
});

export const documentGeometrySchema = z.discriminatedUnion('version', [geometryV1, geometryV2]);
export type DocumentGeometry = z.infer<typeof documentGeometrySchema>;
export type DocumentGeometryV2 = z.infer<typeof geometryV2>;

/** The geometry when `value` is one (either version), else null. */
export function parseDocumentGeometry(value: unknown): DocumentGeometry | null {
  const parsed = documentGeometrySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export interface PlacedGeometry {
  /** The document outline in the document image's pixels, clockwise from top left. */
  outline: [number, number][];
  /** MRZ line boxes in the document image's pixels (line 0 first). */
  mrzLines: { x: number; y: number; width: number; height: number }[];
  /** Characters run right to left inside a line box (the MRZ was read upside down). */
  mirrored: boolean;
}

/**
 * The geometry placed on the document image of `imageWidth` x `imageHeight` pixels: version 2's
 * rectified coordinates scaled to the image (the bundle's image may be downscaled), the outline
 * being the rectified image's border (what the source quad maps to); version 1 as written.
 */
export function placeGeometry(geometry: DocumentGeometry, imageWidth: number, imageHeight: number): PlacedGeometry {
  if (geometry.version === 1) {
    const zone = geometry.mrzZone;
    return { outline: geometry.quad.map(([x, y]) => [x, y] as [number, number]), mrzLines: zone ? [zone] : [], mirrored: false };
  }
  const sx = imageWidth / geometry.rectified.width;
  const sy = imageHeight / geometry.rectified.height;
  return {
    outline: [[0, 0], [imageWidth, 0], [imageWidth, imageHeight], [0, imageHeight]],
    mrzLines: geometry.mrzLines.map((line) => ({ x: line.x * sx, y: line.y * sy, width: line.width * sx, height: line.height * sy })),
    mirrored: geometry.rectified.rotated180,
  };
}

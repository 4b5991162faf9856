import { describe, expect, it } from 'vitest';
import { DOCUMENT_GEOMETRY_TYPE, parseDocumentGeometry, placeGeometry } from './document-geometry.ts';

const v2 = {
  type: DOCUMENT_GEOMETRY_TYPE, version: 2, artifactId: 'document-front', documentType: 'passport', sizeClass: 'ID3',
  source: { width: 1280, height: 720, quad: [[100, 80], [1180, 90], [1170, 650], [110, 640]], quadFrom: 'detected' },
  rectified: { width: 1250, height: 880, rotated180: false },
  mrzLines: [{ x: 50, y: 700, width: 1150, height: 50 }, { x: 50, y: 770, width: 1150, height: 50 }],
};

describe('document geometry artifact', () => {
  it('reads version 2 and places its MRZ lines on a downscaled document image', () => {
    const geometry = parseDocumentGeometry(v2)!;
    expect(geometry.version).toBe(2);
    const placed = placeGeometry(geometry, 625, 440);
    expect(placed.outline).toEqual([[0, 0], [625, 0], [625, 440], [0, 440]]);
    expect(placed.mrzLines[1]).toEqual({ x: 25, y: 385, width: 575, height: 25 });
    expect(placed.mirrored).toBe(false);
  });

  it('still reads version 1 (quad and MRZ zone in the image\'s own pixels)', () => {
    const geometry = parseDocumentGeometry({ type: DOCUMENT_GEOMETRY_TYPE, version: 1, artifactId: 'doc', quad: [[0, 0], [10, 0], [10, 5], [0, 5]], mrzZone: { x: 1, y: 3, width: 8, height: 2 } })!;
    expect(placeGeometry(geometry, 10, 5)).toEqual({ outline: [[0, 0], [10, 0], [10, 5], [0, 5]], mrzLines: [{ x: 1, y: 3, width: 8, height: 2 }], mirrored: false });
  });

  it('refuses what is not one: unknown fields, a three-corner quad, four MRZ lines, another version', () => {
    expect(parseDocumentGeometry({ ...v2, extra: 1 })).toBeNull();
    expect(parseDocumentGeometry({ ...v2, source: { ...v2.source, quad: v2.source.quad.slice(0, 3) } })).toBeNull();
    expect(parseDocumentGeometry({ ...v2, mrzLines: [...v2.mrzLines, ...v2.mrzLines] })).toBeNull();
    expect(parseDocumentGeometry({ ...v2, version: 3 })).toBeNull();
    expect(parseDocumentGeometry('not an object')).toBeNull();
  });
});

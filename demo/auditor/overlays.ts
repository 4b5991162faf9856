/**
 * Overlays on a replayed image, drawn on a canvas over the decoded artifact: the document outline,
 * the MRZ line boxes and field boxes (from the ranges core's readMrz returns, placed in each line
 * box on a fixed character pitch), the captured frame with the quad the document was found in, face boxes and keypoints found again in the browser, and the face box and
 * landmarks the liveness transcript recorded for a keyframe.
 */
import { placeGeometry, type face as coreFace, type DocumentGeometry, type DocumentGeometryV2, type MrzReadResult } from '@ekyc/core';

export interface TranscriptFace {
  /** Box normalized to the frame (transcript columns boxX, boxY, boxW, boxH). */
  box: { x: number; y: number; width: number; height: number } | null;
  /** x, y, z triplets in frame pixels (the engine's attached landmarks), or null. */
  landmarks: readonly number[] | null;
  role: string;
}

export interface Overlay {
  geometry?: DocumentGeometry | null;
  mrz?: MrzReadResult | null;
  faces?: readonly coreFace.FaceDetection[];
  chosenFace?: number | null;
  /** Labels the chosen face when this image is one side of the face match. */
  matchRole?: 'document' | 'selfie' | null;
  transcript?: TranscriptFace | null;
}

const COLOURS = { quad: '#2563eb', valid: '#15803d', invalid: '#b91c1c', face: '#d97706', chosen: '#7c3aed', transcript: '#0891b2' };

function lineWidth(canvas: HTMLCanvasElement): number {
  return Math.max(2, Math.round(Math.max(canvas.width, canvas.height) / 320));
}

type Box = { x: number; y: number; width: number; height: number };

/**
 * MRZ field boxes: each line in its own box (one box for the whole zone is split into equal lines),
 * each character one column of equal width (OCR-B is fixed pitch); `mirrored` when the image holds
 * the MRZ upside down (line 0 at the bottom, characters right to left, as its boxes already are).
 */
export function mrzFieldBoxes(mrz: MrzReadResult, lineBoxes: readonly Box[], mirrored = false): (Box & { name: string; valid: boolean })[] {
  const lines = mrz.lines.length || 1;
  const columns = Math.max(1, ...mrz.lines.map((line) => line.length));
  const zone = lineBoxes.length === 1 && lines > 1 ? lineBoxes[0]! : null;
  const lineBox = (index: number): Box | undefined => (zone ? { x: zone.x, y: zone.y + (index * zone.height) / lines, width: zone.width, height: zone.height / lines } : lineBoxes[index]);
  const boxes: (Box & { name: string; valid: boolean })[] = [];
  for (const field of Object.values(mrz.fields)) {
    if (field === undefined) continue;
    for (const range of field.ranges) {
      const line = lineBox(range.line);
      if (range.end <= range.start || line === undefined) continue;
      const cellW = line.width / columns;
      const x = mirrored ? line.x + line.width - range.end * cellW : line.x + range.start * cellW;
      boxes.push({ name: field.name, valid: field.valid, x, y: line.y, width: (range.end - range.start) * cellW, height: line.height });
    }
  }
  return boxes;
}

/** The captured frame (not in the bundle) as an outline, with the quad the document was found in, scaled to `maxWidth`. */
export function drawSourceFrame(canvas: HTMLCanvasElement, geometry: DocumentGeometryV2, maxWidth = 480): void {
  const scale = Math.min(1, maxWidth / geometry.source.width);
  canvas.width = Math.max(1, Math.round(geometry.source.width * scale));
  canvas.height = Math.max(1, Math.round(geometry.source.height * scale));
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#e5e7eb';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.strokeStyle = COLOURS.quad;
  context.fillStyle = 'rgba(37, 99, 235, 0.15)';
  context.lineWidth = 2;
  context.beginPath();
  geometry.source.quad.forEach(([x, y], index) => (index === 0 ? context.moveTo(x * scale, y * scale) : context.lineTo(x * scale, y * scale)));
  context.closePath();
  context.fill();
  context.stroke();
  context.fillStyle = '#111827';
  context.font = '12px system-ui, sans-serif';
  context.textBaseline = 'top';
  context.fillText(`captured ${geometry.source.width}×${geometry.source.height}, quad ${geometry.source.quadFrom === 'detected' ? 'detected by the camera' : '= whole image (upload)'}`, 6, 6);
}

export function drawOverlay(canvas: HTMLCanvasElement, image: ImageBitmap | ImageData, overlay: Overlay): void {
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext('2d')!;
  if (image instanceof ImageData) context.putImageData(image, 0, 0);
  else context.drawImage(image, 0, 0);
  const width = lineWidth(canvas);
  context.lineWidth = width;
  context.font = `${Math.max(11, width * 6)}px system-ui, sans-serif`;
  context.textBaseline = 'bottom';

  if (overlay.geometry) {
    const placed = placeGeometry(overlay.geometry, canvas.width, canvas.height);
    context.strokeStyle = COLOURS.quad;
    context.beginPath();
    // Inset by half a line so the outline of a rectified image (its border) stays visible.
    const inset = overlay.geometry.version === 2 ? width / 2 : 0;
    placed.outline.forEach(([x, y], index) => {
      const px = Math.min(Math.max(x, inset), canvas.width - inset);
      const py = Math.min(Math.max(y, inset), canvas.height - inset);
      if (index === 0) context.moveTo(px, py);
      else context.lineTo(px, py);
    });
    context.closePath();
    context.stroke();
    if (overlay.mrz && placed.mrzLines.length > 0) {
      for (const box of mrzFieldBoxes(overlay.mrz, placed.mrzLines, placed.mirrored)) {
        context.strokeStyle = box.valid ? COLOURS.valid : COLOURS.invalid;
        context.strokeRect(box.x, box.y, box.width, box.height);
      }
    } else {
      context.setLineDash([width * 2, width * 2]);
      for (const line of placed.mrzLines) context.strokeRect(line.x, line.y, line.width, line.height);
      context.setLineDash([]);
    }
  }
  for (const [index, face] of (overlay.faces ?? []).entries()) {
    const chosen = index === overlay.chosenFace && (overlay.matchRole ?? null) !== null;
    context.strokeStyle = chosen ? COLOURS.chosen : COLOURS.face;
    context.fillStyle = context.strokeStyle;
    context.strokeRect(face.box.x, face.box.y, face.box.width, face.box.height);
    context.fillText(`${face.score.toFixed(2)}${chosen ? ` ${overlay.matchRole} face, matched` : ''}`, face.box.x, face.box.y - 2);
    for (const point of Object.values(face.keypoints ?? {}) as { x: number; y: number }[]) {
      context.beginPath();
      context.arc(point.x, point.y, width * 1.5, 0, 2 * Math.PI);
      context.fill();
    }
  }
  const recorded = overlay.transcript;
  if (recorded) {
    context.strokeStyle = COLOURS.transcript;
    context.fillStyle = COLOURS.transcript;
    if (recorded.box) {
      const { x, y, width: w, height: h } = recorded.box;
      context.setLineDash([width * 3, width * 2]);
      context.strokeRect(x * canvas.width, y * canvas.height, w * canvas.width, h * canvas.height);
      context.setLineDash([]);
      context.fillText(`transcript: ${recorded.role}`, x * canvas.width, y * canvas.height + h * canvas.height + width * 8);
    }
    const points = recorded.landmarks ?? [];
    for (let i = 0; i + 1 < points.length; i += 3) context.fillRect(points[i]! - width / 2, points[i + 1]! - width / 2, width, width);
  }
}

/** The MRZ lines as read, on a fixed-pitch grid, with each field's box. */
export function drawMrzGrid(canvas: HTMLCanvasElement, mrz: MrzReadResult): void {
  const columns = Math.max(1, ...mrz.lines.map((line) => line.length));
  const cellW = 16;
  const cellH = 30;
  canvas.width = columns * cellW + 16;
  canvas.height = mrz.lines.length * cellH + 16;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.font = '22px ui-monospace, "DejaVu Sans Mono", monospace';
  context.textBaseline = 'middle';
  context.textAlign = 'center';
  context.fillStyle = '#111827';
  mrz.lines.forEach((line, row) => {
    for (let column = 0; column < line.length; column++) context.fillText(line[column]!, 8 + column * cellW + cellW / 2, 8 + row * cellH + cellH / 2);
  });
  context.lineWidth = 2;
  for (const box of mrzFieldBoxes(mrz, [{ x: 8, y: 8, width: columns * cellW, height: mrz.lines.length * cellH }])) {
    context.strokeStyle = box.valid ? COLOURS.valid : COLOURS.invalid;
    context.strokeRect(box.x + 1, box.y + 2, box.width - 2, box.height - 4);
  }
}
